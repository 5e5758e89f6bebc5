"""Policy texts the benchmarks run on, built at run time (nothing of the corpus is kept).

Real policy text comes from the labelled corpus kept outside this repository
(``../shared/corpus/policies`` next to the checkout) when it is there, else from the
bundled samples, so the figures say which they were measured on.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_policies"
CORPUS = ROOT.parent / "shared" / "corpus" / "policies"
SAMPLE_SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


def sample_paths() -> list[Path]:
    """The bundled sample policies (not their sources or drafts' READMEs)."""
    return sorted(
        path
        for path in SAMPLES.rglob("*")
        if path.suffix in SAMPLE_SUFFIXES
        and path.name != "README.md"
        and "src" not in path.relative_to(SAMPLES).parts
    )


def real_policy(words: int) -> tuple[str, str]:
    """About ``words`` words of real policy text with its own line breaks, whole documents
    joined by blank lines: (text, where it came from)."""
    if CORPUS.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
        origin = f"corpus policies ({CORPUS.parent.name}/{CORPUS.name})"
    else:
        from policy_audit.ingest import read_document

        texts = [read_document(p).text for p in sample_paths()]
        origin = "bundled samples (no corpus beside the checkout)"
    parts: list[str] = []
    count = 0
    while count < words:
        for text in texts:
            for paragraph in text.split("\n\n"):
                parts.append(paragraph)
                count += len(paragraph.split())
                if count >= words:
                    break
            parts.append("")
            if count >= words:
                break
    text = "\n\n".join(parts).strip()
    extra = len(text.split()) - words
    if extra > 0:  # the last paragraph overshot: cut it to the word
        last = text.rsplit("\n\n", 1)
        kept = last[-1].split(" ")
        last[-1] = " ".join(kept[: max(1, len(kept) - extra)])
        text = "\n\n".join(last)
    return text + "\n", origin


def one_line(text: str) -> str:
    """The same words with every line break and run of spaces made one space."""
    return " ".join(text.split()) + "\n"
