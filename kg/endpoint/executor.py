"""What a query worker does with a job: check the query, run it, write its results.

The worker checks the text the client sent (kg.endpoint.guard) and runs the canonical
text the check returns, in the same process under the same time limit: the engine runs
exactly what the guard approved, and a query that is slow to parse is as killable as one
that is slow to evaluate. On a remote backend the worker only checks; the server process
sends the checked query to the SPARQL server (workers have no network) and writes ours.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.endpoint.errors import EndpointError
from kg.endpoint.guard import Checked
from kg.endpoint.guard import Limits
from kg.endpoint.guard import check
from kg.endpoint.results import CONTENT_TYPE
from kg.endpoint.results import GRAPH_TYPES
from kg.endpoint.results import SELECT_TYPES
from kg.endpoint.results import NotRepresentableError
from kg.endpoint.results import TooManyResultsError
from kg.endpoint.results import offered
from kg.endpoint.results import write_ask
from kg.endpoint.results import write_graph
from kg.endpoint.results import write_select
from kg.namespaces import PREFIXES

REMOTE_MAX_BYTES = 256 * 1024 * 1024  # a remote answer larger than this is refused


@dataclass(frozen=True)
class Job:
    query: str  # as the client sent it: the worker checks it
    media: dict[str, str | None]  # the negotiated media type per query form; None: 406
    default_graphs: list[str]
    named_graphs: list[str]
    row_cap: int
    limits: Limits = Limits()
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's URL


@dataclass(frozen=True)
class Reply:
    body: bytes
    content_type: str
    form: str = ""  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    cached: bool = False  # served from the answer cache


@dataclass(frozen=True)
class Planned:
    """A checked job for a remote backend: what the server process sends on."""

    checked: Checked
    media: str
    row_cap: int


class Remote:
    """A SPARQL server the server process sends checked queries to, and the row cap it
    applies on its own, if any (Virtuoso's ResultSetMaxRows cuts answers silently)."""

    def __init__(self, endpoint: str, row_cap: int, timeout: float = 30):
        self.endpoint = endpoint
        self.server_cap = probe_row_cap(endpoint, row_cap, timeout)

    def run(self, planned: Planned, deadline: float) -> Reply:
        return run_remote(self.endpoint, planned, deadline, self.server_cap)


def probe_row_cap(endpoint: str, row_cap: int, timeout: float = 30) -> int | None:
    """Ask the server for one row more than our cap: a server that answers fewer cuts
    answers at that many rows, so an answer of that size may have been cut. None when the
    server gave every row asked for."""
    import json

    digits = " ".join(str(d) for d in range(10))
    factors = len(str(row_cap + 1))  # 10 ** factors > row_cap rows
    values = " ".join(f"VALUES ?d{i} {{ {digits} }}" for i in range(factors))
    query = f"SELECT * WHERE {{ {values} }} LIMIT {row_cap + 1}"
    body, _ = _fetch(endpoint, Checked(query, "SelectQuery"), time.monotonic() + timeout)
    rows = len(json.loads(body)["results"]["bindings"])
    return rows if rows <= row_cap else None


def answer(job: Job, store: ox.Store | None, held_graphs: frozenset[str]) -> Reply | Planned:
    """Check ``job`` and run it on ``store``, or plan it for a remote server (no store)."""
    checked = check(
        job.query,
        held_graphs,
        job.limits,
        job.default_graphs,
        job.named_graphs,
        remote=store is None,
    )
    media = job.media.get(checked.form)
    if media is None:
        raise EndpointError(
            406,
            "not_acceptable",
            f"This query can be answered as: {', '.join(offered(checked.form))}.",
        )
    if store is None:
        return Planned(checked, media, job.row_cap)
    return run_local(store, checked, media, job.row_cap, job.base_iri)


def run_local(
    store: ox.Store, checked: Checked, media: str, row_cap: int, base_iri: str | None = None
) -> Reply:
    """Evaluate on the embedded store; FROM / named graphs are graphs of the store only."""
    options: dict[str, Any] = {}
    if checked.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in checked.default_graphs]
    if checked.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in checked.named_graphs]
    if checked.unknown_functions:  # an unknown function is an expression error: unbound
        options["custom_functions"] = {
            ox.NamedNode(iri): _unbound for iri in checked.unknown_functions
        }
    if base_iri:
        options["base_iri"] = base_iri
    result = store.query(checked.text, **options)
    return write(result, checked.form, media, row_cap)


def _unbound(*_args: object) -> None:
    return None


def run_remote(
    endpoint: str, planned: Planned, deadline: float, server_cap: int | None = None
) -> Reply:
    """Send the checked query to a SPARQL server, re-read its answer and write ours.

    Runs in the server process (the only one with network), within ``deadline``
    (time.monotonic). An answer the server says it cut (Virtuoso's ``X-SPARQL-MaxRows``), or
    as large as its own row cap (``server_cap``, see probe_row_cap), may not be whole: it is
    refused rather than passed on as whole."""
    checked = planned.checked
    graph_form = checked.form in ("ConstructQuery", "DescribeQuery")
    body, cut_at = _fetch(endpoint, checked, deadline)
    result: _Rows | ox.QueryBoolean | bool
    try:
        if graph_form:
            result = _Rows(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        else:
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            result = (
                parsed if isinstance(parsed, ox.QueryBoolean) else _Rows(parsed, parsed.variables)
            )
    except (SyntaxError, ValueError):
        raise EndpointError(
            502, "upstream_error", "The SPARQL server's answer is broken."
        ) from None
    if isinstance(result, _Rows) and checked.form != "AskQuery":
        if cut_at or (server_cap is not None and len(result) >= server_cap):
            raise EndpointError(
                400,
                "too_many_results",
                f"The SPARQL server cuts answers at {cut_at or server_cap} results, and this "
                "one may have been cut: add a LIMIT.",
            )
    if checked.form == "AskQuery" and isinstance(result, _Rows):
        result = _ask_rows(result)
    return write(result, checked.form, planned.media, planned.row_cap)


def _ask_rows(rows: list) -> bool:
    """Virtuoso answers ASK as a table: one row (``__ASK_RETVAL`` 1) for true, none for
    false."""
    return any(
        all(term is None or getattr(term, "value", "1") not in ("0", "false") for term in row)
        for row in rows
    )


class _Rows(list):
    """A remote answer read whole (it is bounded in bytes), keeping its variables."""

    def __init__(self, rows, variables=()):
        super().__init__(rows)
        self.variables = variables


def _fetch(endpoint: str, checked: Checked, deadline: float) -> tuple[bytes, str | None]:
    """POST the query; the answer's bytes, and the row count at which the server says it
    cut the answer (Virtuoso's ``X-SPARQL-MaxRows``), if it does."""
    import urllib.parse
    import urllib.request

    params = (
        [("query", checked.text)]
        + [("default-graph-uri", g) for g in checked.default_graphs]
        + [("named-graph-uri", g) for g in checked.named_graphs]
    )
    graph_form = checked.form in ("ConstructQuery", "DescribeQuery")
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(params).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout()
    try:
        with urllib.request.urlopen(request, timeout=remaining) as response:  # noqa: S310
            return _read_until(response, deadline), response.headers.get("X-SPARQL-MaxRows")
    except TimeoutError:
        raise _timeout() from None
    except OSError:
        raise EndpointError(502, "upstream_error", "The SPARQL server did not answer.") from None


def _read_until(response, deadline: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > REMOTE_MAX_BYTES:
            raise EndpointError(400, "too_many_results", "The answer is too large: add a LIMIT.")
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _timeout() -> EndpointError:
    return EndpointError(503, "timeout", "The query exceeded the time limit.")


def write(result, form: str, media: str, row_cap: int) -> Reply:
    """Our writers, with the row cap and the format's limits as endpoint errors."""
    try:
        return _write(result, form, media, row_cap)
    except TooManyResultsError as exc:
        raise EndpointError(
            400, "too_many_results", f"More than {exc.args[0]} results: add a LIMIT."
        ) from None
    except NotRepresentableError as exc:
        raise EndpointError(
            406,
            "not_acceptable",
            f"The answer holds the character {exc.args[0]}, which XML cannot carry: "
            "ask for JSON, CSV, TSV, Turtle or N-Triples.",
        ) from None


def _write(result, form: str, media: str, row_cap: int) -> Reply:
    if form == "AskQuery":
        kind = SELECT_TYPES[media]
        return Reply(write_ask(bool(result), kind), CONTENT_TYPE[kind], form)
    if form == "SelectQuery":
        kind = SELECT_TYPES[media]
        variables = [v.value for v in result.variables]
        rows = ([solution[v] for v in variables] for solution in result)
        return Reply(write_select(variables, rows, kind, row_cap), CONTENT_TYPE[kind], form)
    triples = (t.triple if isinstance(t, ox.Quad) else t for t in result)
    return Reply(write_graph(triples, GRAPH_TYPES[media], row_cap, PREFIXES), media, form)
