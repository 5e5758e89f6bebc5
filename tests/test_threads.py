"""The in-process API may be called from many threads at once (a web app, a notebook)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from policy_audit.pipeline import audit_text
from tests.conftest import source_of


def test_concurrent_audits_in_one_process_agree() -> None:
    # Each text brings words the shared vocabulary has never seen (new strings to intern).
    texts = [f"Policy {n}: plate reads of zorblax{n} kind shall be purged after {n + 1} days. "
             f"Data shall not be shared with quuxagency{n}." for n in range(24)]  # fmt: skip
    with ThreadPoolExecutor(max_workers=8) as pool:
        cards = list(pool.map(lambda t: audit_text(source_of(t), None), texts))
    assert [c.facts.retention_days for c in cards] == [n + 1 for n in range(24)]
    again = audit_text(source_of(texts[0]), None)
    assert again.model_dump() == cards[0].model_dump()
