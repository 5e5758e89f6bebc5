"""Bad input always gets a 4xx problem+json, never a 500."""

from __future__ import annotations

import pytest

from .conftest import is_problem, policy_text


@pytest.mark.parametrize(
    "payload",
    [
        {"text": ""},
        {"text": "   \n\t  "},
    ],
)
def test_empty_text(client, payload):
    response = client.post("/api/v1/audits", json=payload)
    assert is_problem(response, 422)
    assert response.json()["code"] == "empty-document"


def test_empty_upload(client):
    files = {"file": ("empty.txt", b"", "text/plain")}
    response = client.post("/api/v1/audits", files=files)
    assert is_problem(response, 422)


def test_binary_junk(client):
    junk = bytes(range(256)) * 40 + b"\x00\xff\xfe" * 100
    files = {"file": ("junk.bin", junk, "application/octet-stream")}
    response = client.post("/api/v1/audits", files=files)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


def test_fake_pdf(client):
    files = {"file": ("policy.pdf", b"%PDF-1.7\n" + b"\x13\x37" * 500, "application/pdf")}
    response = client.post("/api/v1/audits", files=files)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_oversized_upload(make_client):
    client = make_client(max_upload_bytes=2000)
    files = {"file": ("big.txt", policy_text().encode() * 4, "text/plain")}
    response = client.post("/api/v1/audits", files=files)
    assert is_problem(response, 413)


def test_body_over_the_request_limit(make_client):
    """Past the whole-body limit (upload limit + 64 KiB) the framework refuses the request."""
    client = make_client(max_upload_bytes=1000)
    files = {"file": ("huge.txt", b"plate " * 40_000, "text/plain")}
    assert is_problem(client.post("/api/v1/audits", files=files), 413)
    big_json = {"text": "plate " * 40_000}
    assert is_problem(client.post("/api/v1/audits", json=big_json), 413)


def test_oversized_json_text(make_client):
    client = make_client(max_upload_bytes=2000)
    response = client.post("/api/v1/audits", json={"text": policy_text() * 4})
    assert is_problem(response, 413)


def test_too_many_characters(make_client):
    client = make_client(max_characters=500)
    response = client.post("/api/v1/audits", json={"text": policy_text()})
    assert is_problem(response, 413)


def test_malformed_json(client):
    response = client.post(
        "/api/v1/audits",
        content=b'{"text": "unfinished',
        headers={"content-type": "application/json"},
    )
    assert is_problem(response, 400)
    assert response.json()["code"] == "malformed-json"
    not_utf8 = client.post(
        "/api/v1/audits", content=b"\xff\xfe{}", headers={"content-type": "application/json"}
    )
    assert is_problem(not_utf8, 400)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"text": 12},
        {"text": None},
        [],
        "just a string",
        {"text": "x", "surprise": True},
        {"text": "x", "name": ["a"]},
    ],
)
def test_invalid_json_shapes(client, payload):
    response = client.post("/api/v1/audits", json=payload)
    assert is_problem(response, 422)
    assert response.json()["errors"]


def test_multipart_without_file(client):
    response = client.post("/api/v1/audits", data={"text": "hello"}, files={"other": ("a", b"b")})
    assert is_problem(response, 422)
    assert response.json()["code"] == "missing-file"


def test_multipart_form_without_any_file(client):
    response = client.post("/api/v1/audits", data={"rubric": "core"})
    # urlencoded form: not a content type this endpoint takes
    assert is_problem(response, 415)


def test_broken_multipart(client):
    response = client.post(
        "/api/v1/audits",
        content=b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


def test_unsupported_content_type(client):
    response = client.post(
        "/api/v1/audits", content=b"some text", headers={"content-type": "text/plain"}
    )
    assert is_problem(response, 415)
    assert is_problem(client.post("/api/v1/audits"), 415)


def test_unknown_route_and_method(client):
    assert is_problem(client.get("/api/v1/nothing-here"), 404)
    assert is_problem(client.put("/api/v1/audits"), 405)
    assert is_problem(client.get("/api/v1/audits"), 405)  # no endpoint lists audits


def test_unexpected_error_is_a_500_problem_without_internals(client, monkeypatch):
    from api.service import AuditService

    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internal detail /srv/db")

    monkeypatch.setattr(AuditService, "create", boom)
    response = client.post("/api/v1/audits", json={"text": policy_text()})
    assert is_problem(response, 500)
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def _pdf(pages: list[str]) -> bytes:
    canvas_module = pytest.importorskip("reportlab.pdfgen.canvas")
    import io

    buffer = io.BytesIO()
    canvas = canvas_module.Canvas(buffer)
    for page in pages:
        text = canvas.beginText(72, 720)
        for line in page.splitlines():
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_pdf_upload_and_page_limit(make_client):
    pages = [policy_text("U"), "Section 5. Training.\nOperators complete a course every year."]
    pdf = _pdf(pages)
    client = make_client(max_pages=1)
    refused = client.post("/api/v1/audits", files={"file": ("p.pdf", pdf, "application/pdf")})
    assert is_problem(refused, 413)
    client = make_client()
    accepted = client.post("/api/v1/audits", files={"file": ("p.pdf", pdf, "application/pdf")})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["document"]["media_type"] == "application/pdf"
    assert accepted.json()["document"]["pages"] == 2


def test_a_document_about_something_else_is_refused_unless_forced(client):
    recipe = {"text": "Lemon cake: beat the butter and sugar, add four eggs, bake 45 minutes.",
              "name": "cake.txt"}
    refused = client.post("/api/v1/audits", json=recipe)
    assert is_problem(refused, 422)
    assert refused.json()["code"] == "not-an-alpr-policy"
    assert "force" in refused.json()["detail"]
    forced = client.post("/api/v1/audits", json={**recipe, "force": True})
    assert forced.status_code == 201
    assert "never mentions license plate readers" in forced.json()["warnings"][0]
    files = {"file": ("cake.txt", recipe["text"].encode() + b" Serves 8.", "text/plain")}
    assert is_problem(client.post("/api/v1/audits", files=files), 422)
    forced = client.post("/api/v1/audits?force=true", files=files)
    assert forced.status_code == 201


def test_the_form_keeps_the_text_and_offers_to_score_anyway(client):
    form = {"text": "Privacy notice: we collect your email address to send the newsletter."}
    page = client.post("/audits", data=form, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "does not look like an ALPR policy" in page.text
    assert 'id="force"' in page.text and "we collect your email address" in page.text
    scored = client.post("/audits", data={**form, "force": "on"}, follow_redirects=False)
    assert scored.status_code == 303


def test_force_must_be_a_boolean_or_a_flag_word(client):
    text = {"text": "Lemon cake: beat the butter and sugar, bake 45 minutes.", "name": "c.txt"}
    assert is_problem(client.post("/api/v1/audits", json={**text, "force": 0}), 422)
    assert is_problem(client.post("/api/v1/audits", json={**text, "force": "yes"}), 422)
    assert is_problem(client.post("/api/v1/audits?force=perhaps", json=text), 422)
    assert client.post("/api/v1/audits?force=on", json=text).status_code == 201
