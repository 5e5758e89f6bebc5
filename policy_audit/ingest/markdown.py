"""Markdown → lines: keep headings and list items, drop inline markup that is not words.

List markers stay as written ("- ", "* "): evidence quotes the document's own words."""

from __future__ import annotations

import re

# Every repetition is bounded or possessive (tests/test_regex_safety.py): a line of 10,000
# "[" that never close, or "*" that open no emphasis, was searched to its end from each one.
# Link text up to 500 characters, a URL up to 2,000, emphasis up to 1,000: longer spans
# keep their markup as written.
_IMAGE = re.compile(r"!\[([^\]]{0,500}+)\]\([^)]{0,2000}+\)")
_LINK = re.compile(r"\[([^\]]{1,500}+)\]\(([^)\s]{1,2000}+)[^)]{0,500}+\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.{1,1000}?)(?<=\S)\1")
_QUOTE = re.compile(r"^\s*>\s?")
_RULE = re.compile(r"^\s*+(?:[-*_]\s*+){3,}+$")
_TABLE_RULE = re.compile(r"^\s*+\|?\s*+:?-{3,}+:?\s*+(?:\|\s*+:?-{3,}+:?\s*+)*+\|?\s*+$")


def markdown_lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.splitlines():
        if _RULE.match(raw) or _TABLE_RULE.match(raw):
            lines.append("")
            continue
        line = _inline_text(raw)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            # A table row stays one line, its cells split by " | " ("Retention | 30 days"),
            # the shape ``policy_audit.fields`` reads as a key and its value.
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            lines.extend([" | ".join(c for c in cells if c), ""])
            continue
        lines.append(line)
    return lines


def _inline_text(raw: str) -> str:
    """The line without its quote marker, images, links and emphasis. Each pattern runs
    only on a line holding the characters every match of it holds: most lines hold none,
    and running the four cost a few µs a line."""
    line = _QUOTE.sub("", raw) if ">" in raw else raw
    if "](" in line:
        line = _IMAGE.sub(r"\1", line)
        line = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else
                         f"{m.group(1)} ({m.group(2)})", line)
    if "*" in line or "_" in line or "`" in line:
        line = _EMPHASIS.sub(r"\2", line)
    return line
