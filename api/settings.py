"""Service settings, read from the environment. Every setting has a documented default.

| Variable                              | Default                        |
|---------------------------------------|--------------------------------|
| POLICY_AUDIT_DATABASE_URL / DATABASE_URL | sqlite:///./policy-audit.db |
| POLICY_AUDIT_MAX_UPLOAD_MB            | 20   (one document)            |
| POLICY_AUDIT_MAX_BATCH_MB             | 100  (whole batch request)     |
| POLICY_AUDIT_MAX_BATCH_ITEMS          | 50                             |
| POLICY_AUDIT_MAX_PAGES                | 300  (PDF pages)               |
| POLICY_AUDIT_MAX_SECONDS              | 20   (text extraction time)    |
| POLICY_AUDIT_MAX_CHARACTERS           | 1000000 (extracted text)       |
| POLICY_AUDIT_WORKERS                  | number of cores (audit processes) |
| POLICY_AUDIT_DEADLINE_SECONDS         | 60   (whole audit of one document) |
| POLICY_AUDIT_WORKER_MEMORY_MB         | 1024 (memory cap of one audit process) |
| POLICY_AUDIT_MAX_JOB_ITEMS            | 1000 (documents per job, POST /api/v1/jobs) |
| POLICY_AUDIT_MAX_JOB_MB               | 200  (whole job request, and a zip's contents) |
| POLICY_AUDIT_JOB_STALLED_SECONDS      | 30   (a silent worker's documents requeued) |
| POLICY_AUDIT_JOB_RETENTION_DAYS       | 30   (a finished job's record; 0 = kept until deleted) |
| POLICY_AUDIT_TRUSTED_ORIGINS          | (none) origins the web forms accept besides their own |
| POLICY_AUDIT_RATE_LIMIT               | on   (off: no rate limits at all) |
| POLICY_AUDIT_RATE_LIMIT_PER_MINUTE    | 30   (scoring requests per client per minute) |
| POLICY_AUDIT_RATE_LIMIT_BURST         | 10   (scoring requests per client at once) |
| POLICY_AUDIT_READ_LIMIT_PER_MINUTE    | 600  (other requests per client per minute; 0: none) |
| POLICY_AUDIT_READ_LIMIT_BURST         | 120  (other requests per client at once) |
| POLICY_AUDIT_TRUSTED_PROXIES          | 127.0.0.1,::1 (proxies whose X-Forwarded-For counts) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, Field

from policy_audit import (
    DATABASE_ENV,
    DEFAULT_DATABASE_URL,
    DEFAULT_DEADLINE,
    DEFAULT_MEMORY_MB,
    Limits,
    default_pool_size,
)

MB = 1024 * 1024
# Multipart framing and the small form fields that travel with one file.
BODY_OVERHEAD = 64 * 1024
_SWITCH = {"on": True, "true": True, "1": True, "yes": True,
           "off": False, "false": False, "0": False, "no": False}


class Settings(BaseModel):
    database_url: str = DEFAULT_DATABASE_URL
    max_upload_bytes: int = Field(default=20 * MB, gt=0)
    max_batch_bytes: int = Field(default=100 * MB, gt=0)
    max_batch_items: int = Field(default=50, gt=0)
    max_pages: int = Field(default=300, gt=0)
    max_seconds: float = Field(default=20.0, gt=0)
    # The engine's own default (policy_audit.ingest.limits): the costliest text takes about
    # 6 s of CPU at this length; the README's limits table has the measurements.
    max_characters: int = Field(default=1_000_000, gt=0)
    # Audits run in a pool of worker processes (policy_audit.worker), each audit under a
    # hard deadline and each process under a memory cap.
    workers: int = Field(default_factory=default_pool_size, gt=0)
    deadline_seconds: float = Field(default=DEFAULT_DEADLINE, gt=0)
    worker_memory_mb: int = Field(default=DEFAULT_MEMORY_MB, ge=256)
    # Large batches run as jobs on the durable queue (api/jobs.py).
    max_job_items: int = Field(default=1000, gt=0)
    max_job_bytes: int = Field(default=200 * MB, gt=0)
    job_stalled_seconds: float = Field(default=30.0, ge=3)
    # A finished job's rows (not the audits it made) are purged this long after its last
    # document finished; 0 keeps them until deleted with the job's token (api/job_expiry.py).
    job_retention_days: float = Field(default=30.0, ge=0)
    # Origins (https://audit.example.org) the web forms accept posts from besides the one
    # the request was addressed to: for a proxy that rewrites Host (api.security).
    trusted_origins: tuple[str, ...] = ()
    # Per-client rate limits (api.ratelimit): scoring requests, and every other request.
    rate_limit: bool = True
    rate_limit_per_minute: float = Field(default=30.0, gt=0)
    rate_limit_burst: int = Field(default=10, gt=0)
    read_limit_per_minute: float = Field(default=600.0, ge=0)  # 0: reads are not limited
    read_limit_burst: int = Field(default=120, gt=0)
    # The proxies whose X-Forwarded-For uvicorn believes (``serve`` passes it as
    # forwarded_allow_ips); None: uvicorn's default ($FORWARDED_ALLOW_IPS, else loopback).
    trusted_proxies: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        url = next((env[var] for var in DATABASE_ENV if env.get(var)), None)
        if url:
            values["database_url"] = url
        megabytes = {
            "POLICY_AUDIT_MAX_UPLOAD_MB": "max_upload_bytes",
            "POLICY_AUDIT_MAX_BATCH_MB": "max_batch_bytes",
            "POLICY_AUDIT_MAX_JOB_MB": "max_job_bytes",
        }
        for var, field in megabytes.items():
            if env.get(var):
                values[field] = int(float(env[var]) * MB)
        plain = {
            "POLICY_AUDIT_MAX_BATCH_ITEMS": "max_batch_items",
            "POLICY_AUDIT_MAX_JOB_ITEMS": "max_job_items",
            "POLICY_AUDIT_MAX_PAGES": "max_pages",
            "POLICY_AUDIT_MAX_SECONDS": "max_seconds",
            "POLICY_AUDIT_MAX_CHARACTERS": "max_characters",
            "POLICY_AUDIT_WORKERS": "workers",
            "POLICY_AUDIT_DEADLINE_SECONDS": "deadline_seconds",
            "POLICY_AUDIT_WORKER_MEMORY_MB": "worker_memory_mb",
            "POLICY_AUDIT_JOB_STALLED_SECONDS": "job_stalled_seconds",
            "POLICY_AUDIT_RATE_LIMIT_PER_MINUTE": "rate_limit_per_minute",
            "POLICY_AUDIT_RATE_LIMIT_BURST": "rate_limit_burst",
            "POLICY_AUDIT_READ_LIMIT_PER_MINUTE": "read_limit_per_minute",
            "POLICY_AUDIT_READ_LIMIT_BURST": "read_limit_burst",
            "POLICY_AUDIT_JOB_RETENTION_DAYS": "job_retention_days",
        }
        floats = {"max_seconds", "deadline_seconds", "job_stalled_seconds", "job_retention_days",
                  "rate_limit_per_minute", "read_limit_per_minute"}
        for var, field in plain.items():
            if env.get(var):
                values[field] = float(env[var]) if field in floats else int(env[var])
        origins = env.get("POLICY_AUDIT_TRUSTED_ORIGINS", "")
        if origins.strip():
            values["trusted_origins"] = tuple(o.strip() for o in origins.split(",") if o.strip())
        switch = env.get("POLICY_AUDIT_RATE_LIMIT", "").strip().lower()
        if switch:
            if switch not in _SWITCH:
                raise ValueError(
                    f"POLICY_AUDIT_RATE_LIMIT={env['POLICY_AUDIT_RATE_LIMIT']!r}: "
                    "use on or off"
                )
            values["rate_limit"] = _SWITCH[switch]
        proxies = env.get("POLICY_AUDIT_TRUSTED_PROXIES", "").strip()
        if proxies:
            values["trusted_proxies"] = proxies
        return cls(**values)

    @property
    def limits(self) -> Limits:
        return Limits(
            max_bytes=self.max_upload_bytes,
            max_pages=self.max_pages,
            max_seconds=self.max_seconds,
            max_characters=self.max_characters,
        )

    @property
    def max_body_bytes(self) -> int:
        return self.max_upload_bytes + BODY_OVERHEAD
