"""Linked data: /id/… 303 → /doc/…; pages, JSON or RDF by Accept or suffix; /graph/…; /def."""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib
from flask import Blueprint
from flask import Response
from flask import abort
from flask import g
from flask import redirect
from flask import request

from kg.backends.base import solutions
from kg.explore import activity as activity_data
from kg.explore import institutions
from kg.explore import resources
from kg.explore import slides
from kg.explore import structure
from kg.explore.passages import passages_of
from kg.explore.roles import ROLE_ORDER
from kg.namespaces import LVP
from kg.namespaces import PREFIXES
from kg.queries import query
from web.conneg import QUAD_TYPES
from web.conneg import RDF_TYPES
from web.conneg import choose
from web.conneg import not_acceptable
from web.conneg import offered
from web.conneg import rdf_response
from web.errors import missing
from web.tables import arrange
from web.tables import csv_response
from web.tables import figure_columns
from web.tables import wants_csv
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import page
from web.views._shared import resolve_labels

DEFAULT = ox.DefaultGraph()
bp = Blueprint("resource", __name__)

_PATH = re.compile(r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")
_SUFFIX = re.compile(r"^(.*)\.(html|json|ttl|jsonld|rdf|nt|nq|trig)$")
ORG = PREFIXES["org"] + "Organization"


def _split(path: str) -> tuple[str, str | None]:
    """``org/x.ttl`` → (``org/x``, ``ttl``). Paths outside the IRI pattern are 404."""
    if not _PATH.match(path) or ".." in path.split("/"):
        abort(404)
    match = _SUFFIX.match(path)
    return (match.group(1), match.group(2)) if match else (path, None)


@bp.route("/id/<path:path>")
def identifier(path: str):
    """The IRI of a thing: 303 See Other to the document about it."""
    name, suffix = _split(path)
    target = f"/doc/{name}" + (f".{suffix}" if suffix else "")
    if request.query_string:
        target += "?" + request.query_string.decode("ascii", "replace")
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/doc/<path:path>")
def document(path: str):
    name, suffix = _split(path)
    return _describe(f"{base()}id/{name}", f"/doc/{name}", suffix)


@bp.route("/graph/<path:path>")
def graph(path: str):
    name, suffix = _split(path)
    return _describe(f"{base()}graph/{name}", f"/graph/{name}", suffix)


def _describe(iri: str, doc_path: str, suffix: str | None):
    if suffix is not None and choose(request, suffix, quads=True) is None:
        abort(404)
    kinds = set(resources.types(backend(), base(), iri))
    if not kinds and not resources.exists(backend(), base(), iri):
        missing("no_such_resource")
    media = choose(request, suffix, quads=True)
    if media is None:
        return not_acceptable(offered(quads=True))
    is_graph = doc_path.startswith("/graph/")
    if media in QUAD_TYPES:
        # the document's triples in the default graph, so a client that reads the default
        # graph (Comunica) gets what a Turtle client gets, and each in its named graph
        named = _named(iri, is_graph)
        triples = _triples(iri, named if is_graph else None)
        in_default = [ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in triples]
        response = rdf_response(in_default + named, media)
    elif media in RDF_TYPES:
        response = rdf_response(_triples(iri, _named(iri, True) if is_graph else None), media)
    else:
        response = _page(iri, kinds, media == "application/json")
    response.headers["Vary"] = "Accept"
    forms = [(m, ext) for m, (_, ext) in RDF_TYPES.items()] + list(QUAD_TYPES.items())
    response.headers["Link"] = ", ".join(
        f'<{doc_path}.{ext}>; rel="alternate"; type="{media_type}"' for media_type, ext in forms
    )
    return response


def _named(iri: str, is_graph: bool) -> list[ox.Quad]:
    """The statements with the named graphs that hold them (where each comes from); a
    graph's document is the graph's own triples and what graph/meta says of it."""
    term = [rdflib.URIRef(iri)]
    text = (
        query("graph-quads", base(), graph=term)
        if is_graph
        else query("describe-quads", base(), s=term)
    )
    found = solutions(backend().execute(text))
    # the query binds all four in every row
    return sorted((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in found), key=str)  # type: ignore[arg-type]


def _triples(iri: str, graph_quads: list[ox.Quad] | None) -> list[ox.Triple]:
    """The document's triples, the same in every format: a graph's own triples and what
    is said of the graph (from ``graph_quads``, its document's quads), or else a
    resource's description."""
    if graph_quads is not None:
        return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in graph_quads}, key=str)
    return list(backend().construct_triples(query("describe", base(), s=[rdflib.URIRef(iri)])))


def behind(iri: str, institution: bool = False) -> str:
    """The query behind a thing's page, to open in the workbench (as Datasette shows its
    SQL): an institution's roles in activities, or any thing's facts with the graphs that
    hold them, both ways."""
    if institution:
        roles = " ".join(f"lvp:{name}" for name in ROLE_ORDER)
        return (
            f"PREFIX lvp: <{LVP}>\n"
            "# The activities this institution takes part in, by role\n"
            "SELECT ?role ?activity WHERE {\n"
            f"  VALUES ?role {{ {roles} }}\n"
            f"  ?activity ?role <{iri}> .\n"
            "} ORDER BY ?role ?activity"
        )
    return (
        "# What the graph says of this thing, and what points to it, with the graphs that\n"
        "# hold each fact (a graph names its source and basis)\n"
        "SELECT ?subject ?property ?object ?graph WHERE {\n"
        f"  {{ BIND (<{iri}> AS ?subject) ?subject ?property ?object }}\n"
        f"  UNION {{ BIND (<{iri}> AS ?object) ?subject ?property ?object }}\n"
        "  OPTIONAL { GRAPH ?graph { ?subject ?property ?object } }\n"
        "} ORDER BY ?property ?subject ?object LIMIT 1000"
    )


def _page(iri: str, kinds: set[str], as_json: bool) -> Response:
    labels = labeller()
    page_number = request.args.get("page", "1")
    number = int(page_number) if page_number.isdigit() and len(page_number) < 6 else 1
    if kinds & {str(LVP.ReportedResult), str(LVP.Measure)}:
        data = activity_data.activity(backend(), base(), labels, iri, g.inferred)
        if wants_csv("figures"):
            resolve_labels()
            return csv_response(arrange("figures", data["figures"], figure_columns(about=False)))
        quoted = passages_of(backend(), base(), labels, iri)
        shown = {**data, "iri": iri, "passages": quoted, "behind": behind(iri)}
        return page(request, "activity.html", shown, as_json)
    if kinds & {str(LVP.SourceLocation), str(LVP.SourceDocument)}:
        data = memo("slide", lambda: slides.slide(backend(), base(), labels, iri, g.inferred), iri)
        # a slide, or a document whose words the project holds (a web page's passages)
        if str(LVP.SourceLocation) in kinds or data["text"] is not None:
            return page(request, "slide.html", data, as_json)
    if ORG in kinds:
        # the heaviest resource page (an institution in a thousand roles): kept per page
        # number, as the release does not change while served
        data = memo(
            "institution",
            lambda: {
                **institutions.institution(
                    backend(), base(), labels, iri, g.inferred, number, kg()["institutions"]
                ),
                "passages": passages_of(backend(), base(), labels, iri),
            },
            iri,
            number,
        )
        partners = memo(
            "partners",
            lambda: institutions.partners(backend(), base(), labeller(), iri, kg()["institutions"]),
            iri,
        )
        return page(
            request,
            "institution.html",
            {**data, "partners": partners, "iri": iri, "behind": behind(iri, institution=True)},
            as_json,
        )
    structural = bool(kinds & {str(LVP.ActionDirection), str(LVP.Goal)})
    data = {
        "ref": labels.ref(iri),
        "iri": iri,
        "types": [labels.ref(k) for k in sorted(kinds)],
        "trail": structure.trail(backend(), base(), labels, iri) if structural else [],
        "institutions": (
            structure.institutions(backend(), base(), labels, iri) if structural else []
        ),
        "outbound": resources.outbound(backend(), base(), labels, iri, g.inferred, number),
        "inbound": resources.inbound(backend(), base(), labels, iri, g.inferred, number),
        "passages": passages_of(backend(), base(), labels, iri),
    }
    return page(request, "resource.html", {**data, "behind": behind(iri)}, as_json)
