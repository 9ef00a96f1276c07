"""The deployment of deploy/, brought up on loopback addresses: nginx in front of two
browsers over a read-only Oxigraph store, one Redis; the pages through it are the embedded
store's, and a release switch under load gives every reader one release per answer, and
the new one only once it is done."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.build.pipeline import build
from kg.config import ROOT
from kg.config import Config
from tests.conftest import FIXTURE_DATA
from tests.nginx import start_nginx
from tests.page_text import visible_text
from tests.processes import await_state
from tests.redis_server import fresh_redis  # noqa: F401
from tests.redis_server import redis_url  # noqa: F401
from tests.web_fixtures import free_port
from tests.web_fixtures import wait_for
from web import create_app

PAGES = ["/", "/plans", "/plan", "/dashboard", "/sources", "/catalog", "/def", "/about"]
LIMITS = {"KG_SPARQL_RATE": "1000", "KG_SPARQL_BURST": "1000"}  # one reader, many queries
NEW_FACT = "ASK { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> 'New period'@en }"


def _fleet():
    spec = importlib.util.spec_from_file_location("fleet", ROOT / "deploy" / "fleet.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fleet"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _get(port: int, path: str, **headers: str) -> tuple[int, str, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read().decode("utf-8")
            return response.status, response.headers.get("KG-Release", ""), body
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("KG-Release", ""), ""


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two releases of the fixture's tables: the second has one period more."""
    folder = tmp_path_factory.mktemp("releases")
    data = folder / "data"
    shutil.copytree(FIXTURE_DATA, data)
    first = build(Config(out=folder / "out", data=data)).release
    kept = folder / "kept" / first.name  # a build keeps old releases, but prunes some
    shutil.copytree(first, kept)
    with (data / "periods.csv").open("a", encoding="utf-8") as handle:
        handle.write("p-new,Jauns periods,New period,2031,2032\n")
    second = build(Config(out=folder / "out", data=data)).release
    return folder / "out", kept, second


def _nginx(fleet, side, conf, listen: int) -> subprocess.Popen:
    """nginx with deploy/nginx.conf in front of ``side``, on ``listen``."""
    fleet.point_nginx(conf, side, listen, None)
    nginx = start_nginx(f"include {conf};", conf.parent)
    wait_for(f"http://127.0.0.1:{listen}/", seconds=60)
    return nginx


def _site(tmp_path):
    conf = tmp_path / "nginx" / "site.conf"
    (tmp_path / "nginx" / "cache").mkdir(parents=True)
    return tmp_path / "stores", free_port(), conf


def test_one_client_through_nginx_to_three_browsers_has_one_budget(
    releases,
    fresh_redis,  # noqa: F811
    tmp_path,
):
    """Three browsers behind nginx, one Redis: a client gets the 429s one browser would
    give (12 of 30 answered), wherever nginx sends each request."""
    fleet = _fleet()
    out, first, _ = releases
    stores, listen, conf = _site(tmp_path)
    limits = {"KG_SPARQL_RATE": "0.01", "KG_SPARQL_BURST": "12"}
    side = fleet.start_side(first, stores, 3, fresh_redis, out, limits)
    nginx = None
    try:
        nginx = _nginx(fleet, side, conf, listen)
        asked = [
            _get(listen, "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{}} # {n}"}))[0]
            for n in range(30)  # each query its own: none answered from nginx's cache
        ]
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        side.stop()
    assert asked.count(200) == 12 and set(asked[12:]) == {429}


def test_the_deployment_serves_the_pages_and_switches_release_under_load(
    releases,
    fresh_redis,  # noqa: F811
    tmp_path,
):
    fleet = _fleet()
    out, first, second = releases
    stores, listen, conf = _site(tmp_path)
    side = fleet.start_side(first, stores, 2, fresh_redis, out, LIMITS)
    nginx = None
    try:
        nginx = _nginx(fleet, side, conf, listen)

        # the page diff: through nginx and the Oxigraph store, the embedded store's pages
        embedded = create_app({"TESTING": True, "RELEASE": str(first)})
        try:
            client = embedded.test_client()
            for path in PAGES:
                status, release, body = _get(listen, f"{path}?lang=en", Accept="text/html")
                assert status == 200 and release == first.name, path
                expected = client.get(f"{path}?lang=en").get_data(as_text=True)
                assert visible_text(body) == visible_text(expected), path
        finally:
            embedded.extensions["kg"]["pool"].close()

        # the switch, while a reader keeps asking
        seen: list[tuple[int, str, str]] = []
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                status, release, body = _get(
                    listen,
                    "/sparql?" + urllib.parse.urlencode({"query": NEW_FACT}),
                    Accept="application/sparql-results+json",
                )
                seen.append((status, release, body))

        reader = threading.Thread(target=read)
        reader.start()
        try:
            side = fleet.switch(
                side, second, stores, fresh_redis, out, conf, listen, nginx.pid, LIMITS
            )
            after = len(seen)
            await_state(lambda: len(seen) >= after + 5, "the reader got no answer after")
        finally:
            stop.set()
            reader.join()
        assert [s for s, _, _ in seen] == [200] * len(seen)
        releases_seen = [release for _, release, _ in seen]
        assert first.name in releases_seen[:after]  # the old side answered while switching
        for _, release, body in seen:  # each answer is wholly one release's
            assert release in (first.name, second.name)
            assert ('"boolean":true' in body.replace(" ", "")) == (release == second.name)
        assert set(releases_seen[after:]) == {second.name}
        assert not (stores / first.name).exists()  # the old release's graphs are gone
        for path in PAGES:
            status, release, _ = _get(listen, f"{path}?lang=en", Accept="text/html")
            assert status == 200 and release == second.name, path  # the cache too
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        side.stop()
