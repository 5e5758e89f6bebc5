"""The HTTP contract, case by case (the schemathesis run explores it at random):
every status code an operation answers is in its OpenAPI, 405 lists every method of the
path, hostile text is stored safely on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from api.db import Audit

from .conftest import is_problem, policy_text

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def documented(client, method: str, path: str) -> dict:
    return client.get("/openapi.json").json()["paths"][path][method]["responses"]


def assert_documented(client, response, method: str, path: str) -> None:
    responses = documented(client, method, path)
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {path} answered {status}, not documented"
    content = responses[status].get("content")
    if content:
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in content, (status, media_type, list(content))
    for header, spec in responses[status].get("headers", {}).items():
        if spec.get("required"):
            assert header.lower() in response.headers, (status, header)


def test_method_not_allowed_lists_every_method_of_the_path(client):
    response = client.put("/api/v1/audits/abc")
    assert is_problem(response, 405)
    assert [m.strip() for m in response.headers["allow"].split(",")] == [
        "GET", "HEAD", "DELETE"]
    assert client.get("/api/v1/audits").headers["allow"] == "POST"
    assert client.request("OPTIONS", "/healthz").headers["allow"] == "GET, HEAD"


def test_static_files_are_read_only(client):
    response = client.post("/static/app.css")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_every_error_of_the_scoring_endpoint_is_documented(make_client):
    client = make_client(max_upload_bytes=50_000)
    path = "/api/v1/audits"
    cases = [
        client.post(path, content=b"text", headers={"Content-Type": "text/plain"}),  # 415
        client.post(path, content=b"{", headers={"Content-Type": "application/json"}),  # 400
        client.post(path, json={"text": ""}),  # 422 empty
        client.post(path, json={"text": "x" * 60_000}),  # 413
        client.post(path, files={"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)}),  # 415
        client.post(path, json={"text": policy_text("C")}),  # 201
        client.post(path, json={"text": policy_text("C")}),  # 200
    ]
    assert [r.status_code for r in cases] == [415, 400, 422, 413, 415, 201, 200]
    for response in cases:
        assert_documented(client, response, "post", path)


def test_every_error_of_delete_is_documented(client):
    created = client.post("/api/v1/audits", json={"text": policy_text("D")}).json()
    path = "/api/v1/audits/{audit_id}"
    url = created["links"]["self"]
    cases = [
        client.delete(url),  # 401, with WWW-Authenticate
        client.delete(url, headers={"Authorization": "Bearer wrong"}),  # 403
        client.delete("/api/v1/audits/nope", headers={"X-Delete-Token": "x"}),  # 404
        client.delete(url, headers={"X-Delete-Token": created["delete_token"]}),  # 204
    ]
    assert [r.status_code for r in cases] == [401, 403, 404, 204]
    for response in cases:
        assert_documented(client, response, "delete", path)


def test_a_database_outage_is_a_documented_503(client, monkeypatch):
    created = client.post("/api/v1/audits", json={"text": policy_text("O")}).json()
    service = client.app.state.service

    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(service, "sessions", unreachable)
    response = client.get(created["links"]["self"])
    assert is_problem(response, 503)
    assert response.headers["retry-after"] == "5"
    assert "connection refused" not in response.text  # no internals
    assert_documented(client, response, "get", "/api/v1/audits/{audit_id}")
    page = client.get(created["links"]["page"], headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "not reachable" in page.text and page.headers["content-type"].startswith("text/html")


def test_every_operation_documents_its_errors_as_problems(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "500" in codes or path == "/healthz", (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], code
            assert "422" not in codes or method == "post", (method, path)  # path ids: 404


def test_half_a_surrogate_pair_is_a_422_not_a_500(client):
    response = client.post(
        "/api/v1/audits",
        content=b'{"text": "Plate data is kept \\ud800 for 30 days."}',
        headers={"Content-Type": "application/json"},
    )
    assert is_problem(response, 422)
    assert "surrogate" in response.json()["detail"]


def test_a_bad_query_value_is_refused_even_when_the_body_names_a_good_one(client):
    response = client.post(
        "/api/v1/audits?rubric=nope", json={"text": policy_text("Q"), "rubric": "core"}
    )
    assert is_problem(response, 422)
    assert response.json()["code"] == "unknown-rubric"
    unknown = client.post("/api/v1/audits?rubirc=core", json={"text": policy_text("Q")})
    assert is_problem(unknown, 422)
    assert "rubirc" in unknown.json()["detail"]


def test_nul_after_the_first_8kb_is_cleaned_before_storage(client):
    """The bug PostgreSQL showed: NUL past the binary check reached the database (500)."""
    filler = "".join(
        f"Section {n}. Officers shall keep the patrol log current.\n" for n in range(200)
    )
    text = (
        filler + "Retention.\x00 Plate reads not tied to a case shall be purged after 30 "
        "days.\x01\x1b\n"
    )
    assert text.encode().index(b"\x00") > 8192
    for send in (
        lambda: client.post("/api/v1/audits", json={"text": text, "name": "nul.txt"}),
        lambda: client.post("/api/v1/audits", files={"file": ("nul2.txt", (text + "2").encode())}),
    ):
        response = send()
        assert response.status_code == 201, response.text
        body = response.json()
        service = client.app.state.service
        with service.sessions() as session:
            row = session.scalars(select(Audit).where(Audit.id == body["id"])).one()
        assert not CONTROLS.search(row.extracted_text)
        assert "Retention. Plate reads" in row.extracted_text
        quotes = [e for c in body["criteria"] for e in c["evidence"]]
        assert quotes
        for quote in quotes:  # the page highlights quotes at these offsets in this text
            assert row.extracted_text[quote["start"] : quote["end"]] == quote["text"]
        assert client.get(body["links"]["self"]).json()["criteria"] == body["criteria"]


@pytest.mark.parametrize("name", ["a\x00b.txt", "tab\there.txt"])
def test_control_characters_in_names_are_not_stored(client, name):
    response = client.post("/api/v1/audits", files={"file": (name, policy_text("N").encode())})
    assert response.status_code in (200, 201), response.text
    assert not CONTROLS.search(response.json()["document"]["name"])
