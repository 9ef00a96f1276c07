"""`kg serve` behind Debian's nginx, configured by the recipe in docs/security.md: each
client keeps a budget of its own, and one that forges X-Forwarded-For takes nobody's."""

from __future__ import annotations

import concurrent.futures
import http.client
import urllib.parse

import pytest

from tests.nginx import nginx_in_front
from tests.processes import await_state
from tests.processes import cpu_seconds
from tests.processes import descendants
from tests.test_serve import SERVERS
from tests.test_serve import kg_serve

RUNAWAY = "SELECT (COUNT(*) AS ?c) { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def post(port: int, query: str, source: str, forged: str | None = None) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"}
    if forged:
        headers["X-Forwarded-For"] = forged
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        body = urllib.parse.urlencode({"query": query})
        connection.request("POST", "/sparql", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize("trusted", [True, False])
def test_each_client_behind_nginx_has_its_own_budget(built, tmp_path, trusted):
    """One client keeps its two runaway queries in flight through nginx, forging the
    address of another; twenty other clients are all answered. Without the proxy
    trusted, they all share the proxy's budget and get 429, as they did."""
    settings = {"KG_SPARQL_TIMEOUT": "3", "KG_SPARQL_PER_CLIENT": "2"}
    settings |= {"KG_SPARQL_RATE": "1000", "KG_SPARQL_BURST": "1000"}
    if trusted:
        settings["KG_TRUSTED_PROXIES"] = "127.0.0.1"
    with kg_serve(built, 1, **settings) as kg_port, nginx_in_front(kg_port, tmp_path) as port:
        server = SERVERS[kg_port]
        idle = {pid: cpu_seconds(pid) for pid in descendants(server)}
        with concurrent.futures.ThreadPoolExecutor(2) as executor:
            runaway = [
                executor.submit(post, port, RUNAWAY + f" # {n}", "127.0.3.1", "127.0.4.1")
                for n in range(2)
            ]
            # a state, not a sleep: two query workers are running the runaways
            await_state(lambda: _running(server, idle) >= 2, "the runaway queries never started")
            others = [post(port, "ASK {}", f"127.0.4.{n + 1}") for n in range(20)]
            assert [f.result() for f in runaway] == [503, 503]
    assert others == ([200] * 20 if trusted else [429] * 20)


def _running(server: int, idle: dict[int, float]) -> int:
    """Processes below the server that spent CPU on a query since ``idle`` was read: a
    worker forked since then counts once it has run for a moment."""
    return sum(cpu_seconds(pid) - idle.get(pid, 0.0) > 0.2 for pid in descendants(server))
