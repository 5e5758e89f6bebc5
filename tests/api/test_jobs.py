"""Large-batch jobs through the API: submitting (JSON, multipart files, zip archives),
limits, per-document errors, and results as ordinary saved audits.

Here the documents are scored in the test's own process (``JobService.run_job``, what a
worker runs for each job); ``test_job_worker.py`` runs real ``policy-audit worker``
processes and kills them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from .conftest import is_problem, policy_text


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def run_jobs(client: TestClient) -> None:
    """Score every queued document, as ``policy-audit worker`` would."""
    jobs = client.app.state.jobs
    for job_id in jobs.unfinished_jobs():
        jobs.run_job(job_id, concurrency=2)


def submit(client: TestClient, texts: list[str], **extra: Any) -> dict[str, Any]:
    documents = [{"text": text, "name": f"policy-{i}.txt"} for i, text in enumerate(texts)]
    response = client.post("/api/v1/jobs", json={"documents": documents, **extra})
    assert response.status_code == 202, response.text
    return response.json()


def test_a_job_is_accepted_with_202_location_and_token_then_reports_its_results(
    client: TestClient,
) -> None:
    texts = [policy_text(f"J{i}") for i in range(4)]
    response = client.post(
        "/api/v1/jobs",
        json={"documents": [{"text": t, "name": f"p{i}.txt"} for i, t in enumerate(texts)]},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued"
    assert job["counts"]["total"] == 4 and job["counts"]["queued"] == 4
    assert [d["status"] for d in job["documents"]] == ["queued"] * 4
    assert [d["name"] for d in job["documents"]] == ["p0.txt", "p1.txt", "p2.txt", "p3.txt"]
    assert len(job["delete_token"]) >= 40

    waiting = client.get(response.headers["location"])
    assert waiting.status_code == 200
    assert waiting.json()["status"] == "queued" and "delete_token" not in waiting.json()
    # No worker runs in this test: the job says so rather than waiting silently.
    assert "No worker is running" in job["warnings"][0]
    assert waiting.json()["warnings"] == job["warnings"]

    run_jobs(client)
    done = client.get(response.headers["location"]).json()
    assert done["status"] == "done" and done["finished_at"]
    assert done["counts"] == {"total": 4, "queued": 0, "running": 0, "done": 4, "failed": 0,
                              "created": 4, "existing": 0}
    assert done["warnings"] == []
    for document in done["documents"]:
        saved = client.get(document["links"]["self"])
        assert saved.status_code == 200
        assert saved.json()["id"] == document["id"]
        assert {c["id"] for c in saved.json()["criteria"]} >= {"retention", "sharing"}
        assert client.get(document["links"]["report_md"]).status_code == 200


def test_results_match_scoring_the_same_document_alone(client: TestClient) -> None:
    text = policy_text("same")
    job = submit(client, [text])
    run_jobs(client)
    result = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"][0]
    alone = client.post("/api/v1/audits", json={"text": text})
    assert alone.status_code == 200  # already saved by the job: the same audit
    assert alone.json()["id"] == result["id"]


def test_the_jobs_token_deletes_the_audits_it_created_and_only_those(
    client: TestClient,
) -> None:
    earlier = client.post("/api/v1/audits", json={"text": policy_text("earlier")}).json()
    job = submit(client, [policy_text("new"), policy_text("earlier")])
    run_jobs(client)
    new, old = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"]
    assert new["created"] is True and old["created"] is False
    assert old["id"] == earlier["id"]
    bearer = {"Authorization": f"Bearer {job['delete_token']}"}
    assert client.delete(f"/api/v1/audits/{old['id']}", headers=bearer).status_code == 403
    assert client.delete(f"/api/v1/audits/{new['id']}", headers=bearer).status_code == 204
    assert client.get(f"/api/v1/audits/{new['id']}").status_code == 404


def test_a_bad_document_fails_alone_and_says_why(client: TestClient) -> None:
    job = submit(client, [policy_text("ok1"), "   \n", policy_text("ok2")])
    run_jobs(client)
    body = client.get(f"/api/v1/jobs/{job['id']}").json()
    assert body["status"] == "done"
    assert [d["status"] for d in body["documents"]] == ["done", "failed", "done"]
    problem = body["documents"][1]["problem"]
    assert problem["code"] == "empty-document" and problem["status"] == 422
    assert problem["instance"] == f"/api/v1/jobs/{job['id']}"
    assert body["counts"]["failed"] == 1 and body["counts"]["done"] == 2


def test_a_document_over_the_deadline_or_hitting_a_bug_fails_alone(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    from policy_audit.worker import AuditPool

    from ..slow_audit import misbehaving

    with AuditPool(1, deadline=2.0, target=misbehaving) as pool:
        client = make_client(pool=pool)
        response = client.post("/api/v1/jobs", json={"documents": [
            {"text": str(tmp_path / "started"), "name": "slow.txt"},
            {"text": policy_text("fine"), "name": "fine.txt"},
            {"text": policy_text("bug"), "name": "bug.txt"},
        ]})
        assert response.status_code == 202, response.text
        run_jobs(client)
        body = client.get(response.headers["location"]).json()
    slow, fine, bug = body["documents"]
    assert slow["status"] == "failed" and slow["problem"]["code"] == "deadline-exceeded"
    assert fine["status"] == "done"
    assert bug["status"] == "failed" and bug["problem"]["code"] == "internal-error"
    assert "boom" not in bug["problem"]["detail"]  # no internals in what clients see
    assert body["status"] == "done" and body["counts"]["failed"] == 2


def test_force_scores_documents_that_never_mention_plate_readers(client: TestClient) -> None:
    parking = "Parking policy. Vehicles may park downtown for two hours on weekdays.\n"
    plain = submit(client, [parking])
    forced = client.post("/api/v1/jobs?force=true", json={"documents": [{"text": parking}]})
    assert forced.status_code == 202 and forced.json()["force"] is True
    assert plain["force"] is False
    run_jobs(client)
    refused = client.get(f"/api/v1/jobs/{plain['id']}").json()["documents"][0]
    assert refused["status"] == "failed"
    assert refused["problem"]["code"] == "not-an-alpr-policy"
    scored = client.get(forced.headers["location"]).json()["documents"][0]
    assert scored["status"] == "done"
    bad = client.post("/api/v1/jobs?force=maybe", json={"documents": [{"text": parking}]})
    assert is_problem(bad, 422) and "'force' must be true or false" in bad.json()["detail"]
    unknown = client.post("/api/v1/jobs?colour=red", json={"documents": [{"text": parking}]})
    assert is_problem(unknown, 422) and "colour" in unknown.json()["detail"]


def test_a_document_delivered_twice_is_scored_once(client: TestClient) -> None:
    job = submit(client, [policy_text("twice")])
    jobs = client.app.state.jobs
    run_jobs(client)
    first = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"][0]
    _, documents = jobs.get(job["id"])
    jobs.process_document(documents[0].id)  # the queue delivers the same message again
    again = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"][0]
    assert again == first
    assert jobs.get(job["id"])[1][0].attempts == 1


def test_a_document_whose_worker_keeps_dying_is_failed_not_retried_forever(
    client: TestClient,
) -> None:
    from sqlalchemy import update

    from api.job_store import BatchDocument

    job = submit(client, [policy_text("cursed")])
    jobs = client.app.state.jobs
    document_id = jobs.get(job["id"])[1][0].id
    # Three workers took it and died mid-audit: it is still "running", attempts 3.
    with jobs.sessions() as session:
        session.execute(update(BatchDocument).where(BatchDocument.id == document_id)
                        .values(status="running", attempts=3))
        session.commit()
    jobs.process_document(document_id)
    document = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"][0]
    assert document["status"] == "failed"
    assert document["problem"]["code"] == "audit-aborted"
    assert "stopped 3 times" in document["problem"]["detail"]


def test_multipart_files_archives_and_pasted_documents_in_one_job(
    client: TestClient,
) -> None:
    archive = make_zip({
        "policies/": b"",
        "policies/a.txt": policy_text("zipA").encode(),
        "policies/b.md": policy_text("zipB").encode(),
        "__MACOSX/policies/._a.txt": b"\x00\x05\x16\x07",
        "policies/.DS_Store": b"\x00\x00\x00\x01Bud1",
    })
    response = client.post(
        "/api/v1/jobs",
        files=[
            ("files", ("one.txt", policy_text("file1").encode(), "text/plain")),
            ("archive", ("batch.zip", archive, "application/zip")),
        ],
        data={"documents": '[{"text": "' + policy_text("pasted").replace("\n", "\\n") + '"}]',
              "rubric": "core", "jurisdiction": "va"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["rubric"] == "core" and job["jurisdiction"] == "VA"
    names = [d["name"] for d in job["documents"]]
    assert names == ["policies/a.txt", "policies/b.md", "one.txt", None]
    run_jobs(client)
    body = client.get(f"/api/v1/jobs/{job['id']}").json()
    assert body["counts"]["done"] == 4, body
    card = client.get(body["documents"][0]["links"]["self"]).json()
    assert card["rubric"]["id"] == "core" and card["jurisdiction"] == "VA"
    assert card["document"]["name"] == "a.txt"


def test_a_zip_body_is_a_job(client: TestClient) -> None:
    archive = make_zip({f"p{i}.txt": policy_text(f"body{i}").encode() for i in range(3)})
    response = client.post("/api/v1/jobs?rubric=core", content=archive,
                           headers={"Content-Type": "application/zip"})
    assert response.status_code == 202, response.text
    assert response.json()["counts"]["total"] == 3 and response.json()["rubric"] == "core"


def test_an_oversized_document_fails_alone(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_upload_bytes=2000)
    archive = make_zip({"small.txt": policy_text("s").encode()[:1500],
                        "big.txt": b"x" * 5000})
    response = client.post("/api/v1/jobs", files=[
        ("archive", ("a.zip", archive, "application/zip")),
        ("files", ("big-upload.txt", b"y" * 5000, "text/plain")),
    ])
    assert response.status_code == 202, response.text
    documents = response.json()["documents"]
    assert [d["status"] for d in documents] == ["queued", "failed", "failed"]
    assert documents[1]["problem"]["code"] == "too-large"
    assert "2,000 bytes" in documents[1]["problem"]["detail"]
    assert documents[2]["problem"]["code"] == "too-large"


def test_limits_are_enforced_with_clear_problems(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(max_job_items=3, max_job_bytes=200_000)
    many = [{"text": policy_text(str(i))} for i in range(4)]
    response = client.post("/api/v1/jobs", json={"documents": many})
    assert is_problem(response, 413)
    assert response.json()["code"] == "too-many-documents"
    assert "the limit is 3" in response.json()["detail"]

    archive = make_zip({f"p{i}.txt": b"plate reads" for i in range(5)})
    response = client.post("/api/v1/jobs", files=[("archive", ("x.zip", archive))])
    assert is_problem(response, 413) and response.json()["code"] == "too-many-documents"
    assert "x.zip holds 5 documents; the job has room for 3" in response.json()["detail"]

    parts = [("files", (f"f{i}.txt", b"plate reads", "text/plain")) for i in range(40)]
    response = client.post("/api/v1/jobs", files=parts)
    assert is_problem(response, 413) and response.json()["code"] == "too-many-documents"

    # Two archives that together unpack past the job's byte limit.
    parts_of_it = [make_zip({f"h{n}.txt": b"b" * 90_000}) for n in range(3)]
    response = client.post("/api/v1/jobs", files=[
        ("archive", (f"h{n}.zip", part)) for n, part in enumerate(parts_of_it)])
    assert is_problem(response, 413) and response.json()["code"] == "too-large"

    # A small zip that unpacks past the job's byte limit (a zip bomb, in miniature).
    bomb = make_zip({f"p{i}.txt": b"a" * 90_000 for i in range(3)})
    assert len(bomb) < 5_000
    response = client.post("/api/v1/jobs", files=[("archive", ("bomb.zip", bomb))])
    assert is_problem(response, 413) and response.json()["code"] == "too-large"

    response = client.post("/api/v1/jobs", content=b"x" * 300_000,
                           headers={"Content-Type": "application/zip"})
    assert is_problem(response, 413)
    assert client.app.state.jobs.unfinished_jobs() == []  # nothing was kept


def test_bad_requests_get_problems(client: TestClient) -> None:
    empty = client.post("/api/v1/jobs", json={"documents": []})
    assert is_problem(empty, 422) and empty.json()["code"] == "empty-batch"
    rubric = client.post("/api/v1/jobs", json={"documents": [{"text": "x"}], "rubric": "nope"})
    assert is_problem(rubric, 422) and rubric.json()["code"] == "unknown-rubric"
    state = client.post("/api/v1/jobs", json={"documents": [{"text": "x"}],
                                              "jurisdiction": "ZZ"})
    assert is_problem(state, 422) and state.json()["code"] == "unknown-jurisdiction"
    broken = client.post("/api/v1/jobs", content=b"{", headers={"Content-Type":
                                                                "application/json"})
    assert is_problem(broken, 400) and broken.json()["code"] == "malformed-json"
    not_zip = client.post("/api/v1/jobs", files=[("archive", ("a.zip", b"PK not a zip"))])
    assert is_problem(not_zip, 422) and not_zip.json()["code"] == "unreadable-archive"
    text = client.post("/api/v1/jobs", content=b"hello", headers={"Content-Type": "text/plain"})
    assert is_problem(text, 415)
    missing = client.get("/api/v1/jobs/does-not-exist")
    assert is_problem(missing, 404) and missing.json()["code"] == "not-found"
    assert client.app.state.jobs.unfinished_jobs() == []


def test_a_queue_that_cannot_take_the_job_gives_503_and_keeps_nothing(
    client: TestClient,
) -> None:
    class Unreachable:
        backend = "sqlite"

        def enqueue(self, job_id: str, document_ids: Any) -> None:
            raise ConnectionError("queue down")

        def close(self) -> None:
            pass

    client.app.state.jobs._queue = Unreachable()
    response = client.post("/api/v1/jobs", json={"documents": [{"text": policy_text()}]})
    assert is_problem(response, 503) and response.json()["code"] == "unavailable"
    assert client.app.state.jobs.counts() == {}


def test_a_job_is_cancelled_with_its_token_and_its_audits_stay(client: TestClient) -> None:
    job = submit(client, [policy_text("c1"), policy_text("c2")])
    jobs = client.app.state.jobs
    first_id = jobs.get(job["id"])[1][0].id
    jobs.process_document(first_id)  # one document scored before the cancel
    audit_id = client.get(f"/api/v1/jobs/{job['id']}").json()["documents"][0]["id"]
    url = f"/api/v1/jobs/{job['id']}"

    assert is_problem(client.delete(url), 401)
    wrong = client.delete(url, headers={"Authorization": "Bearer not-the-token"})
    assert is_problem(wrong, 403)
    bearer = {"Authorization": f"Bearer {job['delete_token']}"}
    assert client.delete(url, headers=bearer).status_code == 204
    assert is_problem(client.get(url), 404)
    assert jobs.unfinished_jobs() == [] and jobs.counts() == {}
    jobs.process_document(first_id + 1)  # the queue's message for the other: nothing to do
    assert client.get(f"/api/v1/audits/{audit_id}").status_code == 200
    assert client.delete(f"/api/v1/audits/{audit_id}", headers=bearer).status_code == 204
    assert is_problem(client.delete(url, headers=bearer), 404)


def test_an_unreachable_database_is_a_503(client: TestClient) -> None:
    from sqlalchemy.exc import OperationalError

    jobs = client.app.state.jobs

    def down(*_: Any, **__: Any) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    jobs.get = jobs.submit = jobs.delete = down
    for response in (
        client.get("/api/v1/jobs/some-id"),
        client.post("/api/v1/jobs", json={"documents": [{"text": policy_text()}]}),
        client.delete("/api/v1/jobs/some-id", headers={"Authorization": "Bearer x"}),
    ):
        assert is_problem(response, 503) and response.json()["code"] == "unavailable"


def test_openapi_documents_the_job_paths_with_every_status(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/v1/jobs"]["post"]
    assert set(post["responses"]) >= {"202", "400", "413", "415", "422", "503"}
    assert "Location" in post["responses"]["202"]["headers"]
    body = post["requestBody"]["content"]
    assert "archive" in body["multipart/form-data"]["schema"]["properties"]
    assert "application/json" in body
    get = spec["paths"]["/api/v1/jobs/{job_id}"]["get"]
    assert set(get["responses"]) >= {"200", "404", "503"}
    delete = spec["paths"]["/api/v1/jobs/{job_id}"]["delete"]
    assert set(delete["responses"]) >= {"204", "401", "403", "404", "503"}
