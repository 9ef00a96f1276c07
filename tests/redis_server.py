"""A real Redis server on 127.0.0.1 (Debian's redis-server), for the shared limits."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.web_fixtures import free_port


@contextlib.contextmanager
def redis_serving(folder: Path):
    """Yield the URL of a fresh Redis server that keeps nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("Redis is needed (Debian's redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for the state: it answers PING
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    with redis_serving(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def fresh_redis(redis_url):
    """The session's Redis, emptied: a test's client (127.0.0.1) starts with a full budget,
    whatever the tests before it spent."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url
