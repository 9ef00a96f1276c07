"""`kg serve` as a real process (granian + web.asgi): pages, /sparql, downloads, and the
server-layer limits of hostile-inputs.md: H34 (slowloris), H16 (414), H14 (431)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.processes import children
from tests.processes import descendants
from tests.processes import parent
from tests.processes import sandboxed
from tests.web_fixtures import free_port
from tests.web_fixtures import wait_for

READ_TIMEOUT = 2
SERVERS: dict[int, int] = {}  # port -> pid of the kg serve listening there


@contextlib.contextmanager
def kg_serve(built, workers: int, **settings: str):
    """`kg serve` on a free loopback port, answering from the session's build."""
    port = free_port()
    env = {**os.environ, "KG_READ_TIMEOUT": str(READ_TIMEOUT), **settings}
    out = next(p for p in built.release.parents if (p / "dist").resolve() == built.release)
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--threads", "4"]
    command += ["--workers", str(workers), "--out", str(out)]
    log = open(os.environ.get("KG_SERVE_LOG", os.devnull), "ab")  # noqa: SIM115
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,  # its own process group, so no server process outlives a test
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", seconds=60)
        SERVERS[port] = process.pid
        yield port
    finally:
        process.terminate()
        try:
            process.wait(20)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            log.close()


@pytest.fixture(scope="module")
def served(built):
    limits = {"KG_SPARQL_RATE": "1000", "KG_SPARQL_BURST": "1000", "KG_SPARQL_PER_CLIENT": "8"}
    with kg_serve(built, 1, **limits) as port:
        yield port


def fetch(port: int, path: str, method: str = "GET", body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_pages_and_sparql_through_the_server(served):
    status, headers, body = fetch(served, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in headers
    status, headers, body = fetch(served, "/sparql?query=ASK%7B%7D")
    assert (status, body) == (200, b'{"head": {}, "boolean": true}')
    form = urllib.parse.urlencode({"query": "SELECT ?g WHERE { GRAPH ?g {} } LIMIT 2"})
    status, headers, body = fetch(
        served,
        "/sparql",
        "POST",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    assert status == 200 and body.startswith(b"g\r\n")
    status, headers, body = fetch(served, "/sparql?query=ASK%7B%7D", "HEAD")
    assert status == 200 and body == b""


def test_a_dump_streams_whole(served, built):
    expected = hashlib.sha256((built.release / "kg.nq").read_bytes()).hexdigest()
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/dumps/kg.nq", timeout=10) as r:
        assert hashlib.sha256(r.read()).hexdigest() == expected


def test_h16_long_get_url_is_414_with_a_hint(served):
    query = urllib.parse.quote("ASK {} #" + "x" * 20_000)
    status, headers, body = fetch(served, "/sparql?query=" + query)
    assert status == 414
    assert b"POST" in body


def test_h14_oversized_header_is_431(served):
    status, headers, body = fetch(
        served, "/sparql?query=ASK%7B%7D", headers={"X-Big": "a" * 200_000}
    )
    assert status == 431


def test_h14_sixty_kilobytes_of_accept_is_still_answered(served):
    accept = ", ".join(f"text/x-{i}" for i in range(5000))
    assert 50_000 < len(accept) < 70_000
    status, headers, body = fetch(served, "/sparql?query=ASK%7B%7D", headers={"Accept": accept})
    assert status == 406


def test_h34_slow_clients_are_closed_and_others_are_served(served):
    slow = [socket.create_connection(("127.0.0.1", served)) for _ in range(50)]
    for connection in slow:
        connection.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
    stalled = socket.create_connection(("127.0.0.1", served))
    stalled.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 100000\r\n\r\nquery=ASK+"
    )
    bound = time.monotonic() + READ_TIMEOUT + 60  # ends only a wait that would never end
    ended: dict[int, str] = {}
    answers: dict[int, bytes] = {}

    def drip(index: int, connection: socket.socket, byte: bytes) -> None:
        """Send a byte a second (the attack sends one every 5 s; faster is harsher) until
        the server answers or closes; note which."""
        connection.settimeout(1)
        ended_by = "never"
        while time.monotonic() < bound:
            try:
                answers[index] = connection.recv(200)
                ended_by = "answered" if answers[index] else "closed"
                break  # an answer (408) or a close ends the request
            except TimeoutError:
                try:
                    connection.sendall(byte)
                except OSError:
                    ended_by = "closed"
                    break
            except OSError:
                ended_by = "closed"
                break
        ended[index] = ended_by

    threads = [threading.Thread(target=drip, args=(i, c, b"X")) for i, c in enumerate(slow)]
    threads.append(threading.Thread(target=drip, args=(50, stalled, b"")))
    for thread in threads:
        thread.start()
    # states, not times: others are answered while all 51 slow clients are still held
    served_while_held = 0
    while len(ended) < 51 and time.monotonic() < bound:
        held = not ended
        status, _, _ = fetch(served, "/sparql?query=ASK%7B%7D")
        assert status == 200
        served_while_held += held and not ended
    for thread in threads:
        thread.join()
    for connection in [*slow, stalled]:
        connection.close()
    assert served_while_held >= 1
    assert len(ended) == 51 and "never" not in ended.values()  # each one closed by the server
    assert answers[50].startswith(b"HTTP/1.1 408")


def test_h33_one_budget_for_all_server_processes(built):
    """Two processes, one client: the burst is spent once, not once per process."""
    with kg_serve(built, 2, KG_SPARQL_RATE="0.01", KG_SPARQL_BURST="12") as port:
        statuses = [fetch(port, "/sparql?query=ASK%7B%7D")[0] for _ in range(30)]
    assert statuses.count(200) == 12
    assert set(statuses[12:]) == {429}


def raw_exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (framing a client library would not write); status, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_a_chunked_body_arrives_whole(served):
    body = b"query=ASK+%7B%7D"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n%s\r\n0\r\n\r\n"
        % (len(body), body)
    )
    assert raw_exchange(served, request) == (200, b'{"head": {}, "boolean": true}')


@pytest.mark.parametrize(
    "host",
    [b"a" * 64, b"a" * 64 + b".example.org", b"x..y", b"[::1", b"x:abc", b"\xff\xfe", b"a b"],
)
def test_a_bad_host_is_a_json_400(served, host):
    for path in (b"/sparql?query=ASK%7B%7D", b"/"):
        request = b"GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, host)
        status, body = raw_exchange(served, request)
        assert status == 400
        assert json.loads(body)["error"] in ("bad_host", "bad_request")


def test_good_hosts_are_served(served):
    for host in (b"localhost", b"127.0.0.1:%d" % served, b"[::1]:80", b"a" * 63 + b".lv"):
        request = b"GET /sparql?query=ASK%%7B%%7D HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
        assert raw_exchange(served, request % host)[0] == 200


def test_serving_on_a_busy_port_fails_clearly(served, built):
    """A port held by another kg serve, or by any other program: exit 2, saying which."""
    out = next(p for p in built.release.parents if (p / "dist").resolve() == built.release)

    def serve(port: int) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--out", str(out)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    ours = serve(served)
    assert ours.returncode == 2
    assert f"Cannot listen on 127.0.0.1:{served}: another kg serve holds" in ours.stderr
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        theirs = serve(port)
    assert theirs.returncode == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in theirs.stderr
    assert "Address already in use" in theirs.stderr


@pytest.mark.parametrize(
    "framing",
    [
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\nquery=ASK+%7B%7D\r\n0\r\n\r\n",
        b"Transfer-Encoding: chunked\r\n\r\n-5\r\nquery\r\n0\r\n\r\n",
        b"Content-Length: 99999999999999999999\r\n\r\nquery=ASK",
        b"Content-Length: abc\r\n\r\nquery=ASK",
    ],
)
def test_malformed_framing_is_a_4xx_never_a_500(served, framing):
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n" + framing
    )
    status, body = raw_exchange(served, request)
    assert 400 <= status < 500
    if body:  # granian refuses some framings itself, with an empty body
        assert json.loads(body)["error"] in ("bad_request", "malformed_query", "missing_query")


def test_a_killed_server_process_is_replaced(built):
    """kill -9 of one of the two server processes: kg serve goes on, a new process takes
    its place, and every request after that is answered."""
    with kg_serve(built, 2, KG_SPARQL_RATE="1000", KG_SPARQL_BURST="1000") as port:
        main = SERVERS[port]
        before = server_processes(main)
        assert len(before) == 2
        os.kill(min(before), signal.SIGKILL)
        deadline = time.monotonic() + 60
        while len(server_processes(main) - before) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        after = server_processes(main)
        assert len(after) == 2 and min(before) not in after
        wait_for(f"http://127.0.0.1:{port}/", seconds=60)
        statuses = [fetch(port, f"/sparql?query=ASK%7B%7D%23{n}")[0] for n in range(20)]
        assert statuses == [200] * 20


def server_processes(main: int) -> set[int]:
    """kg serve's server processes: its children but the query zygote (sandboxed) and
    multiprocessing's resource tracker (which started the zygote)."""
    return {
        pid
        for pid in children(main)
        if not sandboxed(pid) and b"resource_tracker" not in _command(pid)
    }


def _command(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def test_server_processes_share_one_zygote_and_its_store(built):
    """Two server processes, one copy of the store: a single zygote, a child of kg serve
    itself, forks every query worker of both (each process's own zygote held a copy of
    its own: at a million facts, 680 MB each; issue 23)."""
    with kg_serve(built, 2, KG_SPARQL_WORKERS="2") as port:
        main = SERVERS[port]
        assert fetch(port, "/sparql?query=ASK%7B%7D")[0] == 200
        in_sandbox = {pid for pid in descendants(main) if sandboxed(pid)}
        zygotes = {pid for pid in in_sandbox if parent(pid) not in in_sandbox}
        assert len(zygotes) == 1
        (zygote,) = zygotes
        assert parent(zygote) == main
        workers = in_sandbox - zygotes
        assert {parent(pid) for pid in workers} == {zygote}
        assert len(workers) >= 4  # two kept ready by each of the two server processes
        assert len(server_processes(main)) == 2
        statuses = [fetch(port, f"/sparql?query=ASK%7B%7D%23{n}")[0] for n in range(10)]
        assert statuses == [200] * 10


def test_two_servers_started_at_once_do_not_share_the_port(built):
    out = next(p for p in built.release.parents if (p / "dist").resolve() == built.release)
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--out", str(out)]
    processes = [
        subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        wait_for(f"http://127.0.0.1:{port}/", seconds=60)
        refused = [p for p in processes if p.poll() is not None]
        deadline = time.monotonic() + 30
        while not refused and time.monotonic() < deadline:
            time.sleep(0.1)
            refused = [p for p in processes if p.poll() is not None]
        assert len(refused) == 1 and refused[0].returncode == 2
        assert f"Cannot listen on 127.0.0.1:{port}" in refused[0].stderr.read()
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(20)
            process.stderr.close()


def test_two_thousand_slow_connections_do_not_starve_the_server(built):
    """2,000 connections that send half their headers and wait: every other client is
    still answered (granian's default took 512 connections a process, then let the rest
    wait in the kernel's queue while the header timeout ran)."""
    with kg_serve(built, 2, KG_READ_TIMEOUT="60") as port:
        slow = []
        try:
            for _ in range(2000):
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
                connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                slow.append(connection)
            statuses = []
            for n in range(10):
                try:
                    statuses.append(fetch(port, f"/sparql?query=ASK%7B%7D%23{n}")[0])
                except OSError:  # timed out: starved
                    statuses.append(0)
            assert statuses == [200] * 10
        finally:
            for connection in slow:
                connection.close()


def test_a_row_cap_too_large_is_refused_with_its_reason(built, tmp_path):
    """KG_SPARQL_MAX_ROWS=1000000 used to pass, and the first query on a remote store
    ended in a traceback (the cap's probe asked the server for a million rows)."""
    from tests.conftest import run_kg
    from web import create_app

    out = next(p for p in built.release.parents if (p / "dist").resolve() == built.release)
    result = run_kg("serve", "--out", str(out), env={"KG_SPARQL_MAX_ROWS": "1000000"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "KG_SPARQL_MAX_ROWS may be at most 100000" in result.stderr
    with pytest.raises(ValueError, match="at most 100000"):
        create_app({"RELEASE": str(built.release), "SPARQL_MAX_ROWS": 1_000_000})
