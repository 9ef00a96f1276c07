"""The per-client limits of web.limits, kept in Redis: one budget per client address for
every process on every machine (``KG_LIMITS_REDIS``).

The same buckets as web.limits.Clients (queries, query time, queries in flight, a recent
load), updated by one Lua script per step, so that each step is atomic in Redis; the clock
is Redis's own (``TIME``), so that machines need not agree on theirs. A client's entry
expires a day after its last query.
"""

from __future__ import annotations

from typing import Any

from web.limits import HEAVY_S
from web.limits import LOAD_S
from web.limits import Entered
from web.limits import TimeBudget
from web.limits import limited
from web.limits import wait_seconds

PREFIX = "kg:limits:"
TTL_S = 86_400

_READ = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = redis.call('HMGET', KEYS[1], 'tokens', 'refilled', 'since', 'seconds', 'load', 'running')
local tokens, refilled, since = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
local seconds, load, running = tonumber(h[4]), tonumber(h[5]), tonumber(h[6])
"""

ENTER = (
    _READ
    + """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local concurrent, stale = tonumber(ARGV[3]), tonumber(ARGV[4])
local time_rate, time_burst, load_s = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
if tokens == nil then
  tokens, refilled, since, seconds, load, running = burst, now, 0, time_burst, 0, 0
end
local elapsed = math.max(0, now - refilled)
tokens = math.min(burst, tokens + elapsed * rate)
seconds = math.min(time_burst, seconds + elapsed * time_rate)
load = load * math.exp(-elapsed / load_s)
if running > 0 and now - since > stale then running = 0 end
local admitted = not (tokens < 1 or seconds <= 0 or running >= concurrent)
if admitted then
  redis.call('HSET', KEYS[1], 'tokens', tokens - 1, 'refilled', now, 'since', now,
             'seconds', seconds, 'load', load, 'running', running + 1)
else
  redis.call('HSET', KEYS[1], 'tokens', tokens, 'refilled', now, 'since', since,
             'seconds', seconds, 'load', load, 'running', running)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[8]))
return {admitted and 1 or 0, tostring(tokens), tostring(seconds), running, tostring(load)}
"""
)

LEAVE = (
    _READ
    + """
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 'seconds', seconds - tonumber(ARGV[1]),
           'load', load + tonumber(ARGV[1]), 'running', math.max(0, running - 1))
return 1
"""
)


class RedisClients:
    """web.limits.Clients, with Redis holding the table."""

    def __init__(
        self,
        url: str,
        rate: float,
        burst: float,
        concurrent: int,
        stale_s: float,
        time_budget: TimeBudget | None = None,
    ):
        import redis  # only where Redis is configured

        self.rate, self.burst, self.concurrent, self.stale_s = rate, burst, concurrent, stale_s
        self.time = time_budget or TimeBudget()
        self.redis: Any = redis.Redis.from_url(url, socket_timeout=5)
        self._enter = self.redis.register_script(ENTER)
        self._leave = self.redis.register_script(LEAVE)

    def enter(self, client: str) -> Entered:
        """As web.limits.Clients.enter: count a query in, or raise 429 with the wait."""
        args = [self.rate, self.burst, self.concurrent, self.stale_s]
        args += [self.time.rate, self.time.burst, LOAD_S, TTL_S]
        admitted, tokens, seconds, running, load = self._enter(keys=[PREFIX + client], args=args)
        tokens, seconds, load = float(tokens), float(seconds), float(load)
        if not admitted:
            raise limited(wait_seconds(tokens, seconds, self.rate, self.time.rate), seconds <= 0)
        return Entered(load > HEAVY_S, int(running), load, client)

    def leave(self, client: str, spent_s: float = 0.0) -> None:
        self._leave(keys=[PREFIX + client], args=[spent_s])

    def in_flight(self, client: str) -> int:
        running = self.redis.hget(PREFIX + client, "running")
        return int(float(running)) if running is not None else 0
