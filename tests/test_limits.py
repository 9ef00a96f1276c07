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


def test_query_time_is_a_budget_of_its_own():
    """A client that spent its seconds of query time waits, whatever its query count."""
    from web.limits import TimeBudget

    # a stopped clock: nothing refills between the steps, however busy the machine
    clients = Clients(
        100, 100, 10, stale_s=10, time_budget=TimeBudget(rate=0.5, burst=3), clock=lambda: 1000.0
    )
    assert clients.enter("10.0.0.1").heavy is False  # light: nothing spent yet
    clients.leave("10.0.0.1", spent_s=2.5)
    assert clients.enter("10.0.0.1").heavy is True  # heavy: 2.5 s spent just now
    clients.leave("10.0.0.1", spent_s=2.0)
    with pytest.raises(EndpointError) as refused:
        clients.enter("10.0.0.1")
    assert refused.value.status == 429 and "query time" in refused.value.message
    assert int(refused.value.headers["Retry-After"]) >= 3  # 1.5 s owed at 0.5 s a second
    assert clients.enter("10.0.0.2").heavy is False  # another address: its own seconds


def test_heavy_clients_never_take_the_reserved_places():
    import threading

    from web.admission import Admission
    from web.limits import Entered

    admission = Admission(places=3, reserve=1)
    release = threading.Event()
    holding = []
    heavy = Entered(heavy=True, in_flight=1)

    def hold() -> None:
        with admission.place(heavy, time.monotonic() + 30):
            holding.append(True)
            release.wait(30)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    while len(holding) < 2:
        time.sleep(0.01)
    with pytest.raises(EndpointError) as busy:  # a third heavy query: no place, at once
        with admission.place(heavy, time.monotonic() + 30):
            pass
    assert busy.value.status == 503 and busy.value.code == "busy"
    with admission.place(Entered(False, 0), time.monotonic() + 30):  # light: the reserve
        assert admission.running == 3
    release.set()
    for thread in threads:
        thread.join()
    assert admission.running == 0 and admission.heavy == 0


def test_a_new_client_gets_the_next_place_before_a_busy_one():
    """Places full; a client with two queries in flight waits, then a new client comes:
    the place that frees goes to the new client."""
    import threading

    from web.admission import Admission
    from web.limits import Entered

    flights = {"busy": 2, "new": 1, "holder": 1}
    admission = Admission(places=1, reserve=0, in_flight=flights.__getitem__)
    free, order = threading.Event(), []

    def hold() -> None:
        with admission.place(Entered(False, 0, client="holder"), time.monotonic() + 30):
            free.wait(30)

    def ask(name: str, in_flight: int) -> None:
        entered = Entered(False, in_flight, client=name.split()[0])
        with admission.place(entered, time.monotonic() + 30):
            order.append(name)

    holder = threading.Thread(target=hold)
    holder.start()
    while admission.running < 1:
        time.sleep(0.01)
    busy = threading.Thread(target=ask, args=("busy client", 2))
    busy.start()
    while len(admission.waiting) < 1:
        time.sleep(0.01)
    new = threading.Thread(target=ask, args=("new client", 0))
    new.start()
    while len(admission.waiting) < 2:
        time.sleep(0.01)
    free.set()
    for thread in (holder, busy, new):
        thread.join()
    assert order == ["new client", "busy client"]
