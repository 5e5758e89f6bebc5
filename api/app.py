"""The FastAPI application factory: ``create_app(settings=None)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from policy_audit import AuditPool

from . import (
    allow,
    compare_web,
    comparisons,
    database_errors,
    docs,
    openapi_contract,
    problems,
    ratelimit,
    web,
)
from .head import HeadAsGet
from .job_expiry import ExpirySweeper
from .job_service import JobService
from .jobs import build_jobs_router
from .routes import build_router
from .service import AuditService
from .settings import Settings


class PolicyAuditAPI(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        return HeadAsGet(
            problems.ProblemBodyLimit(super().build_middleware_stack(),
                                      html_errors=web.html_errors)
        )


def create_app(settings: Settings | None = None, pool: AuditPool | None = None) -> FastAPI:
    """Build the app; applies database migrations before returning.

    ``pool``: an audit pool to share (tests); by default the app starts its own workers
    (``settings.workers``), warming them up at start-up, and stops them at shutdown.
    """
    settings = settings or Settings.from_env()
    service = AuditService(settings, pool=pool)
    service.migrate()
    jobs = JobService(service)  # its queue connects at the first job
    # Every web process purges expired jobs, so they go even when no worker runs.
    sweeper = ExpirySweeper(jobs.purge_expired) if jobs.keep is not None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.pool.start()  # spawns the workers; they warm up while the server starts
        if sweeper is not None:
            sweeper.start()
        yield
        if sweeper is not None:
            sweeper.stop()
        jobs.close()
        service.dispose()

    app = PolicyAuditAPI(
        title="policy-audit",
        summary="Score police ALPR policies against a rubric, with the policy's words as evidence.",
        version="1",
        max_body_size=settings.max_body_bytes,
        lifespan=lifespan,
        docs_url=None,  # served by api.docs from local files instead of a CDN
        redoc_url=None,
        # Every route's requests count against the client's rate limit (api.ratelimit).
        dependencies=[Depends(ratelimit.check)],
    )
    app.state.settings = settings
    app.state.rate_limiter = ratelimit.RateLimiter(settings)
    app.state.service = service
    app.state.jobs = jobs
    app.state.expiry = sweeper
    problems.install(app, html_errors=web.html_errors)
    allow.install(app)
    database_errors.install(app)
    app.include_router(build_router(settings))
    app.include_router(build_jobs_router(settings))
    app.include_router(web.build_web_router(settings))
    app.include_router(comparisons.build_router(settings))
    app.include_router(compare_web.build_router(settings))
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    docs.install(app)
    openapi_contract.install(app, settings, sorted(service.rubrics))
    return app
