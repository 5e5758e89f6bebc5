"""HEAD answers wherever GET does (RFC 9110 §9.3.2): the same status and headers, no body.

FastAPI's routes answer only the methods they declare, so every ``@router.get`` route
would answer HEAD with 405. Rather than declare HEAD on each (it would then appear in the
OpenAPI document as a second operation of every read), the request is handled as the GET
it mirrors and the body is dropped on the way out. The GET's own ``Content-Length`` (when
it has one) stays, as HTTP asks. The server's own scope keeps ``HEAD``, so uvicorn too
knows no body follows.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A body comes in one or more "body" messages, or as a file to send ("pathsend").
_BODY = ("http.response.body", "http.response.pathsend")


class HeadAsGet:
    """Outermost ASGI wrapper: a HEAD request runs as GET, and only its headers are sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] in _BODY and not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})
            # Anything else (trailers) belongs to a body that is not sent.

        await self.app({**scope, "method": "GET"}, receive, headers_only)
