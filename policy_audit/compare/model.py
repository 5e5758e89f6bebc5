"""One draft against the rubric's model language: what it would take to reach strong."""

from __future__ import annotations

import difflib

from ..models import Scorecard
from ..report.common import split_recommendation
from ..rubric import Rubric
from .deltas import Version, _criteria, _info
from .models import Comparison, DiffRun, ModelGap, OverallDelta
from .redline import word_diff
from .sections import Word, words_of

REDLINE_AT = 0.4  # share of words in common (difflib ratio) to show the quote redlined


def _word_similarity(a: list[Word], b: list[Word]) -> float:
    matcher = difflib.SequenceMatcher(None, [w.key.lower() for w in a],
                                      [w.key.lower() for w in b], autojunk=False)
    return matcher.ratio()


def compare_to_model(version: Version, rubric: Rubric | None = None) -> Comparison:
    """Every criterion below strong, its deciding quote and the model language, with a word
    diff from one to the other (all new words when the policy says nothing)."""
    card: Scorecard = version.card
    gaps: list[ModelGap] = []
    for result in card.criteria:
        if result.level == "strong":
            continue
        model = ""
        if rubric is not None and rubric.id == card.rubric.id:
            try:
                model = rubric.criterion(result.id).model_language.strip()
            except KeyError:
                model = ""
        if not model:
            model = split_recommendation(result.recommendation)[1]
        if not model:
            continue
        model = " ".join(model.split())
        quote = result.evidence[0] if result.evidence else None
        diff = [DiffRun(op="insert", text=model)]
        if quote is not None:
            old_text = " ".join(quote.text.split())
            old_words, new_words = words_of(old_text), words_of(model)
            # Only a quote that is a version of the model sentence reads well as a redline
            # of it; otherwise the model language is simply what to add.
            if _word_similarity(old_words, new_words) >= REDLINE_AT:
                diff = word_diff(old_words, new_words, old_text, model)
        gaps.append(ModelGap(id=result.id, title=result.title, level=result.level,
                             quote=quote, model_language=model, diff=diff))
    score = card.overall.score
    return Comparison(
        kind="model", rubric=card.rubric, jurisdiction=card.jurisdiction,
        versions=[_info(0, version)], criteria=_criteria([card]),
        overall=OverallDelta(scores=[score], grades=[card.overall.grade], delta=0.0,
                             change="unchanged"),
        retention_days=[card.facts.retention_days], model=gaps,
        warnings=[f"{card.document.name}: {w}" for w in card.warnings],
    )
