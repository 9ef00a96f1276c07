"""Run one checked query and write its results: the work a query worker does."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from kg.endpoint.results import CONTENT_TYPE
from kg.endpoint.results import GRAPH_TYPES
from kg.endpoint.results import SELECT_TYPES
from kg.endpoint.results import write_ask
from kg.endpoint.results import write_graph
from kg.endpoint.results import write_select
from kg.namespaces import PREFIXES


@dataclass
class Job:
    query: str
    form: str
    media_type: str
    default_graphs: list[str]
    named_graphs: list[str]
    row_cap: int
    unknown_functions: list[str] = field(default_factory=list)
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's URL


@dataclass(frozen=True)
class Reply:
    body: bytes
    content_type: str
    cached: bool = False  # served from the answer cache


def run_local(store: ox.Store, job: Job) -> Reply:
    """Evaluate on the embedded store; FROM / named graphs are graphs of the store only."""
    options = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.unknown_functions:  # an unknown function is an expression error: unbound, as in SPARQL
        options["custom_functions"] = {ox.NamedNode(iri): _unbound for iri in job.unknown_functions}
    if job.base_iri:
        options["base_iri"] = job.base_iri
    result = store.query(job.query, **options)
    return write(result, job)


def _unbound(*_args: object) -> None:
    return None


def run_remote(endpoint: str, job: Job, timeout: float) -> Reply:
    """Send the checked query to a SPARQL server; re-read its answer and write ours."""
    import urllib.parse
    import urllib.request

    params = (
        [("query", job.query)]
        + [("default-graph-uri", g) for g in job.default_graphs]
        + [("named-graph-uri", g) for g in job.named_graphs]
    )
    graph_form = job.form in ("ConstructQuery", "DescribeQuery")
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(params).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        body = response.read()
    if graph_form:
        result = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    else:
        result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return write(result, job)


def write(result, job: Job) -> Reply:
    if job.form == "AskQuery":
        fmt = SELECT_TYPES[job.media_type]
        return Reply(write_ask(bool(result), fmt), CONTENT_TYPE[fmt])
    if job.form == "SelectQuery":
        fmt = SELECT_TYPES[job.media_type]
        variables = [v.value for v in result.variables]
        rows = ([solution[v] for v in variables] for solution in result)
        return Reply(write_select(variables, rows, fmt, job.row_cap), CONTENT_TYPE[fmt])
    fmt = GRAPH_TYPES[job.media_type]
    triples = (t.triple if isinstance(t, ox.Quad) else t for t in result)
    return Reply(write_graph(triples, fmt, job.row_cap, PREFIXES), job.media_type)
