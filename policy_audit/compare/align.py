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
# Past 500 × 500 sections the pairwise work grows out of hand (a hostile "policy" of
# 20,000 one-line headings): only identical sections, and short stretches between them,
# are matched; the rest is inserted or deleted, and the comparison says so.
MAX_PAIRS = 250_000
MAX_GAP_PAIRS = 2_500


def limited(old_count: int, new_count: int) -> bool:
    """Whether two versions have too many sections for similarity matching everywhere."""
    return old_count * new_count > MAX_PAIRS


@dataclass(frozen=True, slots=True)
class Pair:
    old: int
    new: int
    similarity: float
    moved: bool = False


def similarity_matrix(old: list[Section], new: list[Section]) -> numpy.ndarray:
    if not old or not new:
        return numpy.zeros((len(old), len(new)))
    # Every distinct word becomes one character and every distinct word pair one number:
    # rapidfuzz compares strings far faster than lists of words, and sets of ints
    # intersect faster than sets of tuples (the same results).
    codes: dict[str, str] = {}
    pair_ids: dict[tuple[str, str], int] = {}

    def encode(section: Section) -> tuple[str, set[int]]:
        words = section.key.split()
        text = "".join(codes.setdefault(w, _char(len(codes))) for w in words)
        pairs = {pair_ids.setdefault(p, len(pair_ids)) for p in itertools.pairwise(words)}
        return text, pairs

    a = [encode(s) for s in old]
    b = [encode(s) for s in new]
    # Word pairs in common, counted through an index of which new sections hold each pair.
    holders: dict[int, list[int]] = {}
    for column, (_, pairs) in enumerate(b):
        for pair in pairs:
            holders.setdefault(pair, []).append(column)
    postings = {pair: numpy.array(columns) for pair, columns in holders.items()}
    sizes_b = numpy.array([len(pairs) for _, pairs in b], dtype=float)
    shared = numpy.zeros((len(a), len(b)))
    for row, (_, pairs) in enumerate(a):
        found = [postings[pair] for pair in pairs if pair in postings]
        if found:
            common = numpy.bincount(numpy.concatenate(found), minlength=len(b))
            shared[row] = 100.0 * common / numpy.maximum(1, numpy.minimum(len(pairs), sizes_b))
    # A pair sharing under 10% of its word pairs cannot reach any bar (the mean of the two
    # measures stays under 55): its word sequences are compared only when cheap in bulk.
    candidates = shared >= 2 * min(MATCH_AT, GAP_AT) - 100
    texts_a, texts_b = [t for t, _ in a], [t for t, _ in b]
    if candidates.mean() > 0.25:
        sequence = process.cdist(texts_a, texts_b, scorer=Indel.normalized_similarity,
                                 workers=1) * 100
    else:
        sequence = numpy.zeros_like(shared)
        for row, column in zip(*numpy.nonzero(candidates), strict=True):
            sequence[row, column] = 100 * Indel.normalized_similarity(texts_a[row],
                                                                      texts_b[column])
    return (sequence + shared) / 2.0


def _char(index: int) -> str:
    """A distinct character per word, skipping the surrogate range."""
    code = 0x100 + index
    return chr(code + 0x800 if code >= 0xD800 else code)


def align(old: list[Section], new: list[Section]) -> list[Pair]:
    """Matched (old, new) section pairs; ``moved`` marks pairs outside the kept order."""
    is_limited = limited(len(old), len(new))
    scores = None if is_limited else similarity_matrix(old, new)
    pairs: dict[int, Pair] = {}  # by old index
    taken_new: set[int] = set()

    def take(i: int, j: int) -> None:
        if scores is not None:
            similarity = float(scores[i, j])
        else:
            similarity = float(similarity_matrix([old[i]], [new[j]])[0, 0])
        pairs[i] = Pair(i, j, round(similarity, 1))
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
    for _ in range(4 if scores is not None else 0):  # a few passes: each frees new bests
        free_old = [i for i in sorted(long_old) if i not in pairs]
        free_new = [j for j in sorted(long_new) if j not in taken_new]
        if not free_old or not free_new:
            break
        assert scores is not None  # the loop runs only with scores
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
        if not gap_old or not gap_new:
            continue
        if scores is not None:
            sub = scores[numpy.ix_(gap_old, gap_new)]
        elif len(gap_old) * len(gap_new) <= MAX_GAP_PAIRS:
            sub = similarity_matrix([old[i] for i in gap_old], [new[j] for j in gap_new])
        else:
            continue
        result += _fill_gap(gap_old, gap_new, sub)
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


def _fill_gap(gap_old: list[int], gap_new: list[int], sub: numpy.ndarray) -> list[Pair]:
    """Pair leftover sections between two anchors: best first, but never crossing.
    ``sub`` holds the similarities of gap_old × gap_new."""
    rows, cols = numpy.nonzero(sub >= GAP_AT)
    candidates = sorted(((float(sub[r, c]), gap_old[r], gap_new[c]) for r, c in
                         zip(rows.tolist(), cols.tolist(), strict=True)), reverse=True)
    chosen_old: list[int] = []  # sorted; chosen pairs never cross, so "new" is sorted too
    chosen_new: list[int] = []
    similarity_of: dict[int, float] = {}
    for similarity, i, j in candidates:
        if i in similarity_of:
            continue
        at = bisect.bisect_left(chosen_old, i)
        if at < len(chosen_new) and chosen_new[at] <= j:
            continue  # the next chosen pair (by old) must come after j in the new version
        if at > 0 and chosen_new[at - 1] >= j:
            continue
        chosen_old.insert(at, i)
        chosen_new.insert(at, j)
        similarity_of[i] = similarity
    return [Pair(i, j, round(similarity_of[i], 1))
            for i, j in zip(chosen_old, chosen_new, strict=True)]
