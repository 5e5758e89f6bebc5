"""The browser pages, through the ASGI app (no browser): forms, redirects, escaping, errors.

The real-browser test (drag and drop, click-to-highlight, print view) is
``tests/browser/test_browser.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from api.scorecard_view import Utf16Offsets

from .conftest import is_problem, policy_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_policies" / "riverton-pd-policy-462.txt"
BROWSER = {"Accept": "text/html,application/xhtml+xml"}


def submit(client, **kwargs):
    return client.post("/audits", headers=BROWSER, follow_redirects=False, **kwargs)


def upload_sample(client, **data):
    files = {"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/plain")}
    return submit(client, files=files, data=data)


def test_home_offers_upload_paste_rubric_and_state(client):
    response = client.get("/", headers=BROWSER)
    assert response.status_code == 200
    tree = HTMLParser(response.text)
    form = tree.css_first("form#audit-form")
    assert form.attributes["action"] == "/audits"
    assert form.attributes["enctype"] == "multipart/form-data"
    for field in ("file", "text", "name", "rubric", "jurisdiction"):
        assert tree.css_first(f"label[for={field}]") is not None, f"{field} has no label"
        assert form.css_first(f"#{field}").attributes["name"] == field
    rubrics = [o.attributes["value"] for o in tree.css("#rubric option")]
    assert {"core", "comprehensive"} <= set(rubrics)
    assert tree.css_first("#rubric option[selected]").attributes["value"] == "comprehensive"
    states = [o.attributes["value"] for o in tree.css("#jurisdiction option")]
    assert "" in states and {"CA", "VA", "MN"} <= set(states)
    assert tree.css_first("#progress") is not None


def test_pages_forbid_inline_script_and_framing(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert client.get("/").headers["referrer-policy"] == "same-origin"  # see test_forms_origin


def test_static_assets_are_served_locally(client):
    html = client.get("/").text
    for asset in ("/static/app.css", "/static/app.js"):
        assert f'"{asset}"' in html
        assert client.get(asset).status_code == 200
    assert "http://" not in html.split("<main")[0] and "https://" not in html.split("<main")[0]


def test_upload_redirects_to_the_permanent_scorecard_page(client):
    response = upload_sample(client, rubric="comprehensive", jurisdiction="ca")
    assert response.status_code == 303
    page_url = response.headers["location"]
    assert re.fullmatch(r"/audits/[A-Za-z0-9_-]{20,}", page_url)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and f"Path={page_url}" in cookie
    assert "samesite=strict" in cookie.lower()

    page = client.get(page_url, headers=BROWSER)
    assert page.status_code == 200
    tree = HTMLParser(page.text)
    api = client.get(f"/api/v1{page_url}").json()
    assert tree.css_first("#grade").text(strip=True).endswith(api["overall"]["grade"])
    cards = tree.css("article.card")
    assert len(cards) == len(api["criteria"]) >= 18
    for card, result in zip(cards, api["criteria"], strict=True):
        badge = card.css_first("h3 .badge")
        assert result["level"] in badge.attributes["class"]
        assert badge.text(strip=True).lower() == result["level"]
    assert tree.css_first("#state-law") is not None
    assert tree.css_first("#permalink").attributes["value"].endswith(page_url)
    assert tree.css_first("a#amendments").attributes["href"] == f"{page_url}/amendments.md"


def test_every_quote_points_at_its_words_in_the_stored_text(client):
    page_url = upload_sample(client).headers["location"]
    tree = HTMLParser(client.get(page_url).text)
    full_text = tree.css_first("#policy-text").text(deep=True)
    quotes = tree.css("a.quote")
    assert len(quotes) >= 10
    for quote in quotes:
        start, end = int(quote.attributes["data-start"]), int(quote.attributes["data-end"])
        assert quote.text(strip=True).strip("“”") == full_text[start:end]


def test_offsets_count_utf16_units_after_an_emoji():
    text = "🚓 Data is purged after 30 days."
    to_js = Utf16Offsets(text)
    start = text.index("Data")
    assert to_js(start) == start + 1  # the police car is two UTF-16 units
    assert Utf16Offsets("plain")(3) == 3


def test_recommendation_shows_model_language_below_strong(client):
    weak = "ALPR data may be kept as long as necessary and shared with any agency that asks."
    page_url = submit(client, data={"text": weak}).headers["location"]
    tree = HTMLParser(client.get(page_url).text)
    retention = tree.css_first("#c-retention")
    assert "weak" in retention.css_first(".badge").attributes["class"]
    assert retention.css_first(".recommendation blockquote.model").text(strip=True)
    assert "as long as necessary" in retention.text()


def test_policy_markup_is_shown_as_text(client):
    hostile = (
        "<script>alert('x')</script> License plate reader data shall be purged after 30 days."
        ' <img src=x onerror="alert(1)">'
    )
    response = submit(client, data={"text": hostile, "name": "<em onclick=x()> name"})
    page = client.get(response.headers["location"])
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert "&lt;em onclick=x()&gt; name" in page.text
    assert "<em" not in page.text


def test_pasted_text_is_scored_under_its_name(client):
    response = submit(client, data={"text": policy_text("W"), "name": "Draft 2"})
    page = HTMLParser(client.get(response.headers["location"]).text)
    # The heading is the agency the text names; the name given is the document's.
    assert page.css_first("h1").text(strip=True) == "Riverbend Police Department"
    assert page.css_first(".brief .meta").text(strip=True).startswith("Draft 2 ·")
    unnamed = submit(client, data={"text": "ALPR data shall be purged after 30 days.",
                                   "name": "Draft 3"})
    page = HTMLParser(client.get(unnamed.headers["location"]).text)
    assert page.css_first("h1").text(strip=True) == "Draft 3"  # no agency: the name


def render_html_report(client, page_url: str) -> str:
    return client.get(f"/api/v1{page_url}/report.html").text


def test_the_brief_comes_first_in_plain_words(client):
    text = ("Riverbend Police Department\nPolicy 9: License Plate Readers\n"
            "9.1 RETENTION\nALPR data may be kept as long as necessary.\n"
            "9.2 SHARING\nALPR data may be shared with any agency that asks.\n")
    page_url = submit(client, data={"text": text, "jurisdiction": "CA"}).headers["location"]
    html = client.get(page_url).text
    tree = HTMLParser(html)
    main = tree.css_first("main")
    first = main.css_first("section")
    assert first.attributes["id"] == "brief"
    asks = first.css("ol.asks > li")
    assert 3 <= len(asks) <= 5
    gains = [float(li.css_first(".gain").text().split("+")[1].split()[0]) for li in asks]
    assert gains == sorted(gains, reverse=True)
    assert all(li.css_first("blockquote.model") for li in asks)
    violations = first.css("ul.violations > li")
    assert violations and all("Cal." in li.css_first("strong").text() for li in violations)
    assert "violates Cal." not in first.text()  # the statute is said once, in plain words
    # Internals only behind "How this was scored".
    people = html.split('id="how-scored"')[0]
    assert "(rule:" not in people and "rule: " not in people
    assert "Points" not in people and " × " not in people and "page(s)" not in people
    assert tree.css_first("#how-scored table.scoring")
    # Cards are collapsed to a line; the details open on demand, without a script.
    cards = tree.css("article.card")
    assert cards and all(card.css_first("details").attributes.get("open") is None
                         for card in cards)
    assert all(card.css_first(".finding").text(strip=True) for card in cards)
    # One stylesheet for the page and the standalone report, served from this server.
    assert '<link rel="stylesheet" href="/assets/scorecard.css">' in html
    css = client.get("/assets/scorecard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media print" in css.text
    assert css.text.strip() in render_html_report(client, page_url)
    # The filter keeps weak and missing only.
    gaps = HTMLParser(client.get(page_url + "?show=gaps").text).css("article.card .badge")
    assert gaps and {b.text(strip=True) for b in gaps} <= {"Weak", "Missing"}


def test_same_policy_again_shows_the_saved_audit(client):
    first = upload_sample(client).headers["location"]
    again = upload_sample(client)
    assert again.headers["location"] == f"{first}?existing=1"
    assert "set-cookie" not in again.headers
    assert "already scored" in client.get(again.headers["location"]).text


def test_nothing_to_score_keeps_the_form_and_says_what_to_do(client):
    response = submit(client, data={"text": "   ", "rubric": "core", "jurisdiction": "VA"})
    assert response.status_code == 422
    tree = HTMLParser(response.text)
    assert "choose a policy file" in tree.css_first("#form-error").text().lower()
    assert tree.css_first("#rubric option[selected]").attributes["value"] == "core"
    assert tree.css_first("#jurisdiction option[selected]").attributes["value"] == "VA"


def test_a_rejected_document_keeps_the_pasted_text(client):
    text = "hello <world>"  # too short and not a policy: the engine refuses or warns
    files = {"file": ("p.txt", b"also a file", "text/plain")}
    response = submit(client, files=files, data={"text": text})
    assert response.status_code == 422
    assert "not both" in response.text
    assert HTMLParser(response.text).css_first("#text").text() == text


def test_scanned_or_unreadable_file_gets_a_page_not_json(client):
    files = {"file": ("policy.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")}
    response = submit(client, files=files)
    assert response.status_code in (415, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert "policy.pdf" in HTMLParser(response.text).css_first("#form-error").text()


def test_oversized_upload_is_refused_with_the_limit(make_client):
    client = make_client(max_upload_bytes=1000)
    files = {"file": ("big.txt", b"ALPR data shall be purged. " * 100, "text/plain")}
    response = submit(client, files=files)
    assert response.status_code == 413
    assert "larger than the limit" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_unknown_state_is_refused_on_the_form(client):
    response = submit(client, data={"text": policy_text("S"), "jurisdiction": "ZZ"})
    assert response.status_code == 422
    assert "ZZ" in HTMLParser(response.text).css_first("#form-error").text()


def test_missing_audit_is_an_html_page_for_browsers_and_a_problem_for_api(client):
    page = client.get("/audits/does-not-exist", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "does-not-exist" in page.text
    assert is_problem(client.get("/api/v1/audits/does-not-exist", headers=BROWSER), 404)
    assert is_problem(client.get("/audits/does-not-exist"), 404)  # no Accept: text/html


def test_amendments_download(client):
    page_url = submit(client, data={"text": policy_text("M"), "name": "Draft A.txt"}).headers[
        "location"
    ]
    response = client.get(f"{page_url}/amendments.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"] == (
        'attachment; filename="Draft-A-amendments.md"'
    )
    assert response.text.startswith("# Requested amendments: Riverbend Police Department")


def test_only_the_creating_browser_sees_and_uses_delete(make_client):
    creator = make_client()
    page_url = submit(creator, data={"text": policy_text("D")}).headers["location"]
    assert HTMLParser(creator.get(page_url).text).css_first("form.delete") is not None

    other = make_client()  # same database, no cookie
    assert HTMLParser(other.get(page_url).text).css_first("form.delete") is None
    refused = other.post(f"{page_url}/delete", headers=BROWSER, follow_redirects=False)
    assert refused.status_code == 403
    assert other.get(page_url).status_code == 200

    deleted = creator.post(f"{page_url}/delete", headers=BROWSER, follow_redirects=False)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/?deleted=1"
    assert creator.get(page_url, headers=BROWSER).status_code == 404
    assert "was deleted" in creator.get("/?deleted=1").text


def test_scorecard_page_is_not_cached(client):
    page_url = submit(client, data={"text": policy_text("C")}).headers["location"]
    assert client.get(page_url).headers["cache-control"] == "no-store"


def test_api_docs_load_their_scripts_from_this_server(client):
    for page_url in ("/docs", "/redoc"):
        html = client.get(page_url).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets, page_url
        for asset in assets:
            assert asset.startswith(("/static-docs/", "/static/")), asset  # no CDN: works offline
            assert client.get(asset).status_code == 200
