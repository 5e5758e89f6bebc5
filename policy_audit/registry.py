"""Names → implementations, for everything a rubric or a state file may name.

A leaf module: it imports nothing from the package. Scorers register themselves by name
(``@register_scorer("retention")``) when their package is imported; the rubric loader asks
``scorer_names()``, which imports only the pure scoring package, so validating a rubric
never loads spaCy. The cue vocabulary that state files name lives in ``policy_audit.cues``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

Scorer = Callable[..., Any]
_F = TypeVar("_F", bound=Callable[..., Any])

# Which module registers the built-in implementations of each kind (imported on first use).
_BUILTINS = {"scorer": "policy_audit.scoring"}
_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {kind: {} for kind in _BUILTINS}


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


def _loaded(kind: str) -> Mapping[str, Callable[..., Any]]:
    importlib.import_module(_BUILTINS[kind])
    return _REGISTRY[kind]


def scorers() -> Mapping[str, Scorer]:
    return _loaded("scorer")


def scorer_names() -> list[str]:
    return sorted(_loaded("scorer"))
