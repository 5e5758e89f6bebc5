"""Per-client rate limits (api.ratelimit): 429 with Retry-After, a problem for the API and a
page for the web form; the clock is injected, never slept on."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from starlette.requests import Request

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api.ratelimit import TokenBuckets, client_key
from api.settings import Settings

from .conftest import is_problem
from .test_contract import assert_documented

# An empty document: refused with 422 before any scoring, but it is a scoring request,
# so it spends the client's budget like a real one without a second of CPU.
EMPTY = {"text": ""}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(make_client, clock):
    """``limited(**settings)``: a client whose app limits scoring to 2 at once, 1 a second
    (and reads to 5 at once), on the fake clock."""

    def make(**overrides: Any) -> TestClient:
        settings = {"rate_limit": True, "rate_limit_per_minute": 60, "rate_limit_burst": 2,
                    "read_limit_per_minute": 60, "read_limit_burst": 5, **overrides}
        client = make_client(**settings)
        client.app.state.rate_limiter.set_clock(clock)
        return client

    return make


def other_client(client: TestClient, host: str) -> TestClient:
    return TestClient(client.app, raise_server_exceptions=False, client=(host, 40000))


def test_a_burst_over_the_limit_gets_429_with_retry_after(limited):
    client = limited()
    answers = [client.post("/api/v1/audits", json=EMPTY) for _ in range(3)]
    assert [a.status_code for a in answers] == [422, 422, 429]
    refused = answers[-1]
    assert is_problem(refused, 429)
    assert refused.json()["code"] == "rate-limited"
    assert refused.json()["type"] == "urn:policy-audit:problem:rate-limited"
    assert refused.headers["retry-after"] == "1"
    assert "Try again in 1 second" in refused.json()["detail"]


def test_every_scoring_operation_shares_the_budget(limited):
    client = limited()
    assert client.post("/api/v1/audits:batch", json={"documents": []}).status_code == 422
    assert client.post("/api/v1/comparisons", json={"versions": []}).status_code == 422
    for path in ("/api/v1/audits", "/api/v1/audits:batch", "/api/v1/comparisons",
                 "/api/v1/jobs"):
        assert is_problem(client.post(path, json=EMPTY), 429), path
    for form in ("/audits", "/compare"):  # the web forms that score
        assert client.post(form, data={"text": ""}).status_code == 429, form
    assert client.post("/audits/nope/delete").status_code == 403  # deleting is not scoring


def test_requests_pass_again_after_the_wait_retry_after_gives(limited, clock):
    client = limited(rate_limit_per_minute=6)  # one every 10 s
    for _ in range(2):
        client.post("/api/v1/audits", json=EMPTY)
    refused = client.post("/api/v1/audits", json=EMPTY)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "10"
    clock.now += 9
    still = client.post("/api/v1/audits", json=EMPTY)
    assert still.status_code == 429
    assert still.headers["retry-after"] == "1"
    clock.now += 1
    assert client.post("/api/v1/audits", json=EMPTY).status_code == 422
    assert client.post("/api/v1/audits", json=EMPTY).status_code == 429
    clock.now += 3600  # a long pause refills the bucket to its burst, no further
    assert [client.post("/api/v1/audits", json=EMPTY).status_code for _ in range(3)] == [
        422, 422, 429]


def test_different_clients_have_their_own_budgets(limited):
    client = limited()
    first, second = other_client(client, "192.0.2.1"), other_client(client, "192.0.2.2")
    for _ in range(2):
        first.post("/api/v1/audits", json=EMPTY)
    assert first.post("/api/v1/audits", json=EMPTY).status_code == 429
    assert second.post("/api/v1/audits", json=EMPTY).status_code == 422
    # The same host over IPv4-mapped IPv6 is the same client.
    mapped = other_client(client, "::ffff:192.0.2.1")
    assert mapped.post("/api/v1/audits", json=EMPTY).status_code == 429


def test_x_forwarded_for_does_not_make_a_new_client(limited):
    """The app counts the peer the server gives; only the server (uvicorn, for the proxies
    it trusts) may turn X-Forwarded-For into the peer."""
    client = limited()
    for number in range(3):
        answer = client.post("/api/v1/audits", json=EMPTY,
                             headers={"X-Forwarded-For": f"198.51.100.{number}"})
    assert answer.status_code == 429


def test_reads_are_not_starved_by_spent_scoring_budget(limited):
    client = limited()
    for _ in range(3):
        client.post("/api/v1/audits", json=EMPTY)
    assert client.post("/api/v1/audits", json=EMPTY).status_code == 429
    assert client.get("/api/v1/rubrics").status_code == 200
    assert client.get("/api/v1/audits/nope").status_code == 404
    assert client.get("/").status_code == 200


def test_reads_have_a_looser_limit_of_their_own_and_healthz_none(limited):
    client = limited()
    answers = [client.get("/api/v1/rubrics").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    refused = client.head("/api/v1/rubrics")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert all(client.get("/healthz").status_code == 200 for _ in range(20))
    assert client.get("/static/app.css").status_code == 200  # static files: not limited
    # ... and spent reads leave scoring alone.
    assert client.post("/api/v1/audits", json=EMPTY).status_code == 422


def test_reads_unlimited_when_their_rate_is_zero(limited):
    client = limited(read_limit_per_minute=0)
    assert all(client.get("/api/v1/rubrics").status_code == 200 for _ in range(20))
    assert client.post("/api/v1/audits", json=EMPTY).status_code == 422


def test_the_web_form_answers_a_readable_page(limited):
    client = limited()
    html = {"Accept": "text/html"}
    for _ in range(2):
        client.post("/audits", data={"text": ""}, headers=html)
    page = client.post("/audits", data={"text": ""}, headers=html)
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"] == "1"
    assert "<h1>Too many requests: please wait</h1>" in page.text
    assert "Too many requests from your address" in page.text
    assert "Try again in 1 second" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_the_setting_switches_the_limits_off(limited):
    client = limited(rate_limit=False)
    answers = {client.post("/api/v1/audits", json=EMPTY).status_code for _ in range(10)}
    answers |= {client.get("/api/v1/rubrics").status_code for _ in range(10)}
    assert answers == {422, 200}


def test_429_is_in_the_contract_of_every_operation_that_can_answer_it(limited):
    client = limited()
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path == "/healthz":
                assert "429" not in responses
                continue
            assert "429" in responses, (method, path)
            assert responses["429"]["headers"]["Retry-After"]["required"] is True
            assert "application/problem+json" in responses["429"]["content"]
    refused = [client.post("/api/v1/audits", json=EMPTY) for _ in range(3)][-1]
    assert refused.status_code == 429
    assert_documented(client, refused, "post", "/api/v1/audits")
    read = [client.get("/api/v1/audits/nope") for _ in range(6)][-1]
    assert read.status_code == 429
    assert_documented(client, read, "get", "/api/v1/audits/{audit_id}")


def test_the_contract_has_no_429_when_limits_are_off(make_client):
    paths = make_client(rate_limit=False).get("/openapi.json").json()["paths"]
    assert not [(p, m) for p, ops in paths.items() for m, op in ops.items()
                if "429" in op["responses"]]
    reads_free = make_client(rate_limit=True, read_limit_per_minute=0)
    paths = reads_free.get("/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/audits"]["post"]["responses"]
    assert "429" in paths["/api/v1/jobs"]["post"]["responses"]
    assert "429" not in paths["/api/v1/audits/{audit_id}"]["get"]["responses"]


def test_settings_from_the_environment():
    assert Settings().rate_limit is True
    off = Settings.from_env({"POLICY_AUDIT_RATE_LIMIT": "off"})
    assert off.rate_limit is False
    tuned = Settings.from_env({
        "POLICY_AUDIT_RATE_LIMIT_PER_MINUTE": "12", "POLICY_AUDIT_RATE_LIMIT_BURST": "3",
        "POLICY_AUDIT_READ_LIMIT_PER_MINUTE": "0", "POLICY_AUDIT_READ_LIMIT_BURST": "7",
        "POLICY_AUDIT_TRUSTED_PROXIES": "10.0.0.0/8",
    })
    assert (tuned.rate_limit_per_minute, tuned.rate_limit_burst) == (12, 3)
    assert (tuned.read_limit_per_minute, tuned.read_limit_burst) == (0, 7)
    assert tuned.trusted_proxies == "10.0.0.0/8"
    with pytest.raises(ValueError, match="POLICY_AUDIT_RATE_LIMIT='maybe': use on or off"):
        Settings.from_env({"POLICY_AUDIT_RATE_LIMIT": "maybe"})


def test_serve_passes_the_trusted_proxies_to_uvicorn(monkeypatch, tmp_path):
    import uvicorn

    from api import server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("POLICY_AUDIT_TRUSTED_PROXIES", "10.1.2.3,10.9.0.0/16")
    server.serve("127.0.0.1", 0, 1, f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.delenv("POLICY_AUDIT_TRUSTED_PROXIES")
    server.serve("127.0.0.1", 0, 1, f"sqlite:///{tmp_path / 'serve.db'}")
    assert [c["forwarded_allow_ips"] for c in calls] == ["10.1.2.3,10.9.0.0/16", None]
    assert all(c["proxy_headers"] for c in calls)


def _request(host: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [],
                    "client": (host, 1)})


def test_ipv6_clients_are_counted_by_their_64():
    assert client_key(_request("2001:db8:1:2:aaaa::1")) == client_key(
        _request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_key(_request("2001:db8:1:3::1")) != client_key(_request("2001:db8:1:2::1"))
    assert client_key(_request("::ffff:198.51.100.7")) == "198.51.100.7"
    assert client_key(_request("testclient")) == "testclient"


def test_the_least_recently_seen_client_is_forgotten_past_the_cap():
    clock = Clock()
    buckets = TokenBuckets(per_minute=1, burst=1, clock=clock, max_clients=2)
    assert buckets.take("a") == 0 and buckets.take("b") == 0
    assert buckets.take("a") > 0  # a is now the most recently seen
    assert buckets.take("c") == 0  # b is forgotten, a is kept
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0  # b starts again with a full bucket
