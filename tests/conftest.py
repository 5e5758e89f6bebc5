"""Shared helpers: read policy text the way the engine does, without touching files."""

from __future__ import annotations

import pytest

from policy_audit.detect import detect
from policy_audit.models import ExtractionQuality, Finding, SourceText
from policy_audit.segment import make_doc


def source_of(text: str, name: str = "test-policy.txt") -> SourceText:
    return SourceText(
        name=name,
        media_type="text/plain",
        sha256="0" * 64,
        text=text,
        quality=ExtractionQuality(characters=len(text), words=len(text.split())),
    )


def findings_of(text: str) -> list[Finding]:
    source = source_of(text)
    return detect(make_doc(text), source)


@pytest.fixture
def read_findings():
    return findings_of
