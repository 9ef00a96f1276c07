"""/sparql: the SPARQL 1.1 Protocol, read-only: parameters, methods and errors. The work
(admission, checking, running) is the query service's (web.query_service)."""

from __future__ import annotations

import urllib.parse

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request

from kg.endpoint.description import service_description
from kg.endpoint.errors import EndpointError
from kg.formats import RDF_BY_MEDIA
from kg.formats import RDF_FORMATS
from web.caching import RELEASE_HEADER
from web.conneg import accepted
from web.conneg import quality
from web.query_service import graphs
from web.query_service import run_query
from web.query_service import settings

bp = Blueprint("sparql", __name__)

ALLOW = "GET, HEAD, OPTIONS, POST"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def varied(response: Response) -> Response:
    """Every answer here depends on Accept (CORS is web.caching's, for the whole site)."""
    response.vary.add("Accept")
    return response


def error(exc: EndpointError) -> Response:
    response = jsonify(exc.payload())
    response.status_code = exc.status
    for name, value in exc.headers.items():
        response.headers[name] = value
    return varied(response)


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql():
    if request.method == "OPTIONS":
        response = varied(Response(status=204))
        response.headers["Allow"] = ALLOW
        return response
    try:
        return varied(_answer())
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
    releases = params.get("release", [])
    if len(releases) > 1:
        raise EndpointError(400, "duplicate_parameter", "Give at most one 'release' parameter.")
    reply = run_query(
        queries[0],
        params.get("default-graph-uri"),
        params.get("named-graph-uri"),
        fmt,
        release=releases[0] if releases else None,
    )
    response = Response(reply.body, content_type=reply.content_type)
    response.headers["X-Cache"] = "HIT" if reply.cached else "MISS"
    response.headers[RELEASE_HEADER] = reply.release  # which release answered
    return response


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
        for key in ("default-graph-uri", "named-graph-uri", "release"):
            params.setdefault(key, []).extend(args.get(key, []))
        return params
    if mimetype == DIRECT:
        params = {k: args.get(k, []) for k in ("default-graph-uri", "named-graph-uri", "release")}
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
    accept = accepted(request.headers.get("Accept"))
    described = [f.media for f in RDF_FORMATS if not f.quads]  # turtle first: the default
    scores = [quality(accept, media) for media in described]
    html, json_ = quality(accept, "text/html"), quality(accept, "application/json")
    if accept and max(scores) > 0 and max(scores) >= html:
        return _service_description(described[scores.index(max(scores))])
    if html > json_:
        return Response(render_template("sparql.html"), mimetype="text/html")
    raise EndpointError(400, "missing_query", "Give a 'query' parameter.")


def _service_description(media: str) -> Response:
    from kg.examples import examples

    base = current_app.config["BASE"]  # never the request's Host: a cache would keep it
    graph = service_description(
        f"{base}sparql",
        base.rstrip("/"),
        graphs(),
        examples(),
        current_app.config["BASE"],
    )
    return Response(graph.serialize(format=RDF_BY_MEDIA[media].rdflib), mimetype=media)
