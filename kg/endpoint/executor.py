"""What a query worker does with a job: check the query, run it, write its results.

The worker checks the text the client sent (kg.endpoint.guard) and runs the canonical
text of the parse the check judged, in the same process under the same time limit: the engine runs
exactly what the guard approved, and a query that is slow to parse is as killable as one
that is slow to evaluate. On a remote backend the worker only checks; the server process
sends the checked query to the SPARQL server (workers have no network) and writes ours.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from kg.backends.base import Answer
from kg.backends.base import PlainRows
from kg.backends.base import QueryOptions
from kg.backends.base import Result
from kg.backends.base import as_boolean
from kg.backends.base import solution_variables
from kg.backends.base import solutions
from kg.backends.base import triples
from kg.backends.local import LocalBackend
from kg.backends.remote import RemoteBackend
from kg.backends.remote import RemoteError
from kg.backends.remote import TooLargeError
from kg.config import default
from kg.endpoint.errors import EndpointError
from kg.endpoint.guard import Checked
from kg.endpoint.guard import Limits
from kg.endpoint.guard import check
from kg.endpoint.results import CONTENT_TYPE
from kg.endpoint.results import GRAPH_TYPES
from kg.endpoint.results import SELECT_TYPES
from kg.endpoint.results import NotRepresentableError
from kg.endpoint.results import TooLargeAnswerError
from kg.endpoint.results import TooManyResultsError
from kg.endpoint.results import offered
from kg.endpoint.results import write_ask
from kg.endpoint.results import write_graph
from kg.endpoint.results import write_select
from kg.namespaces import PREFIXES


@dataclass(frozen=True)
class Job:
    query: str  # as the client sent it: the worker checks it
    media: dict[str, str | None]  # the negotiated media type per query form; None: 406
    default_graphs: list[str]
    named_graphs: list[str]
    row_cap: int
    limits: Limits = Limits()
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's URL
    byte_cap: int = int(default("KG_SPARQL_MAX_ANSWER_MB") * 1024 * 1024)


@dataclass(frozen=True)
class PageQuery:
    """A query of the project's own (a page's named query, values already checked): run
    as it is, unguarded but under the workers' sandbox and time limit, and answered with
    its terms rather than written in a results format."""

    query: str


@dataclass(frozen=True)
class Reply:
    body: bytes
    content_type: str
    form: str = ""  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    cached: bool = False  # served from the answer cache
    release: str = ""  # the id of the release that answered (kg.releases)


@dataclass(frozen=True)
class Planned:
    """A checked job for a remote backend: what the server process sends on."""

    checked: Checked
    media: str
    row_cap: int
    byte_cap: int


class Remote:
    """The SPARQL server behind a remote backend, as the server process sees it: the
    backend that talks to it, and the row cap it applies on its own, if any (Virtuoso's
    ResultSetMaxRows cuts answers silently)."""

    def __init__(
        self,
        endpoint: str,
        row_cap: int,
        timeout: float = 30,
        dataset: frozenset[str] = frozenset(),
        default_graph: str | None = None,
    ):
        self.backend = RemoteBackend(endpoint, timeout, dataset, default_graph)
        self.server_cap = probe_row_cap(self.backend, row_cap, timeout)

    def run(self, planned: Planned, deadline: float) -> Reply:
        return run_remote(self.backend, planned, deadline, self.server_cap)


def probe_row_cap(backend: RemoteBackend, row_cap: int, timeout: float = 30) -> int | None:
    """Ask the server for one row more than our cap: a server that answers fewer cuts
    answers at that many rows, so an answer of that size may have been cut. None when the
    server gave every row asked for."""
    digits = " ".join(str(d) for d in range(10))
    factors = len(str(row_cap + 1))  # 10 ** factors > row_cap rows
    values = " ".join(f"VALUES ?d{i} {{ {digits} }}" for i in range(factors))
    query = f"SELECT * WHERE {{ {values} }} LIMIT {row_cap + 1}"
    answer = backend.execute(query, deadline=time.monotonic() + timeout)
    rows = len(answer) if isinstance(answer, Answer) else 0
    return rows if rows <= row_cap else None


def answer(
    job: Job | PageQuery, backend: LocalBackend | None, held_graphs: frozenset[str]
) -> Reply | Planned | Answer | PlainRows | bool:
    """Check ``job`` and run it on the embedded store, or plan it for a remote server (no
    backend here: workers have no network). A page's query is run as it is."""
    if isinstance(job, PageQuery):
        if backend is None:
            raise EndpointError(500, "internal_error", "Pages ask the SPARQL server directly.")
        return materialized(backend.execute(job.query))
    checked = check(
        job.query,
        held_graphs,
        job.limits,
        job.default_graphs,
        job.named_graphs,
        remote=backend is None,
        base=job.base_iri,
    )
    media = job.media.get(checked.form)
    if media is None:
        raise EndpointError(
            406,
            "not_acceptable",
            f"This query can be answered as: {', '.join(offered(checked.form))}.",
        )
    if backend is None:
        return Planned(checked, media, job.row_cap, job.byte_cap)
    result = backend.execute(checked.text, _options(checked))
    return write(result, checked.form, media, job.row_cap, job.byte_cap)


def materialized(result: Result) -> Answer | PlainRows | bool:
    """A result as picklable values, to send from a worker: solutions as plain rows
    (PlainRows), triples as triples, a boolean as a bool."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    variables = solution_variables(result)
    if variables is None:
        return Answer(list(triples(result)))
    return PlainRows.of([v.value for v in variables], solutions(result))  # type: ignore[arg-type]


def _options(checked: Checked) -> QueryOptions:
    """The checked text is absolute (its IRIs resolved, its BASE written): no base here."""
    return QueryOptions(
        tuple(checked.default_graphs),
        tuple(checked.named_graphs),
        tuple(checked.unknown_functions),
    )


def run_remote(
    backend: RemoteBackend, planned: Planned, deadline: float, server_cap: int | None = None
) -> Reply:
    """Send the checked query to the SPARQL server and write its answer as ours, in the
    server process (the only one with network), within ``deadline`` (time.monotonic). An
    answer the server says it cut (Virtuoso's ``X-SPARQL-MaxRows``), or as large as its own
    row cap (``server_cap``, see probe_row_cap), may not be whole: it is refused."""
    checked = planned.checked
    try:
        result = backend.execute(checked.text, _options(checked), deadline)
    except TimeoutError:
        raise EndpointError(503, "timeout", "The query exceeded the time limit.") from None
    except TooLargeError:
        raise EndpointError(
            400, "too_many_results", "The answer is too large: add a LIMIT."
        ) from None
    except RemoteError:
        raise EndpointError(502, "upstream_error", "The SPARQL server did not answer.") from None
    if isinstance(result, Answer) and checked.form != "AskQuery":
        if result.cut_at or (server_cap is not None and len(result) >= server_cap):
            raise EndpointError(
                400,
                "too_many_results",
                f"The SPARQL server cuts answers at {result.cut_at or server_cap} results, "
                "and this one may have been cut: add a LIMIT.",
            )
    return write(result, checked.form, planned.media, planned.row_cap, planned.byte_cap)


def write(result: Result, form: str, media: str, row_cap: int, byte_cap: int = 1 << 62) -> Reply:
    """Our writers, with the row and byte caps and the format's limits as endpoint errors."""
    try:
        return _write(result, form, media, row_cap, byte_cap)
    except TooManyResultsError as exc:
        raise EndpointError(
            400, "too_many_results", f"More than {exc.args[0]} results: add a LIMIT."
        ) from None
    except TooLargeAnswerError as exc:
        raise EndpointError(
            400,
            "too_large",
            f"The answer is larger than {exc.args[0] // (1024 * 1024)} MiB: ask for less "
            "(a LIMIT, fewer or shorter values).",
        ) from None
    except NotRepresentableError as exc:
        raise EndpointError(
            406,
            "not_acceptable",
            f"The answer holds the character {exc.args[0]}, which XML cannot carry: "
            "ask for JSON, CSV, TSV, Turtle or N-Triples.",
        ) from None


def _write(result: Result, form: str, media: str, row_cap: int, byte_cap: int) -> Reply:
    if form == "AskQuery":
        kind = SELECT_TYPES[media]
        return Reply(write_ask(as_boolean(result), kind), CONTENT_TYPE[kind], form)
    if form == "SelectQuery":
        kind = SELECT_TYPES[media]
        variables = [v.value for v in solution_variables(result) or []]
        rows = ([solution[v] for v in variables] for solution in solutions(result))
        body = write_select(variables, rows, kind, row_cap, byte_cap)
        return Reply(body, CONTENT_TYPE[kind], form)
    graph = GRAPH_TYPES[media]
    return Reply(write_graph(triples(result), graph, row_cap, PREFIXES, byte_cap), media, form)
