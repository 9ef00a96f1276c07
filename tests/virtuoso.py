"""A real Virtuoso server on 127.0.0.1 for the remote-backend tests, loaded with the build.

Virtuoso has what the other servers here lack: system graphs of its own, built-in ``bif:``
functions that SPARQL can call, and a row cap (ResultSetMaxRows) that cuts answers. It
starts with a config of our own (bound to loopback, its files in a temporary folder) and
is loaded with its bulk loader, as docs/endpoint.md tells operators to do.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.load import load
from tests.web_fixtures import free_port

UNION = "https://w3id.org/lvpolicy/graph/union"  # where the load file's default graph goes
SERVER_ROW_CAP = 50  # ResultSetMaxRows: small, so that a test can go past it
# MaxQueryExecutionTime is wall-clock: at 10 s, a busy CI machine once had Virtuoso end a
# tiny query with "SR171: Transaction timed out". The tests hold no query that needs the
# cap (the endpoint's own limits are tested on the app), so it is far past any of theirs.
INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = {cap}
MaxQueryExecutionTime = 300
"""


def binaries() -> tuple[str, str]:
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not client:
        pytest.fail("Virtuoso is needed (Debian's virtuoso-opensource-7-bin: virtuoso-t, isql-vt)")
    return server, client


@contextlib.contextmanager
def virtuoso_serving(release: Path, folder: Path, cap: int = SERVER_ROW_CAP):
    """A Virtuoso server on 127.0.0.1 holding ``release``, loaded as docs/endpoint.md says:
    ``kg load`` through its authenticated Graph Store endpoint, the named graphs and the
    union in the graph UNION; yields its SPARQL endpoint URL. Its default graph is the union
    of all its graphs, system graphs too: a client pins the dataset with
    KG_SPARQL_DEFAULT_GRAPH=UNION (kg.backends.remote)."""
    server, _ = binaries()
    isql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, isql=isql, http=http, cap=cap))
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait(endpoint, process)
        store = f"http://127.0.0.1:{http}/sparql-graph-crud-auth"
        load(release, store, union_graph=UNION, user="dba", password="dba")
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def virtuoso_server(built, tmp_path_factory):
    """The SPARQL endpoint URL of a Virtuoso server holding the code tests' release."""
    with virtuoso_serving(built.release, tmp_path_factory.mktemp("virtuoso")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def roomy_virtuoso(built, tmp_path_factory):
    """Virtuoso holding the code tests' release with a row cap no page reaches (the
    session's other one cuts at 50, to test the cap)."""
    with virtuoso_serving(built.release, tmp_path_factory.mktemp("vt-roomy"), 10_000) as url:
        yield url


def _wait(endpoint: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Virtuoso did not start") from None
            time.sleep(0.3)
