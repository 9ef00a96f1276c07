"""S2 for the web process: hostile requests open no file outside the allow-list.

A recording audit hook (hostile-inputs.md, "S2 no file access") notes every path this
process opens or lists while a hostile request is answered; the query workers, separate
processes, refuse file access outright (test_sparql_hostile.test_s2_...). Allowed: Python's
own files, the project's code and templates, and the published release.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import urllib.parse
from collections.abc import Iterator

import pytest

from kg.config import ROOT

RECORDING = threading.Event()
OPENED: list[str] = []
EVENTS = ("open", "os.listdir", "os.scandir", "shutil.copyfile", "os.rename", "os.remove")


def _record(event: str, args: tuple) -> None:
    if RECORDING.is_set() and event in EVENTS and args and not isinstance(args[0], int):
        OPENED.append(os.path.realpath(os.fsdecode(args[0])) if args[0] is not None else "")


sys.addaudithook(_record)  # an audit hook cannot be removed; it records only when asked


@contextlib.contextmanager
def recording() -> Iterator[list[str]]:
    """The paths opened or listed inside the block."""
    OPENED.clear()
    RECORDING.set()
    try:
        yield OPENED
    finally:
        RECORDING.clear()


HOSTILE = [
    ("GET", {"query": "ASK {}", "default-graph-uri": "file:///etc/passwd"}, None),
    ("GET", {"query": "ASK {}", "named-graph-uri": "file:///etc/passwd"}, None),
    ("GET", {"query": "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}, None),
    ("GET", {"query": "SELECT * FROM NAMED <file:///etc/hosts> { GRAPH ?g { ?s ?p ?o } }"}, None),
    ("GET", {"query": "BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }"}, None),
    ("GET", {"query": "SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"}, None),
    ("GET", {"query": "LOAD <file:///etc/passwd>"}, None),
    ("POST", {"update": "LOAD <file:///etc/passwd>"}, None),
    ("POST", None, ("application/sparql-update", "LOAD <file:///etc/passwd>")),
    ("GET", {"query": "SELECT * { ?s ?p ?o FILTER(?o = <file:///etc/passwd>) } LIMIT 1"}, None),
    ("GET", {"query": "DESCRIBE <file:///etc/shadow>"}, None),
]


def _allowed(built) -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(ROOT), str(built.release)}
    return tuple(os.path.realpath(p) + os.sep for p in roots)


@pytest.mark.parametrize(("method", "params", "raw"), HOSTILE)
def test_s2_hostile_requests_open_no_file(sparql, built, method, params, raw):
    sparql.get("/sparql?query=ASK%7B%7D")  # the pool and its workers start before recording
    with recording() as opened:
        if method == "GET":
            response = sparql.get("/sparql?" + urllib.parse.urlencode(params))
        elif raw:
            response = sparql.post("/sparql", data=raw[1], content_type=raw[0])
        else:
            response = sparql.post("/sparql", data=params)
    assert response.status_code < 500
    allowed = _allowed(built)
    outside = [path for path in opened if not path.startswith(allowed)]
    assert outside == []
    assert not any("passwd" in path or "shadow" in path for path in opened)


def test_s2_the_recorder_sees_opens():
    """The hook records: without it the test above would pass vacuously."""
    with recording() as opened, open(os.devnull, "rb"):
        pass
    assert opened == [os.path.realpath(os.devnull)]


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/..%2F..%2F..%2Fetc%2Fpasswd",
        "/dumps/%2Fetc%2Fpasswd",
        "/static/..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%2Fetc/passwd",
        "/id/..%2F..%2Fetc%2Fpasswd",
        "/def/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_s2_traversal_opens_no_file(client, built, path):
    with recording() as opened:
        response = client.get(path, follow_redirects=True)  # // is merged by a 308 first
    assert response.status_code == 404
    allowed = _allowed(built)
    assert [p for p in opened if not p.startswith(allowed)] == []
