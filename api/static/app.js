// policy-audit pages: progressive enhancement only. Every page works without this script.
"use strict";

function setUpUploadForm() {
  const form = document.getElementById("audit-form");
  if (!form) return;
  const input = document.getElementById("file");
  const zone = document.getElementById("dropzone");
  const chosen = document.getElementById("chosen");
  const maxBytes = Number(form.dataset.maxBytes || 0);

  const describe = () => {
    const file = input.files && input.files[0];
    chosen.textContent = file ? `Chosen: ${file.name} (${Math.ceil(file.size / 1024)} KB)` : "";
  };
  input.addEventListener("change", describe);

  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, () => zone.classList.remove("dragging")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      describe();
    }
  });

  form.addEventListener("submit", (event) => {
    const file = input.files && input.files[0];
    // Refuse an oversized file here: a server refusing a huge upload mid-stream often
    // shows as a dropped connection rather than as a readable message.
    if (file && maxBytes && file.size > maxBytes) {
      event.preventDefault();
      chosen.textContent = `${file.name} is larger than the limit of ${Math.round(
        maxBytes / 1048576,
      )} MB. Choose a smaller file, or paste the relevant text.`;
      input.focus();
      return;
    }
    const button = document.getElementById("score-button");
    const progress = document.getElementById("progress");
    const label = document.getElementById("progress-text");
    button.disabled = true;
    progress.hidden = false;
    const started = Date.now();
    setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      label.textContent = `Reading and scoring the policy… ${seconds} s`;
    }, 1000);
  });
}

// A quote links to its words in the full text. Each click is a real navigation to
// "#q-START-END" (the address can be shared, and Back returns to the card it came from);
// the highlight follows the address, and a link leads back to the quote's criterion.
const QUOTE_HASH = /^#q-(\d+)-(\d+)$/;

function setUpEvidence() {
  const box = document.getElementById("policy-text");
  if (!box) return;
  const details = document.getElementById("text-details");
  const back = document.getElementById("back-to");
  const original = box.textContent;

  const show = (start, end, from) => {
    if (!(end > start) || end > original.length) return false;
    const mark = document.createElement("mark");
    mark.id = "highlight";
    mark.tabIndex = -1;
    mark.textContent = original.slice(start, end);
    box.replaceChildren(original.slice(0, start), mark, original.slice(end));
    details.open = true;
    const card = from && from.closest(".card, section");
    if (back && card && card.id) {
      const link = back.querySelector("a");
      link.href = `#${card.id}`;
      const title = card.querySelector("h3, h2");
      link.textContent = `Back to “${title ? title.textContent.trim() : "the scorecard"}”`;
      back.hidden = false;
    }
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    return true;
  };

  const links = Array.from(document.querySelectorAll("a.quote"));
  links.forEach((link) => {
    link.href = `#q-${link.dataset.start}-${link.dataset.end}`;
  });

  const follow = () => {
    const match = QUOTE_HASH.exec(window.location.hash);
    if (!match) return;
    const start = Number(match[1]);
    const end = Number(match[2]);
    const from = links.find((l) => Number(l.dataset.start) === start && Number(l.dataset.end) === end);
    if (from) {
      const card = from.closest("details");
      if (card && !card.open) card.open = true; // so "back" lands on the quote, visible
    }
    show(start, end, from);
  };
  window.addEventListener("hashchange", follow);
  follow();
}

// Print the cards opened (browsers without ::details-content print closed ones shut).
function setUpPrint() {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = Array.from(document.querySelectorAll(".sc details:not([open])"));
    opened.forEach((d) => { d.open = true; });
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((d) => { d.open = false; });
    opened = [];
  });
}

function setUpActions() {
  const print = document.getElementById("print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
  const copy = document.getElementById("copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      const field = document.getElementById(copy.dataset.copy);
      try {
        await navigator.clipboard.writeText(field.value);
        copy.textContent = "Copied";
      } catch {
        field.select();
      }
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpUploadForm();
  setUpEvidence();
  setUpActions();
  setUpPrint();
});
