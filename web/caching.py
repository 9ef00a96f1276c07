"""HTTP for linked-data clients, on every GET: CORS, a strong ETag from the content (304 on
a match), cache headers, and gzip or brotli for text.

A release does not change while it is served, so an answer's bytes name it: the ETag is
their SHA-256 (for a dump, its line of SHA256SUMS, so the file is not read to answer), never
a file time. Answers vary by ``Accept``, ``Accept-Encoding`` and the language and filter
cookies.
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask
from flask import Response
from flask import request

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "image/svg+xml",
)
MIN_BYTES = 1024
MAX_AGE = 300  # seconds a client or proxy may reuse a page without asking again


def init_app(app: Flask) -> None:
    @app.after_request
    def http(response: Response) -> Response:
        if request.method not in ("GET", "HEAD"):
            return response
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault("Access-Control-Expose-Headers", "ETag, Link, Vary")
        if response.status_code != 200:
            return response
        _vary(response, "Accept", "Accept-Encoding", "Cookie")
        tag = _etag(response)
        if tag is None:
            return response
        response.headers["ETag"] = tag
        response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
        if tag in _tags(request.headers.get("If-None-Match", "")):
            return _not_modified(response)
        return _compressed(response)


def _etag(response: Response) -> str | None:
    digest = response.headers.pop("X-Content-SHA256", None)  # set where the digest is known
    if digest is None:
        if response.direct_passthrough or response.is_streamed:
            return None
        digest = hashlib.sha256(response.get_data()).hexdigest()
    encoding = _encoding()
    return f'"{digest[:32]}{"-" + encoding if encoding and _compressible(response) else ""}"'


def _tags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def _not_modified(response: Response) -> Response:
    kept = {k: v for k, v in response.headers.items() if k in _KEPT}
    answer = Response(status=304)
    answer.headers.update(kept)
    # a choice the request made (?lang=en) is remembered even when the page is not resent
    for cookie in response.headers.getlist("Set-Cookie"):
        answer.headers.add("Set-Cookie", cookie)
    response.close()
    return answer


_KEPT = ("ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin", "Content-Location")


def _encoding() -> str | None:
    accepted = request.headers.get("Accept-Encoding", "").lower()
    names = {part.split(";")[0].strip() for part in accepted.split(",")}
    if "br" in names:
        return "br"
    if "gzip" in names:
        return "gzip"
    return None


def _compressible(response: Response) -> bool:
    return (response.mimetype or "").startswith(COMPRESSIBLE)


def _compressed(response: Response) -> Response:
    encoding = _encoding()
    if encoding is None or not _compressible(response) or response.direct_passthrough:
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    if encoding == "br":
        import brotli

        packed = brotli.compress(body, quality=5)
    else:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    return response


def _vary(response: Response, *names: str) -> None:
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    for name in names:
        if name not in present:
            present.append(name)
    response.headers["Vary"] = ", ".join(present)
