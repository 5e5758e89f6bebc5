"""Per-client rate limits: 429 Too Many Requests, with ``Retry-After``.

Two token buckets per client. Scoring requests (``EXPENSIVE``: one audit, a batch, a
comparison, a job, and the two web forms that score) cost seconds of CPU each and share a
strict bucket; every other request of the app's routes (reads of saved audits, reports,
pages, rubrics, deletes) shares a loose one, so a client that spent its scoring budget can
still read what it scored. ``/healthz`` is never limited: a load balancer's probes must not
see 429. Static files are served outside the routes and are not limited either.

The client is the peer address the ASGI server gives (``request.client``). Behind a reverse
proxy that is the proxy, unless the server trusts the proxy's ``X-Forwarded-For``: uvicorn
does that for the addresses in ``--forwarded-allow-ips``, which ``policy-audit serve``
takes from ``POLICY_AUDIT_TRUSTED_PROXIES`` (``api.server``). The header is never read
here. IPv6 clients are counted by /64, the block one host usually holds.

The buckets live in the process: with several web processes (``serve --workers``), each
allows the full rate, so one client may get up to that many times the limit. A shared
limit would cost a database write on every request, reads included; a reverse proxy's
limiter (nginx ``limit_req``) is the place for one. ``limits``, the usual library, was not
used: its in-memory store reads ``time.time()`` directly (no clock to inject in tests) and
runs a timer thread, and its shared stores need Redis or memcached, which this service
does not have.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from .problems import Problem
from .settings import Settings

PREFIX = "/api/v1"
# (method, route path) of the requests that score documents.
EXPENSIVE = frozenset(
    {
        ("POST", f"{PREFIX}/audits"),
        ("POST", f"{PREFIX}/audits:batch"),
        ("POST", f"{PREFIX}/comparisons"),
        ("POST", f"{PREFIX}/jobs"),
        ("POST", "/audits"),  # the upload form
        ("POST", "/compare"),  # the comparison form
    }
)
UNLIMITED = frozenset({"/healthz"})
# Clients remembered per bucket; past this, the one seen longest ago is forgotten (and
# starts again with a full bucket). Bounds memory when many addresses send requests.
MAX_CLIENTS = 10_000

Clock = Callable[[], float]


@dataclass
class _State:
    tokens: float
    stamp: float


class TokenBuckets:
    """``burst`` requests at once, refilled at ``per_minute`` a minute, per client key."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Clock = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rate = per_minute / 60.0  # tokens a second
        self.burst = burst
        self.clock = clock
        self.max_clients = max_clients
        self._clients: dict[str, _State] = {}
        self._lock = threading.Lock()  # sync routes' dependencies run in a thread pool

    def take(self, key: str) -> float:
        """Spend one token of ``key``'s bucket: 0 if there was one, else the seconds until
        there is (and nothing is spent)."""
        with self._lock:
            now = self.clock()
            # Popped and put back: the dict's order is then least recently seen first.
            state = self._clients.pop(key, None)
            if state is None:
                tokens = float(self.burst)
            else:
                elapsed = max(0.0, now - state.stamp)
                tokens = min(float(self.burst), state.tokens + elapsed * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._clients[key] = _State(tokens, now)
            while len(self._clients) > self.max_clients:
                del self._clients[next(iter(self._clients))]
            return wait


def client_key(request: Request) -> str:
    """The peer address; an IPv6 one as its /64."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is an IPv4 client
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def is_expensive(method: str, path: str) -> bool:
    return (method.upper(), path) in EXPENSIVE


class RateLimiter:
    """The app's limits (``app.state.rate_limiter``); ``check`` is an app-wide dependency."""

    def __init__(self, settings: Settings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self.scoring: TokenBuckets | None = None
        self.reads: TokenBuckets | None = None
        if settings.rate_limit:
            self.scoring = TokenBuckets(
                settings.rate_limit_per_minute, settings.rate_limit_burst, clock
            )
            if settings.read_limit_per_minute > 0:
                self.reads = TokenBuckets(
                    settings.read_limit_per_minute, settings.read_limit_burst, clock
                )

    def set_clock(self, clock: Clock) -> None:
        for buckets in (self.scoring, self.reads):
            if buckets is not None:
                buckets.clock = clock

    def bucket_for(self, method: str, path: str) -> TokenBuckets | None:
        if path in UNLIMITED:
            return None
        return self.scoring if is_expensive(method, path) else self.reads

    def check(self, request: Request) -> None:
        route = request.scope.get("route")
        path = getattr(route, "path", request.url.path)
        buckets = self.bucket_for(request.method, path)
        if buckets is None:
            return
        wait = buckets.take(client_key(request))
        if wait > 0:
            raise too_many(wait, buckets, scoring=buckets is self.scoring)


def too_many(wait: float, buckets: TokenBuckets, *, scoring: bool) -> Problem:
    seconds = max(1, math.ceil(wait))
    per_minute = f"{buckets.rate * 60:g}"
    what = (
        f"at most {per_minute} scoring requests (audits, batches, comparisons, jobs) a "
        f"minute, {buckets.burst} at once"
        if scoring
        else f"at most {per_minute} requests a minute, {buckets.burst} at once"
    )
    return Problem(
        429,
        f"Too many requests from your address: this service accepts {what}. Try again in "
        f"{seconds} second{'s' if seconds != 1 else ''}.",
        code="rate-limited",
        headers={"Retry-After": str(seconds)},
    )


async def check(request: Request) -> None:
    """The app-wide dependency. Async so that it runs on the event loop, not in a thread;
    the scoring routes read their bodies themselves, after it, so a refused request is
    refused before its upload is read."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.check(request)
