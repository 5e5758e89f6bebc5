from __future__ import annotations

import json

from .conftest import is_problem, policy_text


def test_json_batch_with_good_and_bad_items(client):
    documents = [
        {"text": policy_text("M"), "name": "m.txt"},
        {"text": "", "name": "empty.txt"},
        {"text": policy_text("N")},
    ]
    response = client.post("/api/v1/audits:batch", json={"documents": documents})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 3
    assert body["created"] == 2
    assert body["failed"] == 1
    good, bad, other = body["results"]
    assert good["status"] == 201
    assert good["name"] == "m.txt"
    assert good["scorecard"]["document"]["name"] == "m.txt"
    assert good["links"]["self"] == f"/api/v1/audits/{good['id']}"
    assert good["delete_token"]
    assert bad["status"] == 422
    assert bad["problem"]["code"] == "empty-document"
    assert {"type", "title", "status", "detail"} <= set(bad["problem"])
    assert other["status"] == 201
    # Batch results are normal audits.
    assert client.get(good["links"]["self"]).json()["id"] == good["id"]
    deleted = client.delete(
        other["links"]["self"], headers={"Authorization": f"Bearer {other['delete_token']}"}
    )
    assert deleted.status_code == 204


def test_multipart_batch_with_files_and_documents(client):
    files = [
        ("files", ("one.txt", policy_text("O").encode(), "text/plain")),
        ("files", ("junk.bin", b"\x00\x01\x02" * 300, "application/octet-stream")),
        ("files", ("two.txt", policy_text("P").encode(), "text/plain")),
    ]
    pasted = {"text": "Plate reads are kept ninety days.", "name": "pasted"}
    data = {"documents": json.dumps([pasted])}
    response = client.post("/api/v1/audits:batch", files=files, data=data)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["name"] for r in results] == ["one.txt", "junk.bin", "two.txt", "pasted"]
    assert results[0]["status"] == 201
    assert 400 <= results[1]["status"] < 500
    assert results[2]["status"] == 201
    assert results[3]["status"] == 201


def test_batch_repeats_return_saved_audits(client):
    first = client.post("/api/v1/audits", json={"text": policy_text("Q")}).json()
    response = client.post(
        "/api/v1/audits:batch", json={"documents": [{"text": policy_text("Q")}] * 2}
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200, 200]
    assert {r["id"] for r in results} == {first["id"]}
    assert all("delete_token" not in r for r in results)


def test_batch_item_over_the_size_limit(make_client):
    client = make_client(max_upload_bytes=2000)
    files = [
        ("files", ("small.txt", b"Plate reads are deleted after 30 days.", "text/plain")),
        ("files", ("large.txt", policy_text().encode() * 4, "text/plain")),
    ]
    results = client.post("/api/v1/audits:batch", files=files).json()["results"]
    assert results[0]["status"] == 201
    assert results[1]["status"] == 413


def test_batch_limits(make_client):
    client = make_client(max_batch_items=2)
    documents = [{"text": policy_text(str(i))} for i in range(3)]
    assert is_problem(client.post("/api/v1/audits:batch", json={"documents": documents}), 413)
    assert is_problem(client.post("/api/v1/audits:batch", json={"documents": []}), 422)
    assert is_problem(client.post("/api/v1/audits:batch", json={}), 422)
    assert is_problem(client.post("/api/v1/audits:batch", json={"documents": "x"}), 422)
    assert is_problem(
        client.post(
            "/api/v1/audits:batch", json={"documents": [{"text": "x"}], "jurisdiction": "ZZ"}
        ),
        422,
    )


def test_batch_body_can_exceed_the_single_upload_limit(make_client):
    client = make_client(max_upload_bytes=1000, max_batch_bytes=200_000)
    files = [
        ("files", (f"p{i}.txt", f"Plate reads are removed after {i + 10} days.".encode() * 20))
        for i in range(3)
    ]
    response = client.post("/api/v1/audits:batch", files=files)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == [201, 201, 201]
    big = [("files", ("huge.txt", b"x" * 300_000, "text/plain"))]
    assert is_problem(client.post("/api/v1/audits:batch", files=big), 413)


def test_batch_with_a_jurisdiction(client):
    documents = [{"text": policy_text("W"), "name": "w.txt"}, {"text": ""}]
    response = client.post(
        "/api/v1/audits:batch", json={"documents": documents, "jurisdiction": "MN"}
    )
    assert response.status_code == 200, response.text
    good, bad = response.json()["results"]
    assert good["status"] == 201
    assert good["scorecard"]["jurisdiction"] == "MN"
    assert good["scorecard"]["legal_findings"]
    assert bad["status"] == 422
    form = client.post(
        "/api/v1/audits:batch",
        files=[("files", ("w.txt", policy_text("W").encode(), "text/plain"))],
        data={"jurisdiction": "mn"},
    )
    assert form.json()["results"][0]["id"] == good["id"]
