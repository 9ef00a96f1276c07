"""Per-client limits kept in Redis: one budget for every process on every machine."""

from __future__ import annotations

import pytest

from kg.endpoint.errors import EndpointError
from tests.redis_server import fresh_redis  # noqa: F401
from tests.redis_server import redis_url  # noqa: F401
from tests.test_serve import fetch
from tests.test_serve import kg_serve
from web.limits import TimeBudget
from web.limits_redis import RedisClients


def _clients(url: str, **limits) -> RedisClients:
    settings = {"rate": 0.001, "burst": 3, "concurrent": 2, "stale_s": 60.0} | limits
    return RedisClients(url, time_budget=TimeBudget(rate=1, burst=60), **settings)


def test_two_machines_spend_one_burst(redis_url):  # noqa: F811
    """Two processes (as on two machines) share the client's tokens and its count in
    flight; another client has budgets of its own."""
    one, two = _clients(redis_url), _clients(redis_url)
    client = "10.0.0.1-burst"
    one.enter(client)
    two.leave(client)
    two.enter(client)
    one.leave(client)
    one.enter(client)
    one.leave(client)
    with pytest.raises(EndpointError) as refused:
        two.enter(client)  # the burst of 3 is spent, whichever process asks
    assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) >= 1
    assert one.enter("10.0.0.2-burst").in_flight == 0  # another client, another budget


def test_queries_in_flight_are_counted_across_processes(redis_url):  # noqa: F811
    one, two = _clients(redis_url, burst=100), _clients(redis_url, burst=100)
    client = "10.0.0.3-flight"
    one.enter(client)
    assert two.enter(client).in_flight == 1
    assert one.in_flight(client) == 2
    with pytest.raises(EndpointError):
        two.enter(client)  # two in flight already, counted across both
    one.leave(client)
    two.enter(client)
    assert two.in_flight(client) == 2


def test_query_time_spent_in_one_process_is_spent_in_all(redis_url):  # noqa: F811
    one = _clients(redis_url, burst=100, concurrent=10)
    two = _clients(redis_url, burst=100, concurrent=10)
    client = "10.0.0.4-time"
    one.enter(client)
    one.leave(client, spent_s=61.0)  # more than the 60 s it may spend at once
    with pytest.raises(EndpointError) as refused:
        two.enter(client)
    assert "query time" in refused.value.message


def test_two_servers_one_budget(built, fresh_redis):  # noqa: F811
    """Two `kg serve` instances (as behind a load balancer) over one Redis: a client that
    alternates between them gets the 429s one server would give."""
    limits = {"KG_SPARQL_RATE": "0.01", "KG_SPARQL_BURST": "12", "KG_LIMITS_REDIS": fresh_redis}
    with kg_serve(built, 1, **limits) as first, kg_serve(built, 1, **limits) as second:
        ports = [first, second]
        statuses = [fetch(ports[n % 2], "/sparql?query=ASK%7B%7D")[0] for n in range(30)]
    assert statuses.count(200) == 12
    assert set(statuses[12:]) == {429}
