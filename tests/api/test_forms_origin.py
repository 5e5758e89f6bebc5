"""The web forms refuse posts from other sites (cross-site request forgery).

TestClient requests go to ``http://testserver``; a browser on one of our pages sends that
as ``Origin`` (or, failing that, in ``Referer``).
"""

from __future__ import annotations

import pytest

from api.security import origin_of

from .conftest import policy_text
from .test_web import BROWSER

OURS = "http://testserver"
EVIL = "https://evil.example"


def post_form(client, text: str, **headers: str):
    return client.post(
        "/audits", data={"text": text}, headers={**BROWSER, **headers}, follow_redirects=False
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},  # a sandboxed frame, or a cross-site post under our referrer policy
        {"Origin": "http://testserver:8080"},  # another port is another origin
        {"Origin": "https://testserver"},  # and another scheme
        {"Referer": f"{EVIL}/innocent-page"},  # no Origin: Referer stands in
        {"Referer": "file:///home/someone/attack.html"},
    ],
    ids=["other-site", "null", "other-port", "other-scheme", "referer", "file-referer"],
)
def test_cross_site_upload_is_refused_with_a_clear_page(client, headers):
    text = policy_text("X")
    response = post_form(client, text, **headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "sent from another site" in response.text
    # Nothing was scored or stored: the same text from our own page is a new audit (201
    # through the API would say 200 if it had been saved).
    api = client.post("/api/v1/audits", json={"text": text})
    assert api.status_code == 201


def test_cross_site_post_from_a_script_gets_a_problem(client):
    response = client.post("/audits", data={"text": "x"}, headers={"Origin": EVIL})
    assert response.status_code == 403
    assert response.json()["code"] == "cross-site-request"


@pytest.mark.parametrize(
    "headers",
    [{"Origin": OURS}, {"Referer": f"{OURS}/"}, {}],
    ids=["origin", "referer", "neither (not a browser)"],
)
def test_upload_from_our_own_page_is_accepted(client, headers):
    response = post_form(client, policy_text("Y"), **headers)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/audits/")


def test_delete_from_another_site_is_refused_even_with_the_cookie(client):
    page_url = post_form(client, policy_text("Z"), Origin=OURS).headers["location"]
    assert client.cookies.get("delete_token")  # this browser holds the delete token
    forged = client.post(
        f"{page_url}/delete", headers={**BROWSER, "Origin": EVIL}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert "sent from another site" in forged.text
    assert client.get(page_url).status_code == 200  # still there

    deleted = client.post(
        f"{page_url}/delete", headers={**BROWSER, "Origin": OURS}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert client.get(page_url, headers=BROWSER).status_code == 404


def post_compare(client, tag: str, **headers: str):
    files = [("files", (f"{tag}-{n}.txt", policy_text(f"{tag}{n}").encode(), "text/plain"))
             for n in (1, 2)]
    return client.post("/compare", files=files, data={"rubric": "core"},
                       headers={**BROWSER, **headers}, follow_redirects=False)


def test_cross_site_compare_is_refused_and_scores_nothing(client):
    forged = post_compare(client, "C", Origin=EVIL)
    assert forged.status_code == 403
    assert forged.headers["content-type"].startswith("text/html")
    assert "sent from another site" in forged.text
    assert "comparisons" not in forged.headers.get("location", "")
    # Nothing was scored or saved: the same versions through the API are a new comparison
    # (a saved one would be 200) made of new audits.
    api = client.post("/api/v1/comparisons", json={"rubric": "core", "versions": [
        {"text": policy_text(f"C{n}"), "name": f"C-{n}.txt"} for n in (1, 2)]})
    assert api.status_code == 201, api.text


@pytest.mark.parametrize("headers", [{"Origin": OURS}, {"Referer": f"{OURS}/compare"}, {}],
                         ids=["origin", "referer", "neither (not a browser)"])
def test_compare_from_our_own_page_is_accepted(client, headers):
    response = post_compare(client, "D", **headers)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/comparisons/")


def all_routes(routes):
    """The app's routes, with included routers opened (FastAPI keeps them as one entry
    each; the list of forms asserted below keeps this from passing on an empty list)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        else:
            yield route


def test_every_form_route_refuses_cross_site_posts(client):
    """Every POST outside the JSON API is a browser form: a new one without the check
    fails here. (Path parameters get a made-up id: the check comes before any lookup.)"""
    forms = sorted(
        route.path for route in all_routes(client.app.routes)
        if "POST" in (getattr(route, "methods", None) or ()) and not route.path.startswith("/api/")
    )
    assert forms == ["/audits", "/audits/{audit_id}/delete", "/compare",
                     "/comparisons/{comparison_id}/delete"]
    for path in forms:
        url = path.replace("{audit_id}", "nope").replace("{comparison_id}", "nope")
        response = client.post(url, headers={**BROWSER, "Origin": EVIL}, data={"x": "1"},
                               follow_redirects=False)
        assert response.status_code == 403, (path, response.status_code)
        assert "sent from another site" in response.text


def test_trusted_origins_behind_a_proxy(make_client):
    client = make_client(trusted_origins=("https://audit.example.org",))
    accepted = post_form(client, policy_text("P"), Origin="https://audit.example.org")
    assert accepted.status_code == 303
    assert post_form(client, policy_text("Q"), Origin=EVIL).status_code == 403


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("HTTP://Example.ORG:80/path?q", "http://example.org"),
        ("https://example.org:443", "https://example.org"),
        ("https://example.org:8443/", "https://example.org:8443"),
        ("http://[::1]:8000/x", "http://[::1]:8000"),
        ("javascript:alert(1)", None),
        ("http://example.org:99999/", None),
        ("", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin
