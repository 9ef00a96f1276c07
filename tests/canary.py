"""A loopback listener that counts every TCP connection it gets, for the whole session.

Hostile tests aim SERVICE, FROM, contexts and imports at it; nothing may ever connect.
Each test that asks for ``canary`` gets the URL and a fresh list of what reached it during
that test; the session's last check (``canary_session``) fails if anything reached it at
all, in any test, whether or not that test looked.
"""

from __future__ import annotations

import http.server
import threading

import pytest


class _Listener(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.total: list[str] = []
        self.current: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    def verify_request(self, request, client_address) -> bool:
        """Every accepted connection counts, a port scan's included (it sends nothing)."""
        self.total.append(f"connection from {client_address[0]}")
        self.current.append("connection")
        return True


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.current.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(b'{"@context": {}}')

    do_GET = do_POST = do_HEAD = _answer  # noqa: N815 (http.server API)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session", autouse=True)
def canary_session():
    server = _Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    assert server.total == [], f"the canary was reached: {server.total}"


@pytest.fixture
def canary(canary_session):
    """(URL, what reached the listener during this test)."""
    canary_session.current = []
    yield f"http://127.0.0.1:{canary_session.server_address[1]}", canary_session.current
