"""HTML → lines: one block element per line, headings as Markdown headings.

Every block element ends a paragraph: a blank line follows it, so ``clean.unwrap`` never
joins a ``<dt>`` label to its ``<dd>`` value, or one list item to the next. Only ``<br>``
is a soft break, a line that unwrap may join to the next like any wrapped line. The shapes
that carry facts are kept: a table row is one line with its cells split by " | "
("Retention period | 30 days"), and a ``<dt>`` term ends with ":" so the ``<dd>`` values
below it read as its value or list (see ``policy_audit.fields``).

Scripts, styles, navigation and page chrome are dropped. The walk is iterative, so a
hostile page nested 100,000 levels deep cannot exhaust the stack.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DROP = ["script", "style", "noscript", "template", "svg", "nav", "header", "footer",
         "form", "button", "iframe", "object", "head"]
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "tfoot", "thead", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")


def read_html_lines(text: str) -> list[str]:
    tree = LexborHTMLParser(text)
    root = tree.body or tree.root
    if root is None:
        return []
    root.strip_tags(_DROP)
    lines: list[str] = []
    current: list[str] = []

    def flush(*, hard: bool = True) -> None:
        line = _WHITESPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if line.strip("•# "):
            lines.append(line)
            if hard:
                lines.append("")  # a block ends here: unwrap must not join across it

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag  # type: ignore[attr-defined]
        if closing:
            if tag == "dt" and current and not "".join(current).rstrip().endswith(":"):
                current.append(":")  # a term labels the <dd> values under it
            if tag in _CELLS:
                continue  # a row's cells stay on one line: "Retention period | 30 days"
            flush()
            continue
        if tag == "-text":
            current.append(node.text(deep=False) or "")  # type: ignore[attr-defined]
            continue
        if tag in _CELLS:
            if "".join(current).strip():
                current.append(" | ")
            stack.append((node, True))
        elif tag in _BLOCKS:
            flush(hard=tag != "br")
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                current.append("#" * int(tag[1]) + " ")
            elif tag == "li":
                current.append("• ")
            stack.append((node, True))
        children = list(node.iter(include_text=True))  # type: ignore[attr-defined]
        stack.extend((child, False) for child in reversed(children))
    flush()
    return lines
