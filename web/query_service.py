"""The query service: admit a client, then check and run its query in a worker, all within
the time limit. /sparql, the workbench and the ASGI front (which starts the workers with
each server process) use it; it holds the endpoint's settings, workers, per-client limits
and remembered answers, once per app."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from flask import current_app
from flask import request
from werkzeug.exceptions import TooManyRequests

from kg.config import setting
from kg.endpoint.cache import AnswerCache
from kg.endpoint.errors import EndpointError
from kg.endpoint.executor import Job
from kg.endpoint.executor import Planned
from kg.endpoint.executor import Remote
from kg.endpoint.executor import Reply
from kg.endpoint.guard import Limits
from kg.endpoint.guard import check_size
from kg.endpoint.results import DEFAULT_TYPE
from kg.endpoint.results import GRAPH_ORDER
from kg.endpoint.results import offered
from kg.endpoint.workers import ExecLimits
from kg.endpoint.workers import Pool
from kg.endpoint.workers import Source
from kg.formats import RDF_BY_SUFFIX
from kg.formats import RESULT_FORMATS
from web.admission import Admission
from web.conneg import negotiate
from web.limits import Clients
from web.limits import TimeBudget
from web.limits_redis import RedisClients

_lock = threading.Lock()


ENDPOINT_SETTINGS = {
    "max_query_bytes": "KG_SPARQL_MAX_QUERY_BYTES",
    "max_body_bytes": "KG_SPARQL_MAX_BODY_BYTES",
    "timeout_s": "KG_SPARQL_TIMEOUT",
    "memory_mb": "KG_SPARQL_MEMORY_MB",
    "max_rows": "KG_SPARQL_MAX_ROWS",
    "max_answer_mb": "KG_SPARQL_MAX_ANSWER_MB",
    "workers": "KG_SPARQL_WORKERS",
    "max_workers": "KG_SPARQL_MAX_WORKERS",
    "per_client": "KG_SPARQL_PER_CLIENT",
    "rate": "KG_SPARQL_RATE",
    "burst": "KG_SPARQL_BURST",
    "time_rate": "KG_SPARQL_TIME_RATE",
    "time_burst": "KG_SPARQL_TIME_BURST",
    "reserve": "KG_SPARQL_RESERVE",
    "cache_mb": "KG_SPARQL_CACHE_MB",
    "cache_s": "KG_SPARQL_CACHE_SECONDS",
}


def settings(app: Flask | None = None) -> dict:
    """The endpoint's limits, read from the app's config once per app (kg.config)."""
    app = app or current_app
    state = app.extensions["kg"]
    if "settings" not in state:
        config = app.config
        state["settings"] = {key: setting(name, config) for key, name in ENDPOINT_SETTINGS.items()}
    return state["settings"]


def pool() -> Pool:
    """The query workers and what goes with them; "pool" is stored last, so a request
    that finds it finds the rest too and needs no lock."""
    state = _state()
    if "pool" in state:
        return state["pool"]
    return start(current_app)


def start(app: Flask) -> Pool:
    """Start the app's query workers, once: create_app does for an embedded store (the
    pages' queries run in them too), the first query does for a remote server."""
    state = app.extensions["kg"]
    with _lock:
        if "pool" not in state:
            s = settings(app)
            release = str(state["release"])
            # kg serve's shared zygote holds the release it checked, and only that one
            shared = setting("KG_ZYGOTE_SOCKET", app.config)
            if Path(release) != setting("KG_RELEASE_VERIFIED", app.config):
                shared = None
            endpoint = app.config.get("SPARQL_ENDPOINT")
            source = Source(release=release, endpoint=endpoint, shared_zygote=shared)
            limits = ExecLimits(
                s["workers"], max(s["workers"], s["max_workers"]), s["timeout_s"], s["memory_mb"]
            )
            state["graphs"] = state["files"].named_graphs()  # not a server's own graphs
            if source.endpoint:
                state["remote"] = Remote(
                    source.endpoint,
                    s["max_rows"],
                    dataset=state["graphs"],
                    default_graph=app.config.get("SPARQL_DEFAULT_GRAPH"),
                )
            workers = Pool(source, limits, state["graphs"])
            state["clients"] = _clients(app, s)
            in_flight = state["clients"].in_flight
            state["admission"] = Admission(limits.max_workers, s["reserve"], in_flight)
            state["answers"] = AnswerCache(int(s["cache_mb"] * 1024 * 1024), s["cache_s"])
            state["pool"] = workers
        return state["pool"]


def _clients(app: Flask, s: dict) -> Clients | RedisClients:
    """The per-client budgets: in Redis where KG_LIMITS_REDIS names one (every process on
    every machine), else in this server's shared table (KG_LIMITS_FILE) or this process."""
    budget = TimeBudget(s["time_rate"], s["time_burst"])
    url = setting("KG_LIMITS_REDIS", app.config)
    if url:
        return RedisClients(url, s["rate"], s["burst"], s["per_client"], s["timeout_s"] + 5, budget)
    return Clients(
        s["rate"],
        s["burst"],
        s["per_client"],
        stale_s=s["timeout_s"] + 5,
        path=app.config.get("LIMITS_FILE"),
        time_budget=budget,
    )


OLDER_POOLS = 1  # kept releases whose workers are open at once: each holds its own store


def release_pool(release_id: str | None) -> tuple[Pool, str]:
    """The workers that answer from release ``release_id`` (None: the one served) and that
    release's id. A kept release's workers start on its first query and are kept while it
    is among the OLDER_POOLS last asked for; an unknown id is a 400 naming the kept ones."""
    from kg import releases as kept

    current = pool()
    state = _state()
    if "served_id" not in state:  # once: kg.releases.served resolves the path each call
        state["served_id"] = kept.served(state["release"]).id
    served = state["served_id"]
    if release_id is None or release_id == served:
        return current, served
    if "remote" in state:
        raise EndpointError(
            400,
            "release_not_held",
            "This endpoint answers from a SPARQL server holding the current release only; "
            "kg query --release ID runs a query on a kept release.",
        )
    with _lock:
        older = state.setdefault("older_pools", {})
        if release_id in older:  # open already: no look at the build folder
            older[release_id] = older.pop(release_id)  # the most recently asked, last
            return older[release_id], release_id
        found = kept.find(state["release"], release_id)
        if found is None:
            ids = ", ".join(r.id for r in kept.releases(state["release"]))
            raise EndpointError(
                400, "unknown_release", f"No release {release_id[:40]!r}; kept: {ids}."
            )
        s = settings()
        from kg.release import Release

        limits = ExecLimits(1, max(1, min(2, s["max_workers"])), s["timeout_s"], s["memory_mb"])
        older[release_id] = Pool(
            Source(release=str(found.path), endpoint=None),
            limits,
            Release(found.path).named_graphs(),
        )
        while len(older) > OLDER_POOLS:
            oldest = next(iter(older))
            older.pop(oldest).close()
        return older[release_id], release_id


def close_pools(app: Flask) -> None:
    """Stop every query worker the app started: the served release's and kept ones'."""
    state = app.extensions["kg"]
    for older in list(state.get("older_pools", {}).values()):
        older.close()
    if state.get("pool") is not None:
        state["pool"].close()


def graphs() -> frozenset[str]:
    """The release's named graphs: what FROM and the protocol's graph parameters may name."""
    pool()
    return _state()["graphs"]


# `format=` value -> media type: the results formats, then the RDF ones
FORMAT_PARAM = {f.suffix: f.media for f in RESULT_FORMATS}
FORMAT_PARAM.update({s: RDF_BY_SUFFIX[s].media for s in GRAPH_ORDER})


def run_query(
    text: str,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    fmt: str | None = None,
    media: dict[str, str | None] | None = None,
    release: str | None = None,
) -> Reply:
    """Admit the client, then check, negotiate and run one query in a worker, all within
    the time limit; shared by /sparql and the workbench. ``media`` (a type per query
    form) overrides ``format=`` and Accept; ``release`` names a kept release to answer
    from (the reply says which answered)."""
    s = settings()
    pool_, answering = release_pool(release)
    state = _state()
    limits = Limits(s["max_query_bytes"])
    check_size(text, limits)  # before a worker is taken for it
    job = Job(
        text,
        media or _media_by_form(fmt),
        list(default_graphs or []),
        list(named_graphs or []),
        s["max_rows"],
        limits,
        current_app.config["BASE"] + "sparql",  # relative IRIs: never from the Host header
        int(s["max_answer_mb"] * 1024 * 1024),
    )
    key: tuple[object, ...] = (text, tuple(job.default_graphs), tuple(job.named_graphs))
    key += (tuple(job.media.items()), job.base_iri, answering)
    client = request.remote_addr or "unknown"  # the proxy's client, where one is trusted
    # a remembered answer is counted too: floods stay floods
    entered = state["clients"].enter(client)
    admitted = time.monotonic()
    deadline = admitted + s["timeout_s"]
    try:
        fresh = "no-cache" in request.headers.get("Cache-Control", "")
        reply = None if fresh else state["answers"].get(key)
        if reply is not None:
            return dataclasses.replace(reply, cached=True, release=answering)
        with state["admission"].place(entered, deadline) as slot:
            try:
                answer = pool_.run(job, deadline, slot.attach)
            except EndpointError:
                if slot.preempted_for is not None:
                    raise EndpointError(
                        503,
                        "busy",
                        "The query was stopped to serve other clients first; retry soon.",
                        {"Retry-After": "5"},
                    ) from None
                raise
            if isinstance(answer, Planned):  # a remote backend: only this process has network
                answer = state["remote"].run(answer, deadline)
        if not isinstance(answer, Reply):
            raise TypeError(f"a query job answered {type(answer).__name__}")
        reply = dataclasses.replace(answer, release=answering)
        state["answers"].put(key, reply, len(reply.body))
        return reply
    finally:
        state["clients"].leave(client, time.monotonic() - admitted)


@contextlib.contextmanager
def metered() -> Iterator[None]:
    """A costly route that is not a query (a release diff) under the client's budget, as
    a query is: counted in, its time spent, 429 (a page) when the budget is spent."""
    pool()
    clients = _state()["clients"]
    client = request.remote_addr or "unknown"
    try:
        clients.enter(client)
    except EndpointError as exc:
        raise TooManyRequests(exc.message, retry_after=int(exc.headers["Retry-After"])) from None
    started = time.monotonic()
    try:
        yield
    finally:
        clients.leave(client, time.monotonic() - started)


FORMS = ("SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery")


def _media_by_form(fmt: str | None) -> dict[str, str | None]:
    """The media type for each query form, from ``format=`` or from Accept; the worker
    picks by the form it finds (None: not acceptable)."""
    if fmt is not None:
        media = FORMAT_PARAM.get(fmt)
        if media is None:
            raise EndpointError(406, "not_acceptable", f"Format {fmt[:20]!r} is not offered.")
        return {form: media if media in offered(form) else None for form in FORMS}
    accept = request.headers.get("Accept")
    return {form: negotiate(accept, offered(form), DEFAULT_TYPE[form]) for form in FORMS}


def _state() -> dict:
    """The app's state (web.create_app): its release, pool, clients and graphs."""
    return current_app.extensions["kg"]
