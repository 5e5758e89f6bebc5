from __future__ import annotations

from .conftest import is_problem


def test_list_rubrics(client):
    response = client.get("/api/v1/rubrics")
    assert response.status_code == 200
    rubrics = response.json()["rubrics"]
    ids = [r["id"] for r in rubrics]
    assert "core" in ids
    core = rubrics[ids.index("core")]
    assert core["version"]
    assert core["title"]
    assert core["criteria"] >= 1
    assert core["links"]["self"] == "/api/v1/rubrics/core"


def test_get_rubric(client):
    response = client.get("/api/v1/rubrics/core")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "core"
    criterion = body["criteria"][0]
    assert {"id", "title", "question", "weight", "levels", "citations", "model_language"} <= set(
        criterion
    )
    assert "detect" not in criterion
    assert set(body["grade_meanings"]) == set(body["grades"])
    default = client.get("/api/v1/rubrics/comprehensive").json()
    assert default["grade_meanings"]["A"].startswith("Close to the model language")


def test_unknown_rubric_is_404(client):
    assert is_problem(client.get("/api/v1/rubrics/nope"), 404)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from api.service import AuditService

    def down(_self):
        raise OSError("connection refused")

    monkeypatch.setattr(AuditService, "ping", down)
    assert is_problem(client.get("/healthz"), 503)


def test_openapi_is_served(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/audits" in paths
    assert "/api/v1/audits:batch" in paths
