"""Deleting a saved comparison: a one-time delete token on creation (201 only), DELETE with
it (401 / 403 / 404 otherwise), the audits of its versions stay, and the Delete button on
the comparison page of the browser that created it, behind the forms' Origin check."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import update

from api.comparison_store import SavedComparison

from .conftest import is_problem
from .test_comparisons import BROWSER, DRAFT_1, DRAFT_2, audit_of
from .test_forms_origin import EVIL, OURS

VERSIONS = {"rubric": "core", "versions": [{"text": DRAFT_1, "name": "one.txt"},
                                           {"text": DRAFT_2, "name": "two.txt"}]}


def create(client):
    response = client.post("/api/v1/comparisons", json=VERSIONS)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_token_is_given_once_and_deletes_the_comparison(client):
    body = create(client)
    assert len(body["delete_token"]) >= 40
    url = body["links"]["self"]
    again = client.post("/api/v1/comparisons", json=VERSIONS)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert "delete_token" not in again.json()  # re-found: never issued again
    assert "delete_token" not in client.get(url).json()

    anonymous = client.delete(url)
    assert is_problem(anonymous, 401) and "WWW-Authenticate" in anonymous.headers
    wrong = client.delete(url, headers={"Authorization": "Bearer not-the-token"})
    assert is_problem(wrong, 403)
    other = create_other(client)
    crossed = client.delete(url, headers={"Authorization": f"Bearer {other['delete_token']}"})
    assert is_problem(crossed, 403)  # another comparison's token is not this one's
    assert client.get(url).status_code == 200

    deleted = client.delete(url, headers={"X-Delete-Token": body["delete_token"]})
    assert deleted.status_code == 204
    for path in (url, body["links"]["report_md"], body["links"]["report_html"]):
        assert is_problem(client.get(path), 404)
    assert is_problem(client.delete(url, headers={"X-Delete-Token": body["delete_token"]}), 404)
    assert client.get(other["links"]["self"]).status_code == 200


def create_other(client):
    response = client.post("/api/v1/comparisons", json={
        "rubric": "core", "versions": [{"text": DRAFT_2, "name": "only.txt"}]})
    assert response.status_code == 201
    return response.json()


def test_the_audits_stay_and_the_same_token_deletes_those_its_uploads_created(client):
    saved = audit_of(client, DRAFT_1, "one.txt")  # scored before, with its own token
    response = client.post("/api/v1/comparisons", json={
        "rubric": "core", "versions": [{"audit_id": saved}, {"text": DRAFT_2}]})
    body = response.json()
    assert response.status_code == 201
    bearer = {"Authorization": f"Bearer {body['delete_token']}"}
    assert client.delete(body["links"]["self"], headers=bearer).status_code == 204
    old, new = body["audit_ids"]
    assert client.get(f"/api/v1/audits/{old}").status_code == 200
    assert client.get(f"/api/v1/audits/{new}").status_code == 200
    assert client.delete(f"/api/v1/audits/{old}", headers=bearer).status_code == 403
    assert client.delete(f"/api/v1/audits/{new}", headers=bearer).status_code == 204


def test_the_same_versions_after_a_delete_make_a_new_comparison_with_a_new_token(client):
    first = create(client)
    client.delete(first["links"]["self"],
                  headers={"Authorization": f"Bearer {first['delete_token']}"})
    second = create(client)
    assert second["id"] != first["id"] and second["delete_token"] != first["delete_token"]


def test_a_comparison_saved_before_tokens_existed_cannot_be_deleted_and_says_why(client):
    body = create(client)
    with client.app.state.service.sessions() as session:  # as migration 0005 leaves it
        session.execute(update(SavedComparison).values(delete_token_hash=None))
        session.commit()
    refused = client.delete(body["links"]["self"],
                            headers={"Authorization": f"Bearer {body['delete_token']}"})
    assert is_problem(refused, 403) and "before comparisons had delete" in refused.json()["detail"]
    assert is_problem(client.delete(body["links"]["self"]), 401)
    page = client.get(body["links"]["page"], headers=BROWSER)
    assert page.status_code == 200 and "Delete this comparison" not in page.text


def test_the_delete_is_in_the_openapi_contract_with_every_status(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/comparisons/{comparison_id}"]["delete"]
    assert set(operation["responses"]) == {"204", "401", "403", "404", "500", "503"}
    assert any(p["name"] == "X-Delete-Token" for p in operation["parameters"])
    created = spec["paths"]["/api/v1/comparisons"]["post"]["responses"]
    assert created["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "NewSavedComparison")
    assert "DeleteComparison" in created["201"]["links"]
    assert "DeleteComparison" not in created["200"]["links"]
    assert client.options("/api/v1/comparisons/x").headers["allow"].startswith("GET, HEAD, DELETE")


def test_the_browser_that_created_it_deletes_it_from_its_page(client):
    files = [("files", ("one.txt", DRAFT_1.encode(), "text/plain")),
             ("files", ("two.txt", DRAFT_2.encode(), "text/plain"))]
    made = client.post("/compare", headers=BROWSER, files=files, data={"rubric": "core"},
                       follow_redirects=False)
    assert made.status_code == 303
    page_url = made.headers["location"]
    assert client.cookies.get("delete_token")  # scoped to this comparison's path
    tree = HTMLParser(client.get(page_url, headers=BROWSER).text)
    form = tree.css_first("form.delete")
    assert form is not None and form.attributes["action"] == f"{page_url}/delete"

    forged = client.post(f"{page_url}/delete", headers={**BROWSER, "Origin": EVIL},
                         follow_redirects=False)
    assert forged.status_code == 403 and client.get(page_url, headers=BROWSER).status_code == 200

    deleted = client.post(f"{page_url}/delete", headers={**BROWSER, "Origin": OURS},
                          follow_redirects=False)
    assert deleted.status_code == 303 and deleted.headers["location"] == "/compare?deleted=1"
    assert "The comparison was deleted" in client.get("/compare?deleted=1", headers=BROWSER).text
    assert client.get(page_url, headers=BROWSER).status_code == 404


def test_another_browser_sees_no_delete_button_and_cannot_delete(client):
    body = create(client)  # made through the API: no browser holds its token
    page = client.get(body["links"]["page"], headers=BROWSER)
    assert page.status_code == 200 and HTMLParser(page.text).css_first("form.delete") is None
    refused = client.post(f"{body['links']['page']}/delete", headers={**BROWSER, "Origin": OURS})
    assert refused.status_code == 403 and "Only the browser" in refused.text
    assert client.get(body["links"]["self"]).status_code == 200
