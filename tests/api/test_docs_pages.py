"""``/docs`` and ``/redoc``: local assets only, no inline script, a strict CSP.

The real-browser check that no request leaves the machine is in tests/browser.
"""

from __future__ import annotations

import re

import pytest

URL = re.compile(r"""(?:src|href|url)\s*[=:(]\s*["']?([^"' )>]+)""")


def _directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in csp.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_reference_nothing_outside_this_server(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert "http://" not in html and "https://" not in html and "//" not in html.replace(
        "<!--", ""
    ).replace("-->", "")
    for url in URL.findall(html):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert "<script>" not in html  # every script is a file: the CSP forbids inline ones


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_have_a_strict_content_security_policy(client, path):
    headers = client.get(path).headers
    csp = _directives(headers["content-security-policy"])
    assert csp["default-src"] == "default-src 'none'"
    assert csp["script-src"] == "script-src 'self'"  # no inline script, no eval, no CDN
    assert csp["connect-src"] == "connect-src 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "http" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_redoc_script_does_not_fetch_its_logo_from_the_internet(client):
    script = client.get("/static-docs/redoc.standalone.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in script.text
    assert "redocly logo" in script.text  # the real bundle, patched, not a stub


def test_swagger_ui_does_not_send_the_schema_to_its_validator(client):
    script = client.get("/static/docs-swagger.js").text
    assert re.search(r"validatorUrl:\s*null", script)


def test_the_rest_of_the_site_keeps_its_own_csp(client):
    csp = _directives(client.get("/").headers["content-security-policy"])
    assert csp["style-src"] == "style-src 'self'"
    assert csp["script-src"] == "script-src 'self'"
