"""Named loopholes: wording known to undo a safeguard, reported wherever a policy uses it.

The list is data (``rubric/loopholes.toml``): each loophole has an id, a title, the
criterion it weakens, a pattern, why it matters and where that is documented. Each pattern
is compiled once and run once over the whole text; a hit is quoted as the sentence that
holds it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import RubricError
from .models import ClauseReading, Evidence, LoopholeFound, SourceText
from .prefilter import Prefiltered, folded
from .rubric import IDENT, compiled, rubric_root

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Loophole(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=IDENT)]
    title: str = Field(min_length=3)
    criterion: Annotated[str, Field(pattern=IDENT)]
    pattern: str = Field(min_length=3)
    why: str = Field(min_length=10)
    source: str | None = None
    examples: list[str] = Field(default_factory=list, description="Wording it must catch.")


class _Library(BaseModel):
    model_config = ConfigDict(extra="forbid")

    loophole: list[Loophole]


@functools.cache
def library() -> tuple[tuple[Loophole, Prefiltered], ...]:
    path = rubric_root() / "loopholes.toml"
    if not path.is_file():
        return ()
    try:
        parsed = _Library.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        return tuple((lh, compiled(lh.pattern)) for lh in parsed.loophole)
    except (tomllib.TOMLDecodeError, ValidationError, re.error) as exc:
        raise RubricError(f"{path}: {exc}".splitlines()[0]) from None


def find_loopholes(doc: Doc, source: SourceText) -> list[LoopholeFound]:
    """Each loophole of the library, quoted in the first sentences (at most five) that use
    its wording. A loophole is read sentence by sentence: a sentence is searched only when
    it holds a word the loophole's wording needs (``policy_audit.prefilter``), and a
    question ("Can other agencies see our data?") is not a rule."""
    from .segment import sentence_bounds, text_of  # spaCy loads only to read a document

    patterns = library()
    whole = text_of(doc)
    quotes: dict[str, list[Evidence]] = {loophole.id: [] for loophole, _ in patterns}
    for sentence_start, sentence_end in sentence_bounds(doc):
        raw = whole[sentence_start:sentence_end]
        text = raw.strip()
        if not text or text.endswith("?"):
            continue
        lowered = folded(text)  # kept: a sentence that passes is tested again by search
        for loophole, pattern in patterns:
            found = quotes[loophole.id]
            if len(found) >= _QUOTES or not pattern.may_match_folded(lowered):
                continue
            if pattern.search(text) is None:
                continue
            start = sentence_start + (len(raw) - len(raw.lstrip()))
            cue = f"loophole.{loophole.id}"
            found.append(Evidence(
                text=text, start=start, end=start + len(text), page=source.page_at(start),
                rule=cue, reading=ClauseReading(detector="loopholes", cues=[cue], modality="none"),
            ))  # fmt: skip
    return [
        LoopholeFound(id=loophole.id, title=loophole.title, criterion=loophole.criterion,
                      why=loophole.why, source=loophole.source, evidence=quotes[loophole.id])
        for loophole, _ in patterns if quotes[loophole.id]
    ]  # fmt: skip


_QUOTES = 5  # sentences quoted for one loophole
