"""Policy texts the benchmarks run on, built at run time (nothing of the corpus is kept).

Real policy text comes from the labelled corpus kept outside this repository
(``../shared/corpus/policies`` next to the checkout) when it is there, else from the
bundled samples, so the figures say which they were measured on.
"""

from __future__ import annotations

import random
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


def real_policy(words: int, variant: int = 0) -> tuple[str, str]:
    """About ``words`` words of real policy text with its own line breaks, whole documents
    joined by blank lines: (text, where it came from). ``variant`` 0 takes the documents in
    order; another number takes them in a shuffled order starting from a different
    paragraph, so that many variants are different documents made of real sentences (as a
    service sees them: different policies, one shared vocabulary)."""
    texts, origin = _real_texts()
    paragraphs = [p for text in texts for p in (*text.split("\n\n"), "")]
    if variant:
        rng = random.Random(variant)
        order = texts[:]
        rng.shuffle(order)
        paragraphs = [p for text in order for p in (*text.split("\n\n"), "")]
        cut = rng.randrange(len(paragraphs))
        paragraphs = paragraphs[cut:] + paragraphs[:cut]
    parts: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            parts.append(paragraph)
            count += len(paragraph.split())
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


def _real_texts() -> tuple[list[str], str]:
    if CORPUS.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
        return texts, f"corpus policies ({CORPUS.parent.name}/{CORPUS.name})"
    from policy_audit.ingest import read_document

    return ([read_document(p).text for p in sample_paths()],
            "bundled samples (no corpus beside the checkout)")


def one_line(text: str) -> str:
    """The same words with every line break and run of spaces made one space."""
    return " ".join(text.split()) + "\n"
