"""No regular expression of the package can backtrack its way into super-linear time.

Every pattern the package compiles (module constants, patterns built at run time, inline
``re.search(r"...")`` calls, and the patterns kept as data in the rubrics, loopholes and
state files) is collected in a fresh process by ``tests/regex_census.py`` and parsed with
``re``'s own parser. These shapes are refused, each with a message naming the pattern and
where it was compiled:

- **nested unbounded quantifiers**: ``(a+)+``, ``(?:\\w+\\s*)*``: exponential on a near miss;
- **adjacent unbounded quantifiers over overlapping characters**: ``\\s*\\s+``,
  ``[^,]*\\w+``, ``.*\\s*``: every split of a run is tried, polynomial per start;
- **an unbounded ``.``, ``\\S`` or negated class** (``.*``, ``[^\\]]+``): searched from
  every start, each scans to the end of the run (``[`` × 10,000 on a line: quadratic).

A shape is safe when bounded (``{0,200}``), possessive (``*+``, ``++``, ``{1,9}+``) or inside
an atomic group (``(?>...)``), as Python 3.11 supports all three.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from re import _constants as C  # re's own parser (Python 3.11+)
from re import _parser as parser

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Characters used to decide whether two character classes overlap.
_SAMPLE = [chr(i) for i in range(128)] + list("\u00a0’“”é§–—•\u2028")
_UNBOUNDED = C.MAXREPEAT
_BACKTRACKING = (C.MAX_REPEAT, C.MIN_REPEAT)
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
# A bounded repeat that can still run this many times is treated as unbounded: {0,1000}
# around \w+ is as bad as * in practice.
_LARGE = 50


def _category(category: object, char: str) -> bool:
    name = str(category)
    if "DIGIT" in name:
        result = char.isdecimal()
    elif "SPACE" in name:
        result = char.isspace()
    elif "WORD" in name:
        result = char.isalnum() or char == "_"
    elif "LINEBREAK" in name:
        result = char == "\n"
    else:  # pragma: no cover - categories the parser does not produce for str patterns
        return True
    return not result if "NOT" in name else result


def _item_matches(op: object, av: object, char: str, ignore_case: bool) -> bool | None:
    """Whether a one-character item matches ``char``; None if it is not one character."""
    chars = {char, char.lower(), char.upper()} if ignore_case else {char}
    if op == C.LITERAL:
        return any(ord(c) == av for c in chars)
    if op == C.NOT_LITERAL:
        return all(ord(c) != av for c in chars)
    if op == C.ANY:
        return char != "\n"
    if op == C.CATEGORY:
        return _category(av, char)
    if op == C.IN:
        negate = any(sub_op == C.NEGATE for sub_op, _ in av)
        hit = False
        for sub_op, sub_av in av:
            if sub_op == C.LITERAL:
                hit = hit or any(ord(c) == sub_av for c in chars)
            elif sub_op == C.RANGE:
                hit = hit or any(sub_av[0] <= ord(c) <= sub_av[1] for c in chars)
            elif sub_op == C.CATEGORY:
                hit = hit or _category(sub_av, char)
        return hit != negate
    return None


def _charset(body: list, ignore_case: bool) -> frozenset[str] | None:
    """The sample characters a repeat's body can match, when the body is one character."""
    items = list(body)
    if len(items) != 1:
        return None
    op, av = items[0]
    if op == C.SUBPATTERN:
        return _charset(av[-1], ignore_case)
    if op == C.BRANCH:
        sets = [_charset(branch, ignore_case) for branch in av[1]]
        return None if any(s is None for s in sets) else frozenset().union(*sets)
    if _item_matches(op, av, "a", ignore_case) is None:
        return None
    return frozenset(c for c in _SAMPLE if _item_matches(op, av, c, ignore_case))


def _broad(body: list, ignore_case: bool) -> bool:
    """``.``, ``\\S``, a negated class: matches nearly everything, so it runs far."""
    chars = _charset(body, ignore_case)
    return chars is not None and len(chars) > 100


def _first_set(items: list, ignore_case: bool) -> frozenset[str] | None:
    """The characters an unbounded one-character repeat at the head of ``items`` matches
    (skipping zero-width items and optional pieces), or None."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op in _BACKTRACKING:
            low, high, body = av
            chars = _charset(body, ignore_case)
            if chars is not None and high == _UNBOUNDED:
                return chars
            if low == 0:
                continue  # optional: the next item may follow directly
        return None
    return None


def problems(pattern: str, flags: int) -> list[str]:
    """The dangerous shapes in one pattern, described."""
    tree = parser.parse(pattern, flags)
    ignore_case = bool(tree.state.flags & 2)  # re.IGNORECASE
    found: list[str] = []

    multiline = bool(tree.state.flags & 8)  # re.MULTILINE: "^" matches at every line

    def walk(items: list, loop: str | None, anchored: bool = False) -> None:
        items = list(items)
        for index, (op, av) in enumerate(items):
            if op == C.AT and (av == C.AT_BEGINNING_STRING
                               or (av == C.AT_BEGINNING and not multiline)):
                anchored = True  # tried at the start only: one scan, not one per start
            elif op in _BACKTRACKING:
                _, high, body = av
                repeats = high == _UNBOUNDED or high > _LARGE
                if repeats and loop is not None:
                    found.append(f"nested unbounded quantifiers ({loop} around another)")
                if high == _UNBOUNDED and _broad(body, ignore_case) and not anchored:
                    found.append("an unbounded '.', '\\S' or negated class (scans from "
                                 "every start): bound it or make it possessive")
                chars = _charset(body, ignore_case)
                if high == _UNBOUNDED and chars is not None:
                    after = _first_set(items[index + 1 :], ignore_case)
                    if after is not None and chars & after:
                        found.append("adjacent unbounded quantifiers over overlapping "
                                     "characters")
                walk(body, loop or ("a repeated group" if repeats else None), anchored)
            elif op in (C.POSSESSIVE_REPEAT, C.ATOMIC_GROUP):
                continue  # cannot backtrack into it
            elif op == C.SUBPATTERN:
                walk(av[-1], loop, anchored)
            elif op == C.BRANCH:
                for branch in av[1]:
                    walk(branch, loop, anchored)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(av[1], loop, anchored)
            elif op == C.GROUPREF_EXISTS:
                for branch in av[1:]:
                    if branch is not None:
                        walk(branch, loop, anchored)

    walk(tree, None)
    return sorted(set(found))


@cache
def census() -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.regex_census"], cwd=ROOT, capture_output=True,
        text=True, timeout=600, check=True,
    )
    return json.loads(done.stdout)


def test_the_census_sees_the_hot_path() -> None:
    """The collector really finds patterns of every stage (else the check below is empty)."""
    places = {str(entry["where"]).split(":")[0] for entry in census()}
    for module in ("policy_audit/ingest/clean.py", "policy_audit/ingest/markdown.py",
                   "policy_audit/segment.py", "policy_audit/fields.py",
                   "policy_audit/detect/clause.py", "policy_audit/detect/durations.py",
                   # rubric.py compiles the rubric's and the loophole library's patterns
                   "policy_audit/rubric.py", "policy_audit/jurisdiction/"):
        assert any(place.startswith(module) for place in places), module


def test_no_pattern_has_a_super_linear_shape() -> None:
    bad = []
    for entry in census():
        pattern = str(entry["pattern"])
        flags = int(entry["flags"])  # type: ignore[call-overload]
        # Bytes patterns (the PDF stream scanner) are checked as text: the shapes are the same.
        for problem in problems(pattern, flags & ~32):  # 32: re.UNICODE, implied
            bad.append(f"{entry['where']}: {problem}: {pattern!r}")
    assert not bad, "super-linear regular expressions:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(a+)+b", "nested"),
        (r"(?:\w+\s*)*$", "nested"),
        (r"\[([^\]]+)\]", "negated class"),
        (r"x.*y", "negated class"),
        (r"(?m)^.*y", "negated class"),
        (r"\s*\s+x", "adjacent"),
        (r"[a-z]+\w*!", "adjacent"),
        (r"\s*(?:\(\d\))?[\s-]*x", "adjacent"),
    ],
)
def test_the_check_catches_each_shape(pattern: str, expected: str) -> None:
    assert any(expected in problem for problem in problems(pattern, 0)), problems(pattern, 0)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:a++)+b",
        r"(?>\w+\s*)*$",
        r"\[([^\]]{1,500})\]",
        r"x.{0,30}y",
        r"(?s)^(?!.*\bnot\b).*?\bdata\b",
        r"\s*+\s+x",
        r"\b(?:shall|must)\s+not\b",
        r"(?i)\b(?:[\w'’-]+[\s,]+){0,5}?(?:is|are)\b",
        r"\d+(?:,\d{3})*\s*days",
    ],
)
def test_safe_shapes_pass(pattern: str) -> None:
    assert problems(pattern, 0) == []
