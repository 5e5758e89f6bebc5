from __future__ import annotations

import pytest

from .conftest import is_problem, policy_text

CONTRACT = {"schema_version", "document", "rubric", "overall", "facts", "criteria"}


def test_create_from_json(client):
    response = client.post("/api/v1/audits", json={"text": policy_text(), "name": "p.txt"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) >= CONTRACT
    assert body["document"]["name"] == "p.txt"
    assert len(body["id"]) >= 20
    assert body["links"] == {
        "self": f"/api/v1/audits/{body['id']}",
        "report_md": f"/api/v1/audits/{body['id']}/report.md",
        "report_html": f"/api/v1/audits/{body['id']}/report.html",
        "amendments_md": f"/api/v1/audits/{body['id']}/amendments.md",
        "page": f"/audits/{body['id']}",
    }
    assert body["delete_token"]
    assert response.headers["location"] == body["links"]["self"]


def test_create_from_multipart(client):
    files = {"file": ("riverbend.txt", policy_text("B").encode(), "text/plain")}
    response = client.post("/api/v1/audits", files=files, data={"rubric": "core"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) >= CONTRACT
    assert body["document"]["name"] == "riverbend.txt"
    assert body["rubric"]["id"] == "core"
    assert body["delete_token"]


def test_same_document_twice_gives_the_saved_audit(client):
    first = client.post("/api/v1/audits", json={"text": policy_text("C")})
    again = client.post("/api/v1/audits", json={"text": policy_text("C")})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert "delete_token" not in again.json()
    # The same bytes uploaded as a file are the same document.
    files = {"file": ("other-name.txt", policy_text("C").encode(), "text/plain")}
    upload = client.post("/api/v1/audits", files=files)
    assert upload.status_code == 200
    assert upload.json()["id"] == first.json()["id"]


def test_ids_differ_between_documents(client):
    one = client.post("/api/v1/audits", json={"text": policy_text("D")}).json()["id"]
    two = client.post("/api/v1/audits", json={"text": policy_text("E")}).json()["id"]
    assert one != two


def test_get_audit(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("F")}).json()
    response = client.get(created["links"]["self"])
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == created["id"]
    assert "delete_token" not in body
    assert body["overall"] == created["overall"]
    assert body["criteria"] == created["criteria"]


def test_unknown_id_is_404_problem(client):
    response = client.get("/api/v1/audits/not-a-real-id")
    assert is_problem(response, 404)
    assert is_problem(client.get("/api/v1/audits/" + "x" * 500), 404)
    assert is_problem(client.get("/api/v1/audits/nope/report.md"), 404)
    assert is_problem(client.delete("/api/v1/audits/nope"), 404)


def _renderer_available() -> bool:
    try:
        from policy_audit.report import render  # noqa: F401
    except ImportError:
        return False
    return True


needs_renderer = pytest.mark.skipif(not _renderer_available(), reason="no report renderer yet")


@needs_renderer
def test_report_markdown(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("G")}).json()
    response = client.get(created["links"]["report_md"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.strip()


def test_amendments_markdown_lists_what_falls_short(client):
    weak = "ALPR data may be kept as long as necessary and shared with any agency."
    created = client.post("/api/v1/audits", json={"text": weak, "name": "weak.txt"}).json()
    response = client.get(created["links"]["amendments_md"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# Requested amendments: weak.txt")
    assert "Model language" in response.text or "to read:" in response.text
    assert is_problem(client.get("/api/v1/audits/nope/amendments.md"), 404)


@needs_renderer
def test_report_html_escapes_policy_text(client):
    text = policy_text("H").replace(
        "Plate reads that are not linked",
        "Plate reads <script>alert('x')</script> that are not linked",
    )
    created = client.post(
        "/api/v1/audits", json={"text": text, "name": "<script>alert(1)</script>.txt"}
    ).json()
    response = client.get(created["links"]["report_html"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_delete_needs_the_token(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("J")}).json()
    url = created["links"]["self"]

    missing = client.delete(url)
    assert is_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert is_problem(client.delete(url, headers={"Authorization": "Basic abc"}), 401)
    assert is_problem(client.delete(url, headers={"Authorization": "Bearer wrong"}), 403)
    assert client.get(url).status_code == 200

    right = client.delete(url, headers={"Authorization": f"Bearer {created['delete_token']}"})
    assert right.status_code == 204
    assert right.content == b""
    assert is_problem(client.get(url), 404)
    assert is_problem(client.get(created["links"]["report_md"]), 404)
    # Deleted means gone: the same document now makes a new audit.
    again = client.post("/api/v1/audits", json={"text": policy_text("J")})
    assert again.status_code == 201
    assert again.json()["id"] != created["id"]


def test_token_of_another_audit_is_refused(client):
    one = client.post("/api/v1/audits", json={"text": policy_text("K")}).json()
    two = client.post("/api/v1/audits", json={"text": policy_text("L")}).json()
    response = client.delete(
        one["links"]["self"], headers={"Authorization": f"Bearer {two['delete_token']}"}
    )
    assert is_problem(response, 403)


def test_jurisdiction_adds_state_law_findings(client):
    text = policy_text("V")
    plain = client.post("/api/v1/audits", json={"text": text})
    state = client.post("/api/v1/audits", json={"text": text, "jurisdiction": "VA"})
    assert plain.status_code == 201
    assert state.status_code == 201, state.text
    body = state.json()
    assert body["id"] != plain.json()["id"]  # another jurisdiction is another audit
    assert body["jurisdiction"] == "VA"
    assert body["legal_findings"]
    assert {f["jurisdiction"] for f in body["legal_findings"]} == {"VA"}
    assert plain.json()["legal_findings"] == []
    # The code is case-insensitive: "va" is the same audit.
    files = {"file": ("p.txt", text.encode(), "text/plain")}
    again = client.post("/api/v1/audits", files=files, data={"jurisdiction": " va "})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert client.get(body["links"]["self"]).json()["jurisdiction"] == "VA"


@pytest.mark.parametrize("code", ["ZZ", "../etc/passwd", "California"])
def test_unknown_jurisdiction(client, code):
    response = client.post("/api/v1/audits", json={"text": policy_text(), "jurisdiction": code})
    assert is_problem(response, 422)
    assert response.json()["code"] == "unknown-jurisdiction"
    assert "VA" in response.json()["detail"]  # says which ones exist
    files = {"file": ("p.txt", policy_text().encode(), "text/plain")}
    form = client.post("/api/v1/audits", files=files, data={"jurisdiction": code})
    assert is_problem(form, 422)


def test_unknown_rubric(client):
    response = client.post("/api/v1/audits", json={"text": policy_text(), "rubric": "/etc"})
    assert is_problem(response, 422)
    assert "core" in response.json()["detail"]


def test_delete_with_x_delete_token_header(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("X")}).json()
    url = created["links"]["self"]
    assert is_problem(client.delete(url, headers={"X-Delete-Token": "wrong"}), 403)
    response = client.delete(url, headers={"X-Delete-Token": created["delete_token"]})
    assert response.status_code == 204
    assert is_problem(client.get(url), 404)
