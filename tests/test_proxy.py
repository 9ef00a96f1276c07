"""`kg serve` behind Debian's nginx, configured by the recipe in docs/security.md: each
client keeps a budget of its own, and one that forges X-Forwarded-For takes nobody's."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import os
import re
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from kg.config import ROOT
from tests.test_serve import kg_serve
from tests.test_static_export import _nginx
from tests.web_fixtures import free_port
from tests.web_fixtures import wait_for

RUNAWAY = "SELECT (COUNT(*) AS ?c) { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def recipe() -> str:
    """The nginx server block of docs/security.md, as the operator copies it."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Behind a reverse proxy", 1)[1]
    return re.search(r"```nginx\n(.*?)```", section, re.DOTALL).group(1)


@contextlib.contextmanager
def nginx_in_front(kg_port: int, folder: Path):
    port = free_port()
    block = recipe().replace("127.0.0.1:5000", f"127.0.0.1:{kg_port}")
    block = block.replace("listen 127.0.0.1:8080", f"listen 127.0.0.1:{port}")
    temp = folder / "tmp"
    temp.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        + "events { worker_connections 4096; }\n"
        + f"http {{ access_log off; client_body_temp_path {temp}/body; "
        + f"proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fcgi; "
        + f"uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;\n{block}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([_nginx(), "-c", str(conf)], stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/", seconds=30)
        yield port
    finally:
        process.terminate()
        process.wait(10)


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
        with concurrent.futures.ThreadPoolExecutor(2) as executor:
            runaway = [
                executor.submit(post, port, RUNAWAY + f" # {n}", "127.0.3.1", "127.0.4.1")
                for n in range(2)
            ]
            time.sleep(0.5)
            others = [post(port, "ASK {}", f"127.0.4.{n + 1}") for n in range(20)]
            assert [f.result() for f in runaway] == [503, 503]
    assert others == ([200] * 20 if trusted else [429] * 20)
