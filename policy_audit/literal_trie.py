"""A regular expression for a set of literal phrases, factored by shared prefixes.

Python's ``re`` tries the branches of ``(?:Alabama|Alaska|…|Wyoming)`` one after another
at every position of the text, so 50 names cost 50 tests a character. The same set
written as a trie, ``(?:A(?:la(?:bama|ska)|…)|…)``, rejects a position on its first
character: the same matches, at a fraction of the cost. Where one phrase is a prefix of
another, the longer is tried first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # key of a trie node that ends a phrase

Trie = dict[str, "Trie"]


def trie_pattern(phrases: Iterable[str], *, ignore_case: bool = True) -> str:
    """A non-capturing group matching exactly ``phrases``. A space in a phrase matches any
    run of whitespace (``\\s+``), as a line break may fall there. With ``ignore_case`` the
    phrases are folded to lower case: use the pattern under ``re.IGNORECASE``."""
    root: Trie = {}
    for phrase in phrases:
        node = root
        for char in phrase.lower() if ignore_case else phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    if not root:
        raise ValueError("trie_pattern needs at least one phrase")
    return _group(root)


def _group(node: Trie) -> str:
    ends_here = _END in node
    branches = [_atom(char) + _group(child) for char, child in sorted(node.items())
                if char != _END]  # fmt: skip
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # a phrase ends here and a longer one goes on: the rest is optional
        return f"(?:{body})?"
    return body


def _atom(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)
