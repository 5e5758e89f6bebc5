"""HEAD answers wherever GET does: the same status and headers, and no body (api.head)."""

from __future__ import annotations

import pytest

from .conftest import is_problem, policy_text


@pytest.fixture
def urls(client) -> list[str]:
    """A URL of every kind of GET route: pages, API reads, reports, docs, static files."""
    audit = client.post("/api/v1/audits", json={"text": policy_text("H")}).json()
    comparison = client.post(
        "/api/v1/comparisons", json={"versions": [{"audit_id": audit["id"]}]}
    ).json()
    links = audit["links"]
    return [
        "/",
        "/healthz",
        "/openapi.json",
        "/docs",
        "/static/app.css",
        "/assets/scorecard.css",
        "/compare",
        "/api/v1/rubrics",
        "/api/v1/rubrics/comprehensive",
        links["self"],
        links["report_md"],
        links["report_html"],
        links["amendments_md"],
        links["page"],
        f"{links['page']}/amendments.md",
        comparison["links"]["self"],
        comparison["links"]["report_html"],
        comparison["links"]["page"],
    ]


def test_head_gives_the_headers_of_get_and_no_body(client, urls):
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, (url, get.status_code)
        assert head.status_code == 200, url
        assert head.content == b"", url
        assert dict(head.headers) == dict(get.headers), url
        assert head.headers["content-length"] == str(len(get.content)), url


def test_head_of_a_page_keeps_its_security_and_cache_headers(client, urls):
    page = next(url for url in urls if url.startswith("/audits/") and url.count("/") == 2)
    head = client.head(page)
    assert "frame-ancestors 'none'" in head.headers["content-security-policy"]
    assert head.headers["x-content-type-options"] == "nosniff"
    assert head.headers["cache-control"] == "no-store"


def test_head_of_a_missing_audit_is_a_404_without_a_body(client):
    get = client.get("/api/v1/audits/nope")
    head = client.head("/api/v1/audits/nope")
    assert is_problem(get, 404)
    assert head.status_code == 404
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_where_get_is_not_allowed_is_a_405_listing_the_methods(client):
    response = client.head("/api/v1/audits")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.content == b""


def test_allow_lists_head_wherever_get_is_allowed(client):
    assert client.put("/healthz").headers["allow"] == "GET, HEAD"
    assert client.post("/").headers["allow"] == "GET, HEAD"
    assert client.put("/api/v1/audits/abc").headers["allow"] == "GET, HEAD, DELETE"
    assert client.delete("/audits").headers["allow"] == "POST"


def test_head_is_not_a_second_operation_in_the_openapi(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path, operations in paths.items() if "head" in operations]
