"""HTML → lines: one block element per line, headings as Markdown headings.

Every block element ends a paragraph: a blank line follows it, so ``clean.unwrap`` never
joins a ``<dt>`` label to its ``<dd>`` value, or one list item to the next. Only ``<br>``
is a soft break, a line that unwrap may join to the next like any wrapped line. The shapes
that carry facts are kept: a table row is one line with its cells split by " | "
("Retention period | 30 days"), and a ``<dt>`` term ends with ":" so the ``<dd>`` values
below it read as its value or list (see ``policy_audit.fields``).

Scripts, styles, navigation and page chrome are dropped. The walk is iterative, so a
hostile page nested 100,000 levels deep cannot exhaust the stack; and since the HTML
parser itself takes time growing with the square of the depth (40,000 levels: 2.6 s,
200,000: over a minute), tags nested deeper than ``MAX_DEPTH`` are removed before parsing,
keeping their text, as browsers also stop nesting at a few hundred levels.
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
# Atomic: the attributes end at the first ">" (or fail at the next "<"), never retried.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b(?>[^<>]*?(/?)>)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Elements whose start tag closes an open one of the same kind (HTML's implied end tags).
_SELF_CLOSING = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"},
                 "tr": {"tr"}, "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}
MAX_DEPTH = 512


def read_html_lines(text: str) -> list[str]:
    tree = LexborHTMLParser(flatten_deep_nesting(text))
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


def _depth_estimate(text: str) -> int:
    """The deepest nesting, counting start and end tags (a quick upper bound)."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, empty = match.groups()
        if closing:
            depth -= 1
        elif not empty and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_deep_nesting(text: str, max_depth: int = MAX_DEPTH) -> str:
    """``text`` with the tags nested deeper than ``max_depth`` removed (their text stays)."""
    if _depth_estimate(text) <= max_depth:
        return text
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    kept_depth = 0
    position = 0
    for match in _TAG.finditer(text):
        closing, raw_name, empty = match.groups()
        name = raw_name.lower()
        out.append(text[position:match.start()])
        position = match.end()
        keep = True
        if closing:
            for back in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
                if stack[back][0] == name:
                    keep = stack[back][1]
                    for _tag, was_kept in stack[back:]:
                        kept_depth -= was_kept
                    del stack[back:]
                    break
        elif not empty and name not in _VOID:
            closes = _SELF_CLOSING.get(name)
            if closes and stack and stack[-1][0] in closes:
                kept_depth -= stack.pop()[1]
            keep = kept_depth < max_depth
            stack.append((name, keep))
            kept_depth += keep
        if keep:
            out.append(match.group(0))
    out.append(text[position:])
    return "".join(out)
