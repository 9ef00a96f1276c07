"""The Flask app behind an ASGI front that reads each request whole before a thread runs it.

Why: a WSGI server gives a request to a thread as soon as its headers are in, and the thread
then blocks reading the body, so a client that declares a body and stalls pins that thread
(slowloris, hostile-inputs H34; neither gunicorn nor granian's WSGI mode has a body
timeout). Here the body is read on the event loop under a deadline and a size cap, and only
whole requests reach the thread pool. The server's header-read timeout (granian's
``http1_header_read_timeout``) bounds the headers the same way. Responses go back in
batches, so a large download never sits whole in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

BATCH_BYTES = 256 * 1024
MAX_TARGET_BYTES = 16 * 1024  # path + query string; longer GETs get 414 (use POST)
MAX_HEADER_BYTES = 96 * 1024  # all header lines; more is 431

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


class MalformedBodyError(Exception):
    """The body's framing could not be read (a chunk size that is not hexadecimal)."""


class BufferedWSGI:
    """An ASGI application that runs a WSGI application on whole, bounded requests."""

    def __init__(
        self,
        app: Callable,
        *,
        read_timeout: float,
        max_body: int,
        threads: int,
        on_shutdown: Callable[[], None] | None = None,
    ):
        self.app = app
        self.on_shutdown = on_shutdown
        self.read_timeout = read_timeout
        self.max_body = max_body
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="wsgi")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets here
        if len(scope.get("raw_path") or b"") + len(scope["query_string"]) > MAX_TARGET_BYTES:
            await _error(send, 414, "uri_too_long", "The URL is too long: send the query by POST.")
            return
        if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEADER_BYTES:
            await _error(send, 431, "headers_too_large", "The request headers are too large.")
            return
        if not _host_ok(scope):
            await _error(send, 400, "bad_host", "The Host header is not a host name.")
            return
        try:
            async with asyncio.timeout(self.read_timeout):
                length, body = await self._read_body(scope, receive)
        except TimeoutError:
            await _error(send, 408, "request_timeout", "The request body did not arrive in time.")
            return
        except (ConnectionAbortedError, MalformedBodyError):
            # the client left before its body was in, or its framing could not be read (the
            # server reports a bad chunk as a disconnect): answer 400, which a client that
            # left never reads, rather than leave the server to answer 500
            with contextlib.suppress(Exception):
                message = "The request body did not arrive whole, or is not well framed."
                await _error(send, 400, "bad_request", message)
            return
        await self._respond(_environ(scope, length, body), send)

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[int, bytes]:
        """The whole body, or none of it when it is declared (or turns out) larger than the
        cap: the app then sees the length and refuses it (413) without reading."""
        declared, chunked = _framing(scope)
        http1 = scope.get("http_version", "1.1") in ("1.0", "1.1")
        if declared == 0 or declared is None and not chunked and http1:
            return 0, b""  # no body (HTTP/1 says so by its headers): nothing to wait for
        if declared is not None and declared > self.max_body:
            return declared, b""
        chunks, size, more = [], 0, True
        while more:
            try:
                message = await receive()
            except (TimeoutError, asyncio.CancelledError):
                raise
            except Exception:  # the server could not read the body (bad chunk framing)
                raise MalformedBodyError from None
            if message["type"] == "http.disconnect":
                raise ConnectionAbortedError
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_body:
                return size, b""
            more = message.get("more_body", False)
        return size, b"".join(chunks)

    async def _respond(self, environ: dict[str, Any], send: Send) -> None:
        loop = asyncio.get_running_loop()
        response = _Response()
        first, done = await loop.run_in_executor(self.pool, response.start, self.app, environ)
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": response.headers,
                }
            )
            await send({"type": "http.response.body", "body": first, "more_body": not done})
            while not done:
                chunk, done = await loop.run_in_executor(self.pool, response.batch)
                await send({"type": "http.response.body", "body": chunk, "more_body": not done})
        finally:
            if not done:  # the client left mid-response
                await loop.run_in_executor(self.pool, response.close)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=False)
                if self.on_shutdown:
                    self.on_shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


class _Response:
    """One WSGI response, read in batches from a worker thread."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.written: list[bytes] = []  # the legacy write() callable's output
        self.result: Any = ()
        self.iterator: Iterator[bytes] = iter(())

    def start(self, app: Callable, environ: dict[str, Any]) -> tuple[bytes, bool]:
        self.result = app(environ, self._start_response)
        self.iterator = iter(self.result)
        return self.batch()

    def _start_response(self, status: str, headers: list, exc_info: Any = None) -> Callable:
        self.status = int(status.split(" ", 1)[0])
        self.headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        return self.written.append

    def batch(self) -> tuple[bytes, bool]:
        chunks, size = self.written, sum(map(len, self.written))
        self.written = []
        for chunk in self.iterator:
            chunks.append(chunk)
            size += len(chunk)
            if size >= BATCH_BYTES:
                return b"".join(chunks), False
        self.close()  # here, in the worker thread: no extra hop for it
        return b"".join(chunks), True

    def close(self) -> None:
        if hasattr(self.result, "close"):
            self.result.close()


def _framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared Content-Length (None if absent or unreadable), and whether the body is
    sent in chunks (Transfer-Encoding)."""
    length, chunked = None, False
    for name, value in scope["headers"]:
        name = name.lower()
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


_LABEL = rb"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST = re.compile(rb"%s(?:\.%s)*\.?|\[[0-9A-Fa-f:.]+\]" % (_LABEL, _LABEL))


def _host_ok(scope: Scope) -> bool:
    """A Host header, where there is one, is a DNS name (labels of at most 63 characters)
    or an IP literal, with an optional port: what Werkzeug can bind URLs to."""
    hosts = [v for k, v in scope["headers"] if k.lower() == b"host"]
    if not hosts:
        return True
    if len(hosts) > 1 or len(hosts[0]) > 255:
        return False
    host, port = hosts[0], b""
    if not host.endswith(b"]") and b":" in host:  # name:port, [v6]:port
        host, _, port = host.rpartition(b":")
    if port and (not port.isdigit() or len(port) > 5):
        return False
    return bool(_HOST.fullmatch(host))


def _environ(scope: Scope, length: int, body: bytes) -> dict[str, Any]:
    """PEP 3333 environ from an ASGI scope; the query string stays raw bytes (as latin-1)."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper()
        if "_" in name:  # X_Forwarded_For must not pose as X-Forwarded-For
            continue
        key = name.replace("-", "_")
        if key in ("TRANSFER_ENCODING", "CONTENT_LENGTH"):  # the body is whole: its length
            continue  # is set below, and the app must not wait for chunks that were read
        key = key if key == "CONTENT_TYPE" else "HTTP_" + key
        value = raw_value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if body or length:
        environ["CONTENT_LENGTH"] = str(length)
    return environ


async def _error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_server_app() -> BufferedWSGI:
    """The app ``kg serve`` runs (a factory called in each server process): settings come
    from ``KG_*`` variables, which ``kg serve`` sets; the query workers start now, not on
    the first query."""
    from kg.config import setting
    from web import create_app
    from web.query_service import pool
    from web.query_service import settings

    app = create_app()
    with app.test_request_context("/sparql"):
        workers = pool()
        max_body = settings()["max_body_bytes"]
    return BufferedWSGI(
        app,
        read_timeout=setting("KG_READ_TIMEOUT"),
        max_body=max_body,
        threads=setting("KG_SERVER_THREADS"),
        on_shutdown=workers.close,
    )
