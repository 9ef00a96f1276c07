"""HTTP for linked-data clients, on every GET: CORS, a strong ETag from the content (304 on
a match), cache headers, and gzip or brotli for text.

A release does not change while it is served, so an answer's bytes name it: the ETag is
their SHA-256 (for a dump, its line of SHA256SUMS, so the file is not read to answer), never
a file time. Answers vary by ``Accept``, ``Accept-Encoding`` and the language and filter
cookies. Headers are read by Werkzeug's parsers (``Accept-Encoding`` with its q values,
``If-None-Match`` with its weak and strong tags) and conditional answers made by Werkzeug;
CORS is Flask-CORS's.
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask
from flask import Response
from flask import request
from flask_cors import CORS

from web.conneg import coding

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
ENCODINGS = ["br", "gzip"]  # ours, best first: an equal q goes to brotli
RELEASE_HEADER = "KG-Release"  # the release folder's name: a digest of its SHA256SUMS


def init_app(app: Flask) -> None:
    # Reads are open to any origin, never with credentials; a preflight learns the methods
    # /sparql takes and the headers a SPARQL client sends.
    CORS(
        app,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["ETag", "Link", "Vary", "Retry-After", "Content-Location", RELEASE_HEADER],
        vary_header=False,
    )

    release = app.extensions["kg"]["release"].name

    @app.after_request
    def http(response: Response) -> Response:
        # every answer names the release it comes from: the one a process serves
        # (web.create_app), or the kept one a query asked for (/sparql?release=ID)
        response.headers.setdefault(RELEASE_HEADER, release)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.vary.update(("Accept", "Accept-Encoding", "Cookie"))
        digest = _digest(response)
        if digest is None:
            return response
        encoding = encoding_for(response)
        response.set_etag(digest[:32] + (f"-{encoding}" if encoding else ""))
        response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
        response.make_conditional(request)  # a 304 when If-None-Match names this answer
        if response.status_code == 200 and encoding:
            _compress(response, encoding)
        return response


def encoding_for(response: Response) -> str | None:
    """How this answer will be sent: as it is (already encoded, a file passed through,
    small, or not text), or in the coding the client prefers."""
    if "Content-Encoding" in response.headers:
        return response.headers["Content-Encoding"]  # a precompressed dump: its ETag says so
    if response.direct_passthrough or not (response.mimetype or "").startswith(COMPRESSIBLE):
        return None
    if response.is_streamed or len(response.get_data()) < MIN_BYTES:
        return None
    return coding(request, ENCODINGS)


def _digest(response: Response) -> str | None:
    digest = response.headers.pop("X-Content-SHA256", None)  # set where the digest is known
    if digest is None:
        if response.direct_passthrough or response.is_streamed:
            return None
        digest = hashlib.sha256(response.get_data()).hexdigest()
    return digest


def encode(body: bytes, encoding: str, best: bool = False) -> bytes:
    """``body`` in ``encoding`` (br or gzip), by the reference encoders: quick for an answer
    made per request, ``best`` for bytes encoded once and kept (web.assets)."""
    if encoding == "br":
        import brotli

        return brotli.compress(body, quality=11 if best else 5)
    return gzip.compress(body, compresslevel=9 if best else 6, mtime=0)


def _compress(response: Response, encoding: str) -> None:
    """Compress the body in place. Hand-made, on the reference encoders, because
    Flask-Compress 1.25 sends gzip to ``Accept-Encoding: gzip;q=0`` (tests/test_http.py)."""
    if "Content-Encoding" in response.headers:
        return
    response.set_data(encode(response.get_data(), encoding))
    response.headers["Content-Encoding"] = encoding
