"""Fixtures for the browser: the app on the embedded store and on a real Oxigraph server."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from kg.load import load
from web import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed")
    return found


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def oxigraph_serving(release: Path):
    """An in-memory Oxigraph server on 127.0.0.1, loaded with ``release`` through GSP;
    yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D")
        load(release, f"{base}/store")
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def oxigraph_server(built):
    with oxigraph_serving(built.release) as base:
        yield base


@pytest.fixture(scope="session", params=["local", "remote"])
def app(request, built):
    settings = {"TESTING": True, "RELEASE": str(built.release)}
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        settings["SPARQL_ENDPOINT"] = f"{server}/query"
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium (Debian's), with a fresh profile, for the module."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_page_load_timeout(30)
    yield session
    session.quit()
    shutil.rmtree(profile, ignore_errors=True)


def close_app(app) -> None:
    """Stop an app's query workers, if it started them (a remote backend starts them at
    the first query through /sparql)."""
    from web.query_service import close_pools

    close_pools(app)
