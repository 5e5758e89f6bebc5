"""Saved audits follow the rubric: when its files change (another digest), an audit is
re-scored the next time it is read or uploaded, keeping its id, link and delete token."""

from __future__ import annotations

import shutil
from pathlib import Path

from policy_audit.rubric import load_rubric_dir, rubric_root

from .conftest import policy_text


def _edited_core(tmp_path: Path) -> Path:
    """The shipped core rubric with one changed number: retention's strong score."""
    folder = tmp_path / "core"
    (folder / "criteria").mkdir(parents=True)
    manifest = (rubric_root() / "core" / "rubric.toml").read_text(encoding="utf-8")
    (folder / "rubric.toml").write_text(
        manifest.replace('criteria_dir = "../criteria"', 'criteria_dir = "criteria"'),
        encoding="utf-8")
    for name in ("retention", "sharing", "immigration", "reporting"):
        shutil.copy(rubric_root() / "criteria" / f"{name}.toml", folder / "criteria")
    retention = folder / "criteria" / "retention.toml"
    text = retention.read_text(encoding="utf-8")
    edited = text.replace("score = 1.0\nmax_days = 30", "score = 0.5\nmax_days = 30", 1)
    assert edited != text
    retention.write_text(edited, encoding="utf-8")
    return folder


def test_a_changed_rubric_file_rescores_a_saved_audit_in_place(client, tmp_path):
    created = client.post("/api/v1/audits", json={"text": policy_text("D"), "rubric": "core"})
    assert created.status_code == 201
    body = created.json()
    retention = next(c for c in body["criteria"] if c["id"] == "retention")
    assert (retention["level"], retention["score"]) == ("strong", 1.0)

    service = client.app.state.service
    edited = load_rubric_dir(_edited_core(tmp_path))
    assert edited.id == "core" and edited.digest != body["rubric"]["digest"]
    service.rubrics["core"] = edited  # as if the server restarted with the edited file

    fetched = client.get(body["links"]["self"]).json()
    assert fetched["id"] == body["id"]
    assert fetched["rubric"]["digest"] == edited.digest
    retention = next(c for c in fetched["criteria"] if c["id"] == "retention")
    assert (retention["level"], retention["score"]) == ("strong", 0.5)
    assert fetched["overall"]["score"] < body["overall"]["score"]
    # Quotes still point into the stored text, with their page numbers kept.
    assert retention["evidence"][0]["text"] in policy_text("D")

    again = client.post("/api/v1/audits", json={"text": policy_text("D"), "rubric": "core"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    deleted = client.delete(body["links"]["self"],
                            headers={"Authorization": f"Bearer {body['delete_token']}"})
    assert deleted.status_code == 204


def test_an_unchanged_rubric_serves_the_stored_scorecard(client):
    body = client.post("/api/v1/audits", json={"text": policy_text("E")}).json()
    service = client.app.state.service
    calls = []
    original = service.pool.run
    service.pool.run = lambda job: calls.append(job) or original(job)
    try:
        assert client.get(body["links"]["self"]).json()["criteria"] == body["criteria"]
    finally:
        service.pool.run = original
    assert calls == [], "nothing is re-scored while the rubric's digest is the same"


def test_a_rescored_pdf_keeps_its_page_numbers(client, tmp_path):
    pdf = Path(__file__).parent.parent.parent / "sample_policies" / "millbrook-so-policy.pdf"
    files = {"file": (pdf.name, pdf.read_bytes(), "application/pdf")}
    body = client.post("/api/v1/audits", files=files, data={"rubric": "core"}).json()
    pages = [e["page"] for c in body["criteria"] for e in c["evidence"]]
    assert pages and all(isinstance(p, int) for p in pages)
    client.app.state.service.rubrics["core"] = load_rubric_dir(_edited_core(tmp_path))
    fetched = client.get(body["links"]["self"]).json()
    assert fetched["rubric"]["digest"] != body["rubric"]["digest"]
    assert [e["page"] for c in fetched["criteria"] for e in c["evidence"]] == pages
