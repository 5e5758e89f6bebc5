"""Comparisons over the API and on the pages: versions as uploads or saved audits, a saved
comparison at a permanent link, the same versions again give the saved one, clear errors."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .conftest import is_problem

BROWSER = {"Accept": "text/html,application/xhtml+xml"}
DRAFT_1 = (
    "Directive 7 - License Plate Readers\n"
    "Section 1. Retention\n"
    "ALPR data that is not evidence shall be purged one year after it was collected.\n"
    "Section 2. Sharing\n"
    "ALPR data may be shared only with law enforcement agencies that submit a written request "
    "approved by the Chief.\n"
)
DRAFT_2 = DRAFT_1.replace("one year", "30 days").replace(
    "Section 2. Sharing",
    "Section 2. Immigration\nALPR data shall not be used or shared for immigration "
    "enforcement.\nSection 3. Sharing")


def audit_of(client, text: str, name: str) -> str:
    response = client.post("/api/v1/audits", json={"text": text, "name": name,
                                                    "rubric": "core"})
    assert response.status_code in (200, 201)
    return response.json()["id"]


def test_compare_two_pasted_versions_then_get_it_back(client):
    response = client.post("/api/v1/comparisons", json={"rubric": "core", "versions": [
        {"text": DRAFT_1, "name": "draft-1.txt"}, {"text": DRAFT_2, "name": "draft-2.txt"}]})
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == body["links"]["self"]
    assert body["kind"] == "versions" and len(body["audit_ids"]) == 2
    assert body["retention_days"] == [365, 30]
    changes = {c["id"]: c["change"] for c in body["criteria"]}
    assert changes["retention"] == "improved" and changes["immigration"] == "improved"
    statuses = [s["status"] for s in body["steps"][0]["sections"]]
    assert "inserted" in statuses and "changed" in statuses
    saved = client.get(body["links"]["self"])
    assert saved.status_code == 200 and saved.json()["criteria"] == body["criteria"]
    assert "30 days" in client.get(body["links"]["report_md"]).text
    html = client.get(body["links"]["report_html"])
    assert html.status_code == 200 and "<del>" in html.text
    # The same versions again: the saved comparison, not a new one.
    again = client.post("/api/v1/comparisons", json={"versions": [
        {"audit_id": body["audit_ids"][0]}, {"audit_id": body["audit_ids"][1]}]})
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_saved_audits_and_an_upload_in_multipart(client):
    first = audit_of(client, DRAFT_1, "draft-1.txt")
    files = [("files", ("draft-2.txt", DRAFT_2.encode(), "text/plain"))]
    response = client.post("/api/v1/comparisons", data={"audits": f"/audits/{first}"},
                           files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["audit_ids"][0] == first
    assert [v["name"] for v in body["versions"]] == ["draft-1.txt", "draft-2.txt"]
    assert body["rubric"]["id"] == "core"  # uploads scored the way the saved audit was


def test_every_version_against_the_first_is_another_comparison(client):
    versions = [{"text": DRAFT_1}, {"text": DRAFT_2}, {"text": DRAFT_2.replace("30", "60")}]
    chained = client.post("/api/v1/comparisons", json={"rubric": "core", "versions": versions})
    first = client.post("/api/v1/comparisons", json={"rubric": "core", "versions": versions,
                                                     "baseline": True})
    assert chained.status_code == 201 and first.status_code == 201
    assert first.json()["id"] != chained.json()["id"]
    assert [(s["from_version"], s["to_version"]) for s in first.json()["steps"]] == [
        (0, 1), (0, 2)]
    assert chained.json()["steps_from"] == "previous" and first.json()["steps_from"] == "first"


def test_one_version_is_compared_with_the_model_language(client):
    response = client.post("/api/v1/comparisons",
                           json={"rubric": "core", "versions": [{"text": DRAFT_1}]})
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "model"
    assert {gap["id"] for gap in body["model"]} >= {"retention", "immigration"}


def test_errors_are_problems(client):
    def post(**kwargs):
        response = client.post("/api/v1/comparisons", **kwargs)
        assert is_problem(response, response.status_code)
        assert response.status_code >= 400
        return response

    assert post(json={"versions": []}).json()["code"] == "no-versions"
    unknown = post(json={"versions": [{"audit_id": "nope"}, {"text": DRAFT_1}]})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown-audit"
    assert post(json={"versions": [{"audit_id": "x", "text": "y"}]}).status_code == 422
    many = post(json={"versions": [{"text": DRAFT_1}] * 11})
    assert many.status_code == 413
    core = audit_of(client, DRAFT_1, "a.txt")
    mixed = post(json={"rubric": "comprehensive", "versions": [{"audit_id": core},
                                                               {"text": DRAFT_2}]})
    assert mixed.status_code == 422 and mixed.json()["code"] == "mixed-rubrics"
    assert post(content=b"{", headers={"content-type": "application/json"}).status_code == 400
    assert post(content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    missing = client.get("/api/v1/comparisons/nope")
    assert is_problem(missing, 404)


def test_every_status_is_documented_with_a_problem_schema(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/comparisons"]["post"]
    for status in ("400", "413", "415", "422", "500"):
        assert "application/problem+json" in post["responses"][status]["content"]
    assert "201" in post["responses"] and "200" in post["responses"]
    assert "404" in spec["paths"]["/api/v1/comparisons/{comparison_id}"]["get"]["responses"]


def test_compare_page_uploads_versions_and_shows_the_printable_comparison(client):
    page = client.get("/compare", headers=BROWSER)
    assert page.status_code == 200
    tree = HTMLParser(page.text)
    assert tree.css_first("form#compare-form").attributes["action"] == "/compare"
    for field in ("audits", "file-1", "file-2", "rubric"):
        assert tree.css_first(f"label[for={field}]") is not None
    hostile = DRAFT_2.replace("30 days", "30 days <script>alert(1)</script>")
    files = [("files", ("one.txt", DRAFT_1.encode(), "text/plain")),
             ("files", ("two.txt", hostile.encode(), "text/plain"))]
    response = client.post("/compare", headers=BROWSER, files=files, data={"rubric": "core"},
                           follow_redirects=False)
    assert response.status_code == 303
    result = client.get(response.headers["location"], headers=BROWSER)
    assert result.status_code == 200
    assert "<script>alert" not in result.text and "&lt;script&gt;" in result.text
    tree = HTMLParser(result.text)
    table = tree.css_first("table.cmp-criteria")
    assert table is not None and "improved" in table.text()
    # The criteria table comes before the redline.
    assert result.text.index("cmp-criteria") < result.text.index("cmp-step")
    assert tree.css_first("button#print") is not None
    assert client.get("/assets/compare.css").headers["content-type"].startswith("text/css")


def test_compare_page_errors_stay_on_the_form(client):
    response = client.post("/compare", headers=BROWSER, data={"audits": "nope"})
    assert response.status_code == 422
    assert "No saved audit" in HTMLParser(response.text).css_first("#form-error").text()


def test_scorecard_page_shows_how_the_policy_compares(client):
    audit_id = audit_of(client, DRAFT_1, "draft-1.txt")
    page = client.get(f"/audits/{audit_id}", headers=BROWSER)
    tree = HTMLParser(page.text)
    block = tree.css_first("section#peers")
    assert block is not None
    assert "percentile" in block.text() and "365 days" in block.text()
    assert len(block.css("svg")) >= 3
    assert block.css_first(f'a[href="/compare?audit={audit_id}"]') is not None
