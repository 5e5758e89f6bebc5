"""Cross-site request forgery: the web forms (upload, compare, delete) only take posts from
pages of this site. Every POST route outside ``/api/`` calls ``check_same_origin`` first
(tests/api/test_forms_origin.py fails for one that does not).

The delete cookie is ``SameSite=Strict``, but that alone leaves the upload form open to any
site, and depends on the browser. Browsers send ``Origin`` with every form post (the pages'
``Referrer-Policy: same-origin`` keeps it the real origin for our own forms, and makes it
``null`` for a cross-site post); when it is missing, ``Referer`` stands in. A post that
names another origin, or ``null``, is refused with a 403 page. A post that carries neither
header comes from a program, not a page in a browser, and cannot ride on a visitor's cookie:
it is accepted, as the JSON API would accept it.

Behind a proxy that rewrites ``Host``, list the public origins in
``POLICY_AUDIT_TRUSTED_ORIGINS`` (comma-separated, such as ``https://audit.example.org``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from .problems import Problem

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, with the default port left out; None if none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def own_origin(request: Request) -> str | None:
    """The origin this request was addressed to (scheme from the connection, or from the
    proxy headers uvicorn trusts; host and port from ``Host``)."""
    return origin_of(str(request.base_url))


def sender_origin(request: Request) -> str | None:
    """Where the browser says the form was sent from: ``Origin``, else ``Referer``'s origin.
    ``""`` when neither header is there; None when one is there but names no web origin
    (``Origin: null``, a sandboxed frame, a ``file:`` page)."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin_of(origin) if origin.strip().lower() != "null" else None
    referer = request.headers.get("referer")
    if referer is not None:
        return origin_of(referer)
    return ""


def check_same_origin(request: Request, trusted: tuple[str, ...] = ()) -> None:
    """Raise a 403 ``Problem`` unless the form was posted from a page of this site."""
    sender = sender_origin(request)
    if sender == "":
        return
    allowed = {own_origin(request), *(origin_of(o) for o in trusted)} - {None}
    if sender in allowed:
        return
    shown = request.headers.get("origin") or request.headers.get("referer") or "unknown"
    raise Problem(
        403,
        f"This form was sent from another site ({shown[:200]}), so it was refused: forms "
        "here only accept posts from this site's own pages. Open this site's home page "
        "and send the form from there.",
        code="cross-site-request",
    )
