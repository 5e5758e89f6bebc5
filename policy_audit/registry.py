"""Names → implementations, for everything a rubric or a state file may name.

A leaf module: it imports nothing from the package. Implementations register themselves by
name when their package is imported:

- scorers (``@register_scorer("retention")``): findings → verdict; the rubric loader asks
  ``scorer_names()``, which imports only the pure scoring package, so validating a rubric
  never loads spaCy;
- detectors (``@register_detector("retention", TRIGGERS)``): a clause → findings, run on the
  sentences whose words include one of the triggers;
- extractors (``@register_extractor("docx")``): a document's bytes → lines of text, chosen by
  the format ingest sniffs.

The cue vocabulary that state files name lives in ``policy_audit.cues``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

Scorer = Callable[..., Any]
_F = TypeVar("_F", bound=Callable[..., Any])

# Which module registers the built-in implementations of each kind (imported on first use).
_BUILTINS = {
    "scorer": "policy_audit.scoring",
    "detector": "policy_audit.detect",
    "extractor": "policy_audit.ingest",
}
_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {kind: {} for kind in _BUILTINS}
_TRIGGERS: dict[str, tuple[str, ...]] = {}


class RegistryError(ValueError):
    """Two implementations claimed one name."""


def _register(kind: str, name: str) -> Callable[[_F], _F]:
    def add(function: _F) -> _F:
        known = _REGISTRY[kind]
        if name in known and known[name] is not function:
            raise RegistryError(f"{kind} {name!r} is registered twice")
        known[name] = function
        return function

    return add


def register_scorer(name: str) -> Callable[[_F], _F]:
    """Register a scorer: ``(findings[, criterion]) -> Verdict``."""
    return _register("scorer", name)


def register_detector(topic: str, triggers: tuple[str, ...]) -> Callable[[_F], _F]:
    """Register a clause reader for ``topic``, run on sentences holding one of ``triggers``."""
    _TRIGGERS[topic] = tuple(triggers)
    return _register("detector", topic)


def register_extractor(kind: str) -> Callable[[_F], _F]:
    """Register the reader of one document format (``pdf``, ``docx``, ``html`` …)."""
    return _register("extractor", kind)


def _loaded(kind: str) -> Mapping[str, Callable[..., Any]]:
    importlib.import_module(_BUILTINS[kind])
    return _REGISTRY[kind]


def scorers() -> Mapping[str, Scorer]:
    return _loaded("scorer")


def scorer_names() -> list[str]:
    return sorted(_loaded("scorer"))


def detectors() -> Mapping[str, tuple[tuple[str, ...], Callable[..., Any]]]:
    """topic → (trigger words, clause reader), in registration order."""
    return {topic: (_TRIGGERS[topic], reader) for topic, reader in _loaded("detector").items()}


def extractors() -> Mapping[str, Callable[..., Any]]:
    return _loaded("extractor")
