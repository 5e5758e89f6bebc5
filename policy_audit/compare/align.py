"""Match the sections of two versions by their words, never by their numbers.

Greedy "best similarity first" matching is what makes legal redlines lie: boilerplate
clauses share most of their wording, so an unrelated pair scores well and every later
match slides. Here matches are taken in order of confidence:

1. identical words (a renumbered section is still the same section), when unique; and the
   text before the first heading of each;
2. pairs that are each other's best candidate by a clear margin;
3. a longest-increasing-subsequence pass keeps the matches that are in order; a confident
   match out of order is a *moved* section, a weak one is dropped;
4. between two in-order matches, the sections left over are paired by similarity, in
   order, at a lower bar (their position agrees, so less wording has to).

Whatever is left is inserted (only in the new version) or deleted (only in the old).

Similarity (0-100) is the mean of two word-level measures: rapidfuzz's Indel similarity over
the sections' word sequences (a longest common subsequence of words: edits cost what they
change) and the share of the shorter section's word pairs (bigrams) found in the other
(a section that grew or was split keeps its pairs). Character-level ratios do not separate
sections on one subject: two unrelated clauses of the same policy score 45-55 there,
10-15 here; two that share only a boilerplate sentence score about 35-40 here.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import numpy
from rapidfuzz import process
from rapidfuzz.distance import Indel

from .sections import Section

MATCH_AT = 55.0  # round 2: a pair this similar may be the same section
MOVE_AT = 65.0  # round 3: an out-of-order pair this similar is a moved section
GAP_AT = 55.0  # round 4: between in-order matches (position agrees, but boilerplate too)
MARGIN = 5.0  # round 2: best by at least this much, on both sides
MIN_WORDS = 3  # shorter sections match only exactly or by position


@dataclass(frozen=True, slots=True)
class Pair:
    old: int
    new: int
    similarity: float
    moved: bool = False


def similarity_matrix(old: list[Section], new: list[Section]) -> numpy.ndarray:
    if not old or not new:
        return numpy.zeros((len(old), len(new)))
    a = [s.key.split() for s in old]
    b = [s.key.split() for s in new]
    sequence = process.cdist(a, b, scorer=Indel.normalized_similarity, workers=1) * 100
    pairs_a = [set(itertools.pairwise(words)) for words in a]
    pairs_b = [set(itertools.pairwise(words)) for words in b]
    shared = numpy.array([[100.0 * len(x & y) / max(1, min(len(x), len(y))) for y in pairs_b]
                          for x in pairs_a])
    return (sequence + shared) / 2.0


def align(old: list[Section], new: list[Section]) -> list[Pair]:
    """Matched (old, new) section pairs; ``moved`` marks pairs outside the kept order."""
    scores = similarity_matrix(old, new)
    pairs: dict[int, Pair] = {}  # by old index
    taken_new: set[int] = set()

    def take(i: int, j: int) -> None:
        pairs[i] = Pair(i, j, round(float(scores[i, j]), 1))
        taken_new.add(j)

    # 1. identical words, unique on both sides
    by_key_old: dict[str, list[int]] = {}
    by_key_new: dict[str, list[int]] = {}
    for s in old:
        by_key_old.setdefault(s.key, []).append(s.index)
    for s in new:
        by_key_new.setdefault(s.key, []).append(s.index)
    for key, olds in by_key_old.items():
        news = by_key_new.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            take(olds[0], news[0])

    # The text before the first heading (a title block, a preamble) is the same place in
    # both versions, whatever it says.
    if old and new and not old[0].title and not new[0].title and 0 not in pairs \
            and 0 not in taken_new:
        take(0, 0)

    # 2. mutual best candidates, each clearly ahead of its runner-up
    long_old = {s.index for s in old if len(s.words) >= MIN_WORDS}
    long_new = {s.index for s in new if len(s.words) >= MIN_WORDS}
    while True:
        free_old = [i for i in sorted(long_old) if i not in pairs]
        free_new = [j for j in sorted(long_new) if j not in taken_new]
        if not free_old or not free_new:
            break
        sub = scores[numpy.ix_(free_old, free_new)]
        found = False
        for row, i in enumerate(free_old):
            col = int(sub[row].argmax())
            best = sub[row, col]
            if best < MATCH_AT or int(sub[:, col].argmax()) != row:
                continue
            if _runner_up(sub[row], col) > best - MARGIN:
                continue
            if _runner_up(sub[:, col], row) > best - MARGIN:
                continue
            take(i, free_new[col])
            found = True
        if not found:
            break

    # 3. keep the longest run of matches that is in order; the rest moved or dropped
    ordered = sorted(pairs.values(), key=lambda p: p.old)
    keep = _longest_increasing(ordered)
    result: list[Pair] = []
    for index, pair in enumerate(ordered):
        if index in keep:
            result.append(pair)
        elif pair.similarity >= MOVE_AT:
            result.append(Pair(pair.old, pair.new, pair.similarity, moved=True))
    anchors = sorted((p for p in result if not p.moved), key=lambda p: p.old)

    # 4. fill the gaps between in-order matches, in order
    used_old = {p.old for p in result}
    used_new = {p.new for p in result}
    bounds = [(-1, -1), *((p.old, p.new) for p in anchors), (len(old), len(new))]
    for (lo_old, lo_new), (hi_old, hi_new) in itertools.pairwise(bounds):
        gap_old = [i for i in range(lo_old + 1, hi_old) if i not in used_old]
        gap_new = [j for j in range(lo_new + 1, hi_new) if j not in used_new]
        result += _fill_gap(gap_old, gap_new, scores)
    return sorted(result, key=lambda p: (p.new, p.old))


def _runner_up(values: numpy.ndarray, best_at: int) -> float:
    if len(values) < 2:
        return -1.0
    others = numpy.delete(values, best_at)
    return float(others.max())


def _longest_increasing(pairs: list[Pair]) -> set[int]:
    """Indices (into ``pairs``, sorted by old) of a longest run increasing in ``new``."""
    tails: list[int] = []  # smallest "new" ending a run of each length
    tail_at: list[int] = []
    previous = [-1] * len(pairs)
    for index, pair in enumerate(pairs):
        position = bisect.bisect_left(tails, pair.new)
        if position == len(tails):
            tails.append(pair.new)
            tail_at.append(index)
        else:
            tails[position] = pair.new
            tail_at[position] = index
        previous[index] = tail_at[position - 1] if position else -1
    keep: set[int] = set()
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        keep.add(index)
        index = previous[index]
    return keep


def _fill_gap(gap_old: list[int], gap_new: list[int], scores: numpy.ndarray) -> list[Pair]:
    """Pair leftover sections between two anchors: best first, but never crossing."""
    candidates = sorted(
        ((float(scores[i, j]), i, j) for i in gap_old for j in gap_new
         if scores[i, j] >= GAP_AT),
        reverse=True,
    )
    chosen: list[Pair] = []
    for similarity, i, j in candidates:
        if any(p.old == i or p.new == j or (p.old < i) != (p.new < j) for p in chosen):
            continue
        chosen.append(Pair(i, j, round(similarity, 1)))
    return chosen
