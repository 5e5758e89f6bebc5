"""RFC 9457 problem details (``application/problem+json``) for every error the API returns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policy_audit import PolicyAuditError

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Problem types are URNs (RFC 9457 §3.1.1 allows non-resolvable URIs); api/README.md lists them.
TYPE_BASE = "urn:policy-audit:problem:"

log = logging.getLogger("api")


# Browsers asking for a page get the same message as an HTML page (given to ``install``):
# (request, status, detail) -> a response, or None for problem+json.
HtmlErrors = Callable[[Request, int, str], Response | None]


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        self.problem: dict[str, Any] = content  # kept for the browser-page fallback
        return super().render(content)


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.title = title
        self.headers = headers
        self.extra = extra


# RFC 9110 names, where Python's http module still has the older ones.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def _title(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_DEFAULT_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "rate-limited",
    500: "internal-error",
    501: "not-implemented",
    503: "unavailable",
}


def problem_body(
    status: int,
    detail: str,
    *,
    instance: str | None = None,
    code: str | None = None,
    title: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    code = code or _DEFAULT_CODES.get(status, "error")
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title or _title(status),
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    body.update(extra)
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    request: Request | None = None,
    code: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    instance = request.url.path if request is not None else None
    body = problem_body(status, detail, instance=instance, code=code, title=title, **extra)
    return ProblemResponse(body, status_code=status, headers=headers)


def problem_for_error(error: PolicyAuditError, instance: str | None = None) -> dict[str, Any]:
    """The problem document for an engine error (413/415/422/400), for batch items too."""
    return problem_body(
        error.http_status, str(error) or error.code, instance=instance, code=error.code
    )


_HTTP_DETAILS = {
    404: "Nothing here. Check the URL; audit ids are exact and deleted audits are gone.",
    405: "This URL does not accept that method.",
    413: "The request body is larger than this service accepts.",
}


Handler = Callable[[Request, Exception], Awaitable[ProblemResponse]]
# Headers that describe the problem's body, not the answer.
_BODY_HEADERS = {"content-type", "content-length"}


def _or_page(handler: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler's problem, or the same status and message as a page for a browser."""

    async def handle(request: Request, exc: Exception) -> Response:
        response = await handler(request, exc)
        html_errors: HtmlErrors | None = getattr(request.app.state, "html_errors", None)
        if html_errors is not None:
            page = html_errors(request, response.status_code, response.problem["detail"])
            if page is not None:
                # The page keeps what the headers say (Allow, Retry-After, WWW-Authenticate).
                for name, value in response.headers.items():
                    if name not in _BODY_HEADERS and name not in page.headers:
                        page.headers[name] = value
                return page
        return response

    return handle


async def _problem_handler(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, Problem)
    return problem_response(
        exc.status,
        exc.detail,
        request=request,
        code=exc.code,
        title=exc.title,
        headers=exc.headers,
        **exc.extra,
    )


async def _engine_error_handler(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, PolicyAuditError)
    body = problem_for_error(exc, request.url.path)
    return ProblemResponse(body, status_code=exc.http_status)


async def _http_handler(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else None
    if status in _HTTP_DETAILS and (detail is None or detail == _title(status)):
        detail = _HTTP_DETAILS[status]
    if status == 413:
        detail = _HTTP_DETAILS[413]
    return problem_response(status, detail or _title(status), request=request,
                            headers=dict(exc.headers) if exc.headers else None)


async def _validation_handler(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors()
    ]
    return problem_response(
        422,
        "The request is not valid: "
        + "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors),
        request=request,
        code="invalid-request",
        errors=errors,
    )


async def _unexpected_handler(request: Request, exc: Exception) -> ProblemResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem_response(
        500,
        "Something went wrong on our side. The error was logged; please try again later.",
        request=request,
        code="internal-error",
    )


def http_error_handler() -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler of HTTP errors (404, 405, 413 ...), for modules that adjust one status."""
    return _or_page(_http_handler)


def or_page(handler: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    """For handlers installed by other modules: a page for browsers, else the problem."""
    return _or_page(handler)


def install(app: FastAPI, html_errors: HtmlErrors | None = None) -> None:
    app.state.html_errors = html_errors
    app.add_exception_handler(Problem, _or_page(_problem_handler))
    app.add_exception_handler(PolicyAuditError, _or_page(_engine_error_handler))
    app.add_exception_handler(StarletteHTTPException, _or_page(_http_handler))
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(Exception, _or_page(_unexpected_handler))


class ProblemBodyLimit:
    """Outermost ASGI wrapper: Starlette's body-size limiter answers some 413s itself with
    ``text/plain`` (when Content-Length is already too large); turn those into problems,
    or into an HTML page for a browser posting a form (``html_errors``)."""

    def __init__(self, app: ASGIApp, html_errors: HtmlErrors | None = None) -> None:
        self.app = app
        self.html_errors = html_errors

    def _replacement(self, scope: Scope) -> Response:
        if self.html_errors is not None:
            page = self.html_errors(Request(scope), 413, _HTTP_DETAILS[413])
            if page is not None:
                return page
        path = scope.get("root_path", "") + scope.get("path", "")
        return ProblemResponse(problem_body(413, _HTTP_DETAILS[413], instance=path), 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replacing = False

        async def send_wrapper(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 413:
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                # Only Starlette's own plain-text answer; our problems and pages pass.
                if not content_type or content_type.startswith("text/plain"):
                    replacing = True
                    return
            if replacing:
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    response = self._replacement(scope)
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": response.raw_headers,
                        }
                    )
                    await send({"type": "http.response.body", "body": response.body})
                return
            await send(message)

        await self.app(scope, receive, send_wrapper)
