"""/sparql: the SPARQL 1.1 Protocol, read-only, behind the guard and the worker limits."""

from __future__ import annotations

import dataclasses
import threading
import time
import urllib.parse

import rdflib
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from kg.config import setting
from kg.endpoint.cache import AnswerCache
from kg.endpoint.errors import EndpointError
from kg.endpoint.executor import Job
from kg.endpoint.executor import Planned
from kg.endpoint.executor import Remote
from kg.endpoint.executor import Reply
from kg.endpoint.guard import Limits
from kg.endpoint.results import DEFAULT_TYPE
from kg.endpoint.results import GRAPH_ORDER
from kg.endpoint.results import offered
from kg.endpoint.workers import ExecLimits
from kg.endpoint.workers import Pool
from kg.endpoint.workers import Source
from kg.formats import RDF_BY_MEDIA
from kg.formats import RDF_BY_SUFFIX
from kg.formats import RDF_FORMATS
from kg.formats import RESULT_FORMATS
from kg.query import release_graphs
from web.conneg import accept_ranges
from web.conneg import negotiate
from web.conneg import quality
from web.limits import Clients
from web.views._shared import kg

bp = Blueprint("sparql", __name__)

ALLOW = "GET, HEAD, OPTIONS, POST"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
_lock = threading.Lock()


ENDPOINT_SETTINGS = {
    "max_query_bytes": "KG_SPARQL_MAX_QUERY_BYTES",
    "max_body_bytes": "KG_SPARQL_MAX_BODY_BYTES",
    "timeout_s": "KG_SPARQL_TIMEOUT",
    "memory_mb": "KG_SPARQL_MEMORY_MB",
    "max_rows": "KG_SPARQL_MAX_ROWS",
    "workers": "KG_SPARQL_WORKERS",
    "max_workers": "KG_SPARQL_MAX_WORKERS",
    "per_client": "KG_SPARQL_PER_CLIENT",
    "rate": "KG_SPARQL_RATE",
    "burst": "KG_SPARQL_BURST",
    "cache_mb": "KG_SPARQL_CACHE_MB",
    "cache_s": "KG_SPARQL_CACHE_SECONDS",
}


def settings() -> dict:
    """The endpoint's limits, read from the app's config once per app (kg.config)."""
    state = kg()
    if "settings" not in state:
        config = current_app.config
        state["settings"] = {key: setting(name, config) for key, name in ENDPOINT_SETTINGS.items()}
    return state["settings"]


def pool() -> Pool:
    """The query workers and what goes with them, started on first use; "pool" is stored
    last, so a request that finds it finds the rest too and needs no lock."""
    state = kg()
    if "pool" in state:
        return state["pool"]
    with _lock:
        if "pool" not in state:
            s = settings()
            release = str(state["release"])
            source = Source(release=release, endpoint=current_app.config.get("SPARQL_ENDPOINT"))
            limits = ExecLimits(
                s["workers"], max(s["workers"], s["max_workers"]), s["timeout_s"], s["memory_mb"]
            )
            state["graphs"] = release_graphs(state["release"])  # not a server's own graphs
            if source.endpoint:
                state["remote"] = Remote(source.endpoint, s["max_rows"])
            workers = Pool(source, limits, state["graphs"])
            state["clients"] = Clients(
                s["rate"],
                s["burst"],
                s["per_client"],
                stale_s=s["timeout_s"] + 5,
                path=current_app.config.get("LIMITS_FILE"),
            )
            state["answers"] = AnswerCache(int(s["cache_mb"] * 1024 * 1024), s["cache_s"])
            state["pool"] = workers
        return state["pool"]


def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ALLOW
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Vary"] = "Accept"
    return response


def error(exc: EndpointError) -> Response:
    response = jsonify(exc.payload())
    response.status_code = exc.status
    for name, value in exc.headers.items():
        response.headers[name] = value
    return cors(response)


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql():
    if request.method == "OPTIONS":
        response = cors(Response(status=204))
        response.headers["Allow"] = ALLOW
        return response
    try:
        return cors(_answer())
    except EndpointError as exc:
        return error(exc)


def _answer() -> Response:
    if request.method in ("PUT", "DELETE", "PATCH"):
        raise EndpointError(405, "method_not_allowed", f"Use {ALLOW}.", {"Allow": ALLOW})
    s = settings()
    params = _params(s)
    if "update" in params or request.mimetype == "application/sparql-update":
        raise EndpointError(403, "read_only", "This endpoint is read-only: updates are refused.")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise EndpointError(400, "duplicate_parameter", "Give exactly one 'query' parameter.")
    if not queries:
        return _no_query()
    fmt = params.get("format", [None])[0]
    reply = run_query(
        queries[0], params.get("default-graph-uri"), params.get("named-graph-uri"), fmt
    )
    response = Response(reply.body, content_type=reply.content_type)
    response.headers["X-Cache"] = "HIT" if reply.cached else "MISS"
    return response


# `format=` value -> media type: the results formats, then the RDF ones
FORMAT_PARAM = {f.suffix: f.media for f in RESULT_FORMATS}
FORMAT_PARAM.update({s: RDF_BY_SUFFIX[s].media for s in GRAPH_ORDER})


def run_query(
    text: str,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    fmt: str | None = None,
    media: dict[str, str | None] | None = None,
) -> Reply:
    """Admit the client, then check, negotiate and run one query in a worker, all within
    the time limit; shared by /sparql and the workbench. ``media`` (a type per query
    form) overrides ``format=`` and Accept."""
    s = settings()
    pool_ = pool()
    state = kg()
    if len(text.encode("utf-8")) > s["max_query_bytes"]:  # before anything else reads it
        raise EndpointError(
            413, "query_too_large", f"The query is larger than {s['max_query_bytes']} bytes."
        )
    job = Job(
        text,
        media or _media_by_form(fmt),
        list(default_graphs or []),
        list(named_graphs or []),
        s["max_rows"],
        Limits(s["max_query_bytes"]),
        request.base_url.replace("/workbench", "/sparql"),
    )
    key: tuple[object, ...] = (text, tuple(job.default_graphs), tuple(job.named_graphs))
    key += (tuple(job.media.items()), job.base_iri)
    client = request.remote_addr or "unknown"
    state["clients"].enter(client)  # a remembered answer is counted too: floods stay floods
    deadline = time.monotonic() + s["timeout_s"]
    try:
        fresh = "no-cache" in request.headers.get("Cache-Control", "")
        reply = None if fresh else state["answers"].get(key)
        if reply is not None:
            return dataclasses.replace(reply, cached=True)
        reply = pool_.run(job, deadline)
        if isinstance(reply, Planned):  # a remote backend: only this process has network
            reply = state["remote"].run(reply, deadline)
        state["answers"].put(key, reply, len(reply.body))
        return reply
    finally:
        state["clients"].leave(client)


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


def _params(s: dict) -> dict[str, list[str]]:
    args = _form(request.query_string)
    if request.method in ("GET", "HEAD"):
        if args.get("update"):
            return {"update": args["update"]}
        return args
    length = request.content_length or 0
    if length > s["max_body_bytes"]:
        raise EndpointError(
            413, "query_too_large", f"The body is larger than {s['max_body_bytes']} bytes."
        )
    mimetype = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise EndpointError(400, "bad_encoding", "Requests must be UTF-8.")
    if mimetype == FORM:
        params = _form(request.get_data())
        for key in ("default-graph-uri", "named-graph-uri"):
            params.setdefault(key, []).extend(args.get(key, []))
        return params
    if mimetype == DIRECT:
        params = {k: args.get(k, []) for k in ("default-graph-uri", "named-graph-uri")}
        params["query"] = [_utf8(request.get_data())]
        return params
    if mimetype == "application/sparql-update":
        return {"update": ["…"]}
    raise EndpointError(
        415,
        "unsupported_media_type",
        f"POST a query as {DIRECT} or {FORM}, not {mimetype or 'no Content-Type'}.",
    )


def _form(raw: bytes) -> dict[str, list[str]]:
    """Parse a query string or urlencoded body strictly: percent-escapes that are not UTF-8
    are a 400, not silently replaced by U+FFFD (as Werkzeug does)."""
    params: dict[str, list[str]] = {}
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _, value = pair.partition(b"=")
        name, text = (
            _utf8(urllib.parse.unquote_to_bytes(part.replace(b"+", b" "))) for part in (key, value)
        )
        params.setdefault(name, []).append(text)
    return params


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EndpointError(400, "bad_encoding", "The request is not valid UTF-8.") from None


def _no_query() -> Response:
    ranges = accept_ranges(request.headers.get("Accept"))
    described = [f.media for f in RDF_FORMATS if not f.quads]  # turtle first: the default
    scores = [quality(ranges, media) for media in described]
    html, json_ = quality(ranges, "text/html"), quality(ranges, "application/json")
    if ranges and max(scores) > 0 and max(scores) >= html:
        return _service_description(described[scores.index(max(scores))])
    if html > json_:
        return Response(_description_html(), mimetype="text/html")
    raise EndpointError(400, "missing_query", "Give a 'query' parameter.")


def _service_description(media: str) -> Response:
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    service = rdflib.URIRef(request.base_url + "#service")
    graph.add((service, rdflib.RDF.type, SD.Service))
    graph.add((service, SD.endpoint, rdflib.URIRef(request.base_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in [f.w3c for f in RESULT_FORMATS] + [RDF_BY_SUFFIX[s].w3c for s in GRAPH_ORDER]:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = rdflib.URIRef(request.base_url + "#dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, rdflib.RDF.type, SD.Dataset))
    default = rdflib.URIRef(request.base_url + "#default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, rdflib.RDF.type, SD.Graph))
    pool()
    for name in sorted(kg()["graphs"]):
        named = rdflib.URIRef(request.base_url + "#graph-" + str(abs(hash(name)) % 10**12))
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, rdflib.RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, rdflib.URIRef(name)))
    _examples(graph, service)
    return Response(graph.serialize(format=RDF_BY_MEDIA[media].rdflib), mimetype=media)


def _examples(graph: rdflib.Graph, service: rdflib.URIRef) -> None:
    """The example queries, as SHACL SPARQL executables with Latvian and English titles."""
    from kg.examples import examples
    from kg.query import with_prefixes

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    graph.bind("sh", sh)
    root = request.url_root.rstrip("/")
    for example in examples():
        node = rdflib.URIRef(f"{root}/workbench?example={example.key}")
        kind = (
            sh.SPARQLConstructExecutable
            if "CONSTRUCT" in example.query
            else sh.SPARQLSelectExecutable
        )
        graph.add((service, rdflib.RDFS.seeAlso, node))
        graph.add((node, rdflib.RDF.type, kind))
        graph.add((node, rdflib.RDFS.label, rdflib.Literal(example.title_lv, lang="lv")))
        graph.add((node, rdflib.RDFS.label, rdflib.Literal(example.title_en, lang="en")))
        graph.add((node, sh.select, rdflib.Literal(with_prefixes(example.query, kg_base()))))


def kg_base() -> str:
    return current_app.config["BASE"]


def _description_html() -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>SPARQL</title></head><body>"
        "<h1>SPARQL 1.1 endpoint</h1><form method='post' action='/sparql'>"
        "<textarea name='query' rows='12' cols='80'>SELECT * WHERE { ?s ?p ?o } LIMIT 10"
        "</textarea><br><button type='submit'>Run</button></form></body></html>"
    )
