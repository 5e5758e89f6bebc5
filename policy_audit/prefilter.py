"""Skip a regular expression on texts that cannot hold a match, by the words it requires.

Most of a scorecard's time went to searching clauses with patterns that do not match them:
each criterion's element patterns over every sentence that mentions its topic, each kind
of recipient over every sentence about sharing. Python's ``re`` has no fast scan for
case-insensitive patterns, so a failed search still tries the pattern at every position.

Most patterns require a word: ``(?i)\\b(?:shall|must)\\s+not\\s+share`` cannot match a text
without "share" in it. ``required_literals`` reads that from the pattern's parse tree (the
same tree ``re`` compiles) as a set of strings of which every match contains at least one;
``Prefiltered.search`` first asks whether the text, case-folded as ``re`` folds it, holds
one of them (a substring test at C speed), and runs the pattern only if so. The answer is
the pattern's own whenever it runs, and when it does not run there was nothing to find:
the matches are the same, only the misses are faster. A pattern that requires no literal
of at least three characters is always run.
"""

from __future__ import annotations

import importlib
import itertools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .first_char import guarded

# re's own parser and case tables (Python 3.11+); private modules, so typed as Any.
C: Any = importlib.import_module("re._constants")
parser: Any = importlib.import_module("re._parser")
compiler: Any = importlib.import_module("re._compiler")
casefix: Any = importlib.import_module("re._casefix")

_MAX_ALTERNATIVES = 64  # a larger set of required strings is no cheaper than the pattern
_MIN_LENGTH = 3  # shorter required strings are in nearly every text: not worth the test
_SMALL_CLASS = 8  # a class of at most this many characters is expanded ("[sz]")


def _canonical_table() -> dict[int, int]:
    """Characters ``re`` treats as equal under IGNORECASE beyond lower case ("ſ" and "s",
    "ı" and "i", "µ" and "μ"), each mapped to one of its class."""
    parent: dict[int, int] = {}

    def root(c: int) -> int:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    for low, extras in casefix._EXTRA_CASES.items():
        for extra in extras:
            a, b = root(low), root(extra)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members = set(casefix._EXTRA_CASES) | {e for es in casefix._EXTRA_CASES.values() for e in es}
    return {c: root(c) for c in members if root(c) != c}


_CANONICAL = _canonical_table()
# str.lower() is the full lower-case mapping; re uses the simple one. They differ for one
# character only: "İ" (full: "i" and a combining dot; simple: "i").
_BEFORE_LOWER = {0x130: "i"}


def _special_chars() -> set[str]:
    """Characters whose lower case alone is not their folded form: the members of those
    classes and the capitals that lower-case to them ("Σ" to "σ" or, at a word's end, "ς")."""
    members = {chr(c) for c in _CANONICAL} | {chr(c) for c in _CANONICAL.values()}
    special = {chr(c) for c in _BEFORE_LOWER} | members
    for member in members:
        special.update(form for form in (member.upper(), member.title()) if len(form) == 1)
    return special


_SPECIAL_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_special_chars())) + "]")


def fold(text: str) -> str:
    """``text`` as ``re`` compares it under IGNORECASE: lower case, with the characters it
    treats as equal made equal."""
    if text.isascii() or _SPECIAL_RE.search(text) is None:
        return text.lower()  # no character lower case alone would fold differently
    return text.translate(_BEFORE_LOWER).lower().translate(_CANONICAL)


# The same clause is searched by dozens of patterns: each text is folded once. The cache is
# bounded by the characters it holds (a long document's clauses exceed any count that
# suits a short one), and emptied when full.
_FOLDED: dict[str, str] = {}
_FOLDED_LIMIT = 4_000_000
_folded_chars = 0


def folded(text: str) -> str:
    """``fold(text)``, kept: a text searched by many patterns is folded once."""
    global _folded_chars
    result = _FOLDED.get(text)
    if result is None:
        result = fold(text)
        if _folded_chars + len(text) > _FOLDED_LIMIT:
            _FOLDED.clear()
            _folded_chars = 0
        _FOLDED[text] = result
        _folded_chars += len(text)
    return result


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings (folded) of which every match of ``pattern`` contains at least one, or None
    when the pattern requires none worth testing for."""
    try:
        tree = parser.parse(pattern, flags)
    except re.error:
        return None
    return _required_of(list(tree))


def _required_of(items: list[Any]) -> frozenset[str] | None:
    required = _sequence(items).required
    if required is None or min(map(len, required)) < _MIN_LENGTH:
        return None
    return frozenset(required)


def required_conjunction(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """Sets of strings (folded) such that every match of ``pattern`` holds a string of
    each set: the requirements of the pattern's parts ("shall" or "must", then "purged" or
    "deleted"), the most selective first, at most ``_MAX_CONJUNCTS``."""
    try:
        tree = parser.parse(pattern, flags)
    except re.error:
        return ()
    return _conjunction_of(list(tree))


def _conjunction_of(items: list[Any], memo: _Memo | None = None
                    ) -> tuple[frozenset[str], ...]:
    info = _sequence(items, memo)
    found = [s for s in {*info.conjuncts, *([frozenset(info.required)] if info.required
                                            else [])}
             if min(map(len, s)) >= _MIN_LENGTH]  # fmt: skip
    found.sort(key=lambda s: _selectivity(set(s)), reverse=True)
    return tuple(found[:_MAX_CONJUNCTS])


_MAX_CONJUNCTS = 3

Strings = set[str]


@dataclass(frozen=True, slots=True)
class _Info:
    """What a piece of a pattern says about the text it matches: every string it can match
    (when they are few and literal), strings one of which every match contains, and strings
    one of which every match starts with."""

    exact: Strings | None = None
    required: Strings | None = None
    prefixes: Strings | None = None
    # Requirements of different parts of a sequence: a match holds one string of each.
    conjuncts: tuple[frozenset[str], ...] = ()


_NOTHING = _Info()
_EMPTY = _Info(exact={""}, prefixes={""})


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective of two requirements: longer shortest string, then fewer strings,
    then longer ones. A set holding the empty string requires nothing."""
    if b is None or "" in b or len(b) > _MAX_ALTERNATIVES:
        return a
    if a is None or _selectivity(b) > _selectivity(a):
        return b
    return a


def _selectivity(strings: Strings) -> tuple[int, int, int]:
    # Longer words are rarer; fewer of them are cheaper to test for.
    return min(map(len, strings)), -len(strings), sum(map(len, strings))


def _joined(left: Strings, right: Strings | None) -> Strings | None:
    if right is None or len(left) * len(right) > _MAX_ALTERNATIVES:
        return None
    return {a + b for a in left for b in right}


# What each node of one parse tree says, by the node's identity (the node is kept with it,
# so the identity cannot be reused while the entry lives): the alternatives of a pattern
# read the same nodes before and after the alternation once per alternative.
_Memo = dict[int, tuple[Any, "_Info"]]


def _sequence(items: list[Any], memo: _Memo | None = None) -> _Info:
    run: Strings = {""}  # the literal strings matched since the last open piece
    exact_so_far = True
    prefixes: Strings | None = None
    best: Strings | None = None
    pieces: list[Strings] = []  # what each part of the sequence requires, all of them
    for op, av in items:
        info = _item(op, av, memo)
        joined = _joined(run, info.exact)
        if joined is not None:
            run = joined
            continue
        # An open piece: the run before it, followed by how the piece starts, is required.
        start = _joined(run, info.prefixes)
        if exact_so_far:
            prefixes = start if start is not None else (run if "" not in run else None)
            exact_so_far = False
        piece = _better(_better(_better(None, run), start), info.required)
        if piece is not None:
            pieces.append(piece)
        pieces.extend(set(c) for c in info.conjuncts)
        best = _better(best, piece)
        run = {""}
    best = _better(best, run)
    if _better(None, run) is not None:
        pieces.append(run)
    conjuncts = tuple(frozenset(p) for p in pieces)
    if exact_so_far:
        return _Info(exact=run, required=best, prefixes=run, conjuncts=conjuncts)
    return _Info(required=best, prefixes=prefixes, conjuncts=conjuncts)


def _item(op: Any, av: Any, memo: _Memo | None = None) -> _Info:
    """What one node of the parse tree says."""
    if memo is None:
        return _node(op, av, None)
    kept = memo.get(id(av))
    if kept is not None and kept[0] is av:
        return kept[1]
    info = _node(op, av, memo)
    memo[id(av)] = (av, info)
    return info


def _node(op: Any, av: Any, memo: _Memo | None) -> _Info:
    if op is C.LITERAL:
        char = fold(chr(av))
        return _Info({char}, {char}, {char})
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _EMPTY  # zero-width: the characters around it stay adjacent
    if op is C.IN:
        chars = _class_chars(av)
        return _Info(chars, chars, chars) if chars is not None else _NOTHING
    if op is C.BRANCH:
        return _branch([_sequence(list(b), memo) for b in av[1]])
    if op is C.SUBPATTERN:
        return _sequence(list(av[-1]), memo)
    if op is C.ATOMIC_GROUP:
        return _sequence(list(av), memo)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _sequence(list(body), memo)
        if low == 0:
            return _NOTHING
        if low == high == 1:
            return inner
        return _Info(required=_better(inner.required, inner.exact), prefixes=inner.prefixes,
                     conjuncts=inner.conjuncts)
    return _NOTHING


def _branch(options: list[_Info]) -> _Info:
    def union(sets: list[Strings | None]) -> Strings | None:
        if any(s is None for s in sets):
            return None
        joined = set(itertools.chain.from_iterable(s for s in sets if s is not None))
        return joined if len(joined) <= _MAX_ALTERNATIVES else None

    exact = union([o.exact for o in options])
    required = union([_better(o.required, o.exact) for o in options])
    conjuncts = options[0].conjuncts if len(options) == 1 else ()
    return _Info(exact, _better(required, exact), union([o.prefixes for o in options]),
                 conjuncts)


def _class_chars(items: list[Any]) -> Strings | None:
    """The folded characters of a small class of literals and ranges ("[sz]"), else None."""
    chars: Strings = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(fold(chr(av)))
        elif op is C.RANGE and av[1] - av[0] < _SMALL_CLASS:
            chars.update(fold(chr(c)) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negated class, a category (\w, \s), a wide range
        if len(chars) > _SMALL_CLASS:
            return None
    return chars


_MAX_BRANCHES = 16
Conjunction = tuple[tuple[str, ...], ...]


def _alternatives_of(items: list[Any]) -> tuple[Conjunction, ...] | None:
    """For a sequence with an alternation in it (``\\b(?:A|B)\\s+C``, or a whole pattern
    ``A|B``), the conjunction each alternative needs, read with what comes before and after
    it; None when some alternative needs no word (then only the shared test can skip)."""
    for index, (op, av) in enumerate(items):
        branches = _branches_of(op, av)
        if branches is None:
            continue
        if len(branches) > _MAX_BRANCHES:
            return None
        before, after = items[:index], items[index + 1:]
        found = []
        memo: _Memo = {}
        for branch in branches:
            conjunction = _conjunction_of([*before, *branch, *after], memo)
            if not conjunction:
                return None
            found.append(tuple(_shortest_first(words) for words in conjunction))
        return tuple(found)
    return None


def _branches_of(op: Any, av: Any) -> list[list[Any]] | None:
    """The alternatives of an alternation, or of a group holding just one."""
    if op is C.BRANCH:
        return [list(branch) for branch in av[1]]
    if op is C.SUBPATTERN and len(av[-1]) == 1:
        inner_op, inner_av = next(iter(av[-1]))
        return _branches_of(inner_op, inner_av)
    return None


def _any_holds(alternatives: tuple[Conjunction, ...], folded: str) -> bool:
    """Whether ``folded`` holds a word of each set of some alternative."""
    for conjunction in alternatives:
        for words in conjunction:
            for word in words:
                if word in folded:
                    break
            else:
                break  # this alternative cannot match: try the next
        else:
            return True
    return False


class Prefiltered:
    """A compiled pattern that is run only on texts holding one of its required strings.
    Offers the ``re.Pattern`` methods the readers use, with the same results."""

    __slots__ = ("_alternatives", "_compiled", "_conjunction", "_required", "_split", "flags",
                 "pattern")

    def __init__(self, compiled: re.Pattern[str], tree: Any = None) -> None:
        """``tree``: the pattern's parse tree, when ``compiled`` was built from one (an
        exclusion of ``_Exclusions``, which has no pattern text)."""
        self._compiled = compiled
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        if tree is None:
            tree = parser.parse(compiled.pattern, compiled.flags)
        items = list(tree)
        required = _required_of(items)
        self._required = _shortest_first(required) if required else None
        # Every part's requirement, the rarest first: most texts fail the first test.
        self._conjunction = tuple(_shortest_first(s) for s in _conjunction_of(items)
                                  ) or ((self._required,) if self._required else ())
        # A pattern of alternatives ("use … only for" or "used solely"): what each one
        # needs, tested after the conjunction they share (which is often a common word).
        self._alternatives = _alternatives_of(items) if self._conjunction else None
        self._split = _split_exclusions(tree, compiled.flags)

    @property
    def required(self) -> tuple[str, ...] | None:
        """The strings a match needs one of (folded), or None when it is always run."""
        return self._required

    @property
    def conjunction(self) -> tuple[tuple[str, ...], ...]:
        """Sets of strings a match needs one of each of (folded); empty: always run."""
        return self._conjunction

    def may_match(self, text: str) -> bool:
        if not self._conjunction:
            return True
        lowered = _FOLDED.get(text)
        return self.may_match_folded(lowered if lowered is not None else folded(text))

    def may_match_folded(self, folded: str) -> bool:
        """``may_match`` for a text already folded (``fold``): one fold for many patterns."""
        for words in self._conjunction:
            for word in words:
                if word in folded:
                    break
            else:
                return False
        return self._alternatives is None or _any_holds(self._alternatives, folded)

    # ``search`` and ``finditer`` test the words without going through ``may_match``: they
    # are called thousands of times per document, and a call fewer each is measurable.

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize
               ) -> re.Match[str] | None:
        if self._conjunction and not self.may_match_folded(_FOLDED.get(string)
                                                           or folded(string)):
            return None
        if self._split is not None and pos == 0 and endpos >= len(string):
            return self._split.search(string)
        return self._compiled.search(string, pos, endpos)

    def test(self, string: str) -> bool:
        """``search(string) is not None``, for readers that need only whether the pattern
        matches, not where: a ``(?s)^(?!.*X)….*Y`` pattern is then asked whether Y occurs at
        all, rather than made to find the last Y by backtracking from the text's end."""
        if not self.may_match(string):
            return False
        if self._split is not None:
            return self._split.test(string)
        return self._compiled.search(string) is not None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize
              ) -> re.Match[str] | None:
        return self._compiled.match(string, pos, endpos) if self.may_match(string) else None

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                  ) -> re.Match[str] | None:
        if not self.may_match(string):
            return None
        return self._compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                 ) -> Iterator[re.Match[str]]:
        if self._conjunction and not self.may_match_folded(_FOLDED.get(string)
                                                           or folded(string)):
            return iter(())
        if self._split is not None and pos == 0 and endpos >= len(string):
            found = self._split.search(string)  # anchored at the start: one match at most
            return iter(() if found is None else (found,))
        return self._compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self._compiled.findall(string, pos, endpos) if self.may_match(string) else []

    def __repr__(self) -> str:
        return f"Prefiltered({self._compiled!r}, conjunction={self._conjunction!r})"


def _shortest_first(strings: frozenset[str]) -> tuple[str, ...]:
    # A text holding "states" holds "state": only the shortest of such strings is tested.
    return tuple(sorted((w for w in strings if not any(o != w and o in w for o in strings)),
                        key=len))


def fast_pattern(pattern: str, flags: int = 0) -> Prefiltered:
    """A module's reading pattern, compiled to skip quickly both texts that cannot hold a
    match (required words) and positions where no match can start (``first_char``)."""
    return Prefiltered(re.compile(guarded(pattern, flags), flags))


class _Exclusions:
    """A pattern of the shape ``(?s)^(?!.*X)(?!.*Y)REST`` ("a sentence about data, unless
    it names other agencies"), read as what it says: X occurs nowhere, Y occurs nowhere,
    and REST matches at the start. Each exclusion is then a prefiltered search of its own,
    skipped on a text without its words, instead of a scan of the whole text at every
    position inside the one pattern. The match returned is REST's: the same span (the
    lookaheads are zero-width) and the same groups."""

    __slots__ = ("exclusions", "rest", "tail")

    def __init__(self, exclusions: tuple[Prefiltered, ...], rest: re.Pattern[str],
                 tail: Prefiltered | None = None) -> None:
        self.exclusions = exclusions
        self.rest = rest
        # When REST is ``.*Y`` (greedy or lazy): it matches exactly when Y occurs anywhere.
        self.tail = tail

    def search(self, string: str) -> re.Match[str] | None:
        return None if self._excluded(string) else self.rest.match(string)

    def test(self, string: str) -> bool:
        """Whether ``search`` finds a match. ``.*`` reaches every position (DOTALL), so
        ``^.*Y`` matches if and only if Y does somewhere: a forward search for Y, skipped
        on a text without Y's words, instead of the backtracking from the text's end that
        finds the last Y."""
        if self._excluded(string):
            return False
        if self.tail is not None:
            return self.tail.search(string) is not None
        return self.rest.match(string) is not None

    def _excluded(self, string: str) -> bool:
        return any(exclusion.search(string) is not None for exclusion in self.exclusions)


def _split_exclusions(tree: Any, flags: int) -> _Exclusions | None:
    """The exclusions of a ``(?s)^(?!.*X)…REST`` pattern, or None for any other shape."""
    flags |= tree.state.flags
    if flags & re.MULTILINE or not flags & re.DOTALL:
        return None  # "^" must be the text's start, and "." must reach past line breaks
    items = list(tree)
    if not items or items[0] not in ((C.AT, C.AT_BEGINNING), (C.AT, C.AT_BEGINNING_STRING)):
        return None
    exclusions: list[Prefiltered] = []
    index = 1
    while index < len(items) and items[index][0] is C.ASSERT_NOT:
        direction, body = items[index][1]
        inner = list(body)
        if direction != 1 or not inner or not _is_any_run(inner[0]) or _has_groups(inner):
            break
        exclusions.append(_from_items(tree, inner[1:]))
        index += 1
    if not exclusions:
        return None
    rest = compiler.compile(parser.SubPattern(tree.state, [items[0], *items[index:]]), flags)
    tail_items = items[index + 1:]
    tail = None
    if (index < len(items) and tail_items and _is_any_run(items[index])
            and items[index][0] is not C.POSSESSIVE_REPEAT and not _has_groups(tail_items)):
        tail = _from_items(tree, tail_items)
    return _Exclusions(tuple(exclusions), rest, tail)


def _from_items(tree: Any, items: list[Any]) -> Prefiltered:
    sub = parser.SubPattern(tree.state, items)
    return Prefiltered(compiler.compile(sub, tree.state.flags), sub)


def _is_any_run(item: Any) -> bool:
    """``.*`` (greedy, lazy or possessive): any run of characters, none included."""
    op, av = item
    return (op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] == 0
            and av[1] == C.MAXREPEAT and list(av[2]) == [(C.ANY, None)])


def _has_groups(items: list[Any]) -> bool:
    """Whether a piece captures or refers to a group (it could not be searched alone)."""
    for op, av in items:
        if op in (C.GROUPREF, C.GROUPREF_EXISTS) or (op is C.SUBPATTERN and av[0] is not None):
            return True
        children = _children(op, av)
        if any(_has_groups(child) for child in children):
            return True
    return False


def _children(op: Any, av: Any) -> list[list[Any]]:
    if op is C.BRANCH:
        return [list(b) for b in av[1]]
    if op is C.SUBPATTERN:
        return [list(av[-1])]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return [list(av[2])]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [list(av[1])]
    if op is C.ATOMIC_GROUP:
        return [list(av)]
    return []
