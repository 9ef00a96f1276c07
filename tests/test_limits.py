"""Per-client limits (web/limits.py): one budget per client address, shared through a file."""

from __future__ import annotations

import time

import pytest

from kg.endpoint.errors import EndpointError
from web.limits import Clients


def test_burst_then_429_with_retry_after():
    clients = Clients(rate=0.5, burst=3, concurrent=10, stale_s=10)
    for _ in range(3):
        clients.enter("1.2.3.4")
        clients.leave("1.2.3.4")
    with pytest.raises(EndpointError) as refused:
        clients.enter("1.2.3.4")
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "2"  # one token at 0.5 per second
    clients.enter("5.6.7.8")  # another address has its own budget


def test_two_tables_on_one_file_share_the_budget(tmp_path):
    path = str(tmp_path / "limits")
    one, two = (Clients(0.01, 3, 2, stale_s=10, path=path) for _ in range(2))
    one.enter("10.0.0.1")
    two.enter("10.0.0.1")
    with pytest.raises(EndpointError):  # two in flight already, counted across both
        one.enter("10.0.0.1")
    two.leave("10.0.0.1")
    one.enter("10.0.0.1")  # the third token
    with pytest.raises(EndpointError):  # the burst is spent, whichever table asks
        two.enter("10.0.0.1")


def test_a_count_left_by_a_dead_process_goes_stale(tmp_path):
    path = str(tmp_path / "limits")
    dead = Clients(100, 100, 1, stale_s=0.2, path=path)
    dead.enter("10.0.0.2")  # never leaves
    alive = Clients(100, 100, 1, stale_s=0.2, path=path)
    with pytest.raises(EndpointError):
        alive.enter("10.0.0.2")
    time.sleep(0.3)
    alive.enter("10.0.0.2")
