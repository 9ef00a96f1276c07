"""The query workbench: a form that works without scripts, examples, results with labels,
downloads in every format, a chart for two-column numeric results, and a permalink."""

from __future__ import annotations

import functools
import json
import math
import re
import shlex
import time
import urllib.parse
from typing import Any

import pyoxigraph as ox
from flask import Blueprint
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from markupsafe import escape

from kg import releases as kept
from kg.endpoint.errors import EndpointError
from kg.endpoint.results import offered
from kg.examples import example
from kg.examples import examples
from kg.namespaces import data_prefixes
from kg.namespaces import with_prefixes
from kg.terms import Term
from web.charts import wrap
from web.errors import missing
from web.i18n import format_name
from web.permalinks import find as find_link
from web.permalinks import folder as links_folder
from web.permalinks import keep as keep_link
from web.query_service import FORMAT_PARAM
from web.query_service import run_query
from web.views._shared import base
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import resolve_labels
from web.views.dumps import release_facts

bp = Blueprint("workbench", __name__)
BAR_WIDTH = 420
# what the page asks the worker for: SELECT and ASK as a table, CONSTRUCT and DESCRIBE as
# triples (the worker knows the form once it has checked the query)
SHOWN: dict[str, str | None] = {
    "SelectQuery": "application/sparql-results+json",
    "AskQuery": "application/sparql-results+json",
    "ConstructQuery": "application/n-triples",
    "DescribeQuery": "application/n-triples",
}
GRAPH_FORM = "ConstructQuery"  # CONSTRUCT and DESCRIBE offer the same formats
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(text: str) -> str:
    """Control characters as their pictures (U+0008 as ␈): shown, never sent raw."""
    return _CONTROL.sub(
        lambda m: chr(0x2421 if m.group() == "\x7f" else 0x2400 + ord(m.group())), text
    )


@bp.route("/workbench")
def workbench():
    data, status = _run()
    resolve_labels()
    return render_template("workbench.html", **data), status


@bp.route("/q/<name>")
def short_link(name: str):
    """A short permalink: the workbench with the query and release it keeps."""
    found = find_link(links_folder(kg()["release"]), name)
    if found is None:
        missing("no_such_link")
    kept_one = {"release": found["release"]} if found.get("release") else {}
    target = "/workbench?" + urllib.parse.urlencode({"query": found["query"], **kept_one})
    return redirect(target + "#results", 303)


@bp.route("/workbench/embed")
def embed():
    """The result alone, for another site to show in an iframe: the one page that may be
    framed (web.security), every link opening a new tab, crediting the site and release."""
    data, status = _run()
    g.embeddable = True
    resolve_labels()
    return render_template("workbench-embed.html", **data), status


def _run() -> tuple[dict[str, Any], int]:
    """The workbench's query (or example), run on the release asked for: its result,
    downloads, snippets and permalink, or its error."""
    text = request.args.get("query", "")[:70_000]
    asked = request.args.get("release") or None
    chosen = example(request.args.get("example", ""))
    if chosen and not text:
        text = chosen.query
    if text.strip():  # the project's prefixes a query uses are declared for it
        text = with_prefixes(text, base())
    data: dict[str, Any] = {
        "query": text,
        "prefixes": data_prefixes(base()),
        "terms": vocabulary_terms(),
        "examples": examples(),
        "chosen": chosen,
        "result": None,
        "error": None,
        "formats": [],
        "permalink": None,
        "releases": _releases(),
        "asked": asked,
    }
    if text.strip():
        kept_one = {"release": asked} if asked else {}
        data["permalink"] = "/workbench?" + urllib.parse.urlencode({"query": text, **kept_one})
        # the endpoint the catalogue names, with the release a researcher chose
        data["snippets"] = snippets(text, base() + "sparql", asked)
        embedded = urllib.parse.urlencode({"query": text, **kept_one})
        data["snippets"].append(("HTML (iframe)", _iframe(f"{base()}workbench/embed?{embedded}")))
        try:
            started = time.perf_counter()
            reply = run_query(text, media=SHOWN, release=asked)
            data["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
            data["result"] = _result(reply)
            data["release"] = release_facts(reply.release)
            # a short link for a query that ran (web.permalinks)
            kept_as = keep_link(links_folder(kg()["release"]), text, asked)
            data["short"] = f"/q/{kept_as}" if kept_as else None
        except EndpointError as exc:
            data["error"] = exc.payload()
            data["status"] = exc.status
        if data["result"] is not None:
            data["formats"] = downloads(text, data["result"]["form"], asked)
    status: int = data.pop("status", 200)  # a refused query is a refused request, here too
    return data, status


@functools.cache
def vocabulary_terms() -> tuple[str, ...]:
    """The terms a query may use, as prefixed names, for the editor's completion: the
    classes and properties the ontology defines and the other vocabularies' terms it
    declares it reuses (ontology/reused-terms.ttl), read once."""
    from rdflib import Graph
    from rdflib.namespace import OWL
    from rdflib.namespace import RDF
    from rdflib.namespace import RDFS

    from kg.config import resource
    from kg.namespaces import PREFIXES

    kinds = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}
    kinds |= {OWL.AnnotationProperty}
    found: set[str] = set()
    for name in ("lvp.ttl", "reused-terms.ttl"):
        graph = Graph().parse(resource("ontology") / name, format="turtle")
        declared = {t for t, _, kind in graph.triples((None, RDF.type, None)) if kind in kinds}
        declared |= set(graph.subjects(RDFS.isDefinedBy, None))  # a reused term
        for term in declared:
            for prefix, namespace in PREFIXES.items():
                local = str(term).removeprefix(namespace)
                if local != str(term) and re.fullmatch(r"[A-Za-z][\w-]*", local):
                    found.add(f"{prefix}:{local}")
                    break
    return tuple(sorted(found, key=str.casefold))


def _iframe(url: str) -> str:
    """The embeddable view as a page would include it."""
    return (
        f'<iframe src="{escape(url)}" title="SPARQL" width="100%" height="480" loading="lazy">'
        "</iframe>\n"
    )


def _releases() -> list[dict]:
    """The kept releases a query may run on, newest first: the served one first."""

    return [
        {
            "id": r.id,
            "published": r.published.isoformat(),
            "version": r.version,
            "current": r.current,
        }
        for r in kept.releases(kg()["release"])
    ]


def snippets(text: str, endpoint: str, release: str | None = None) -> list[tuple[str, str]]:
    """The query as a researcher runs it elsewhere: curl, Python (SPARQLWrapper) and
    JavaScript (fetch), each a complete program for this endpoint (on ``release``, a kept
    release, where one was chosen)."""
    quoted = json.dumps(text, ensure_ascii=False)
    kept_one = f'sparql.addParameter("release", {json.dumps(release)})\n' if release else ""
    python = (
        "from SPARQLWrapper import JSON, SPARQLWrapper\n\n"
        f"sparql = SPARQLWrapper({json.dumps(endpoint)})\n"
        f"{kept_one}"
        f"sparql.setQuery({quoted})\n"
        "sparql.setReturnFormat(JSON)\n"
        'for row in sparql.queryAndConvert()["results"]["bindings"]:\n'
        '    print({name: cell["value"] for name, cell in row.items()})\n'
    )
    if release:  # curl and fetch POST: the release rides in the URL
        endpoint += "?" + urllib.parse.urlencode({"release": release})
    javascript = (
        f"const query = {quoted};\n"
        f"const response = await fetch({json.dumps(endpoint)}, {{\n"
        '  method: "POST",\n'
        '  headers: { "Content-Type": "application/sparql-query",'
        ' Accept: "application/sparql-results+json" },\n'
        "  body: query,\n"
        "});\n"
        "console.log((await response.json()).results.bindings);\n"
    )
    curl = (
        f"curl -s {shlex.quote(endpoint)} \\\n"
        "  -H 'Accept: application/sparql-results+json' \\\n"
        f"  --data-urlencode query={shlex.quote(text)}\n"
    )
    return [("curl", curl), ("Python (SPARQLWrapper)", python), ("JavaScript (fetch)", javascript)]


def downloads(text: str, form: str, release: str | None = None) -> list[tuple[str, str]]:
    """The result's downloads: only the formats the endpoint offers for the query's form
    (a SELECT as CSV, never as Turtle), each named as people name it, from the release
    the query ran on."""
    wanted = set(offered(form))
    kept_one = {"release": release} if release else {}
    return [
        (
            format_name(media),
            "/sparql?" + urllib.parse.urlencode({"query": text, "format": name, **kept_one}),
        )
        for name, media in FORMAT_PARAM.items()
        if media in wanted
    ]


def _result(reply) -> dict:
    labels = labeller()
    if reply.content_type.startswith("application/n-triples"):
        triples = list(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))
        rows: list[list[dict | None]] = [
            [_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples
        ]
        table = {"variables": ["subject", "predicate", "object"], "rows": rows, "form": GRAPH_FORM}
        return _with_labels(table, labels)
    payload = json.loads(reply.body)
    if "boolean" in payload:
        return {"boolean": payload["boolean"], "form": "AskQuery"}
    variables = payload["head"]["vars"]
    rows = [[_json_cell(b.get(v)) for v in variables] for b in payload["results"]["bindings"]]
    table = _with_labels({"variables": variables, "rows": rows, "form": "SelectQuery"}, labels)
    table["chart"] = _chart(table)
    return table


def _cell(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "iri": term.value, "short": short(term.value)}
    if isinstance(term, ox.Literal):
        return {"kind": "literal", "value": visible(term.value), "lang": term.language}
    return {"kind": "blank", "value": str(term)}


def _json_cell(cell: dict | None) -> dict | None:
    if cell is None:
        return None
    if cell["type"] == "uri":
        return {"kind": "iri", "iri": cell["value"], "short": short(cell["value"])}
    if cell["type"] == "bnode":
        return {"kind": "blank", "value": cell["value"]}
    return {
        "kind": "literal",
        "value": visible(cell["value"]),
        "lang": cell.get("xml:lang"),
        "datatype": cell.get("datatype"),
    }


def short(iri: str) -> str:
    """An IRI as a researcher reuses it in a query: a prefixed name where a prefix of the
    workbench's fits (``lvp:Measure``, ``id:org/lsm``), else the IRI in brackets."""
    for prefix, namespace in sorted(
        data_prefixes(base()).items(), key=lambda kv: len(kv[1]), reverse=True
    ):
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and re.fullmatch(r"[A-Za-z0-9_][\w.-]*", rest):
            if not rest.endswith("."):
                return f"{prefix}:{rest}"
    return f"<{iri}>"


def _with_labels(table: dict, labels) -> dict:
    iris = [c["iri"] for row in table["rows"][:500] for c in row if c and c["kind"] == "iri"]
    labels.fetch(iris)
    for row in table["rows"][:500]:
        for cell in row:
            if cell and cell["kind"] == "iri":
                cell.update(labels.ref(cell["iri"]))
    return table


def _chart(table: dict) -> dict | None:
    """Bars, when the result has two columns and the second is numeric: labels wrapped at
    words, values and axis ticks as the language writes numbers (whole numbers stay whole)."""
    if len(table["variables"]) != 2 or not table["rows"] or len(table["rows"]) > 60:
        return None
    bars = []
    for row in table["rows"]:
        name, amount = row
        try:
            number = float(amount["value"]) if amount and amount["kind"] == "literal" else None
        except ValueError:
            return None
        if number is None:
            return None
        label = (name or {}).get("label") or (name or {}).get("value") or ""
        whole = number.is_integer()
        bars.append({"label": label, "value": int(number) if whole else number})
    top = max((abs(float(b["value"])) for b in bars), default=0) or 1
    step = _tick_step(top)
    y = 24
    for bar in bars:
        lines = wrap(str(bar["label"]), 34, lines=2)
        bar.update(lines=lines, y=y, width=round(BAR_WIDTH * abs(float(bar["value"])) / top, 1))
        y += max(22, 14 * len(lines) + 8)
    ticks = [{"value": v, "x": round(BAR_WIDTH * v / top, 1)} for v in _ticks(step, top)]
    return {"bars": bars, "height": y + 4, "ticks": ticks, "lang": g.get("lang")}


def _tick_step(top: float) -> float:
    """1, 2 or 5 times a power of ten, giving at most about five ticks; whole numbers for
    counts (never a tick at 2.5 items)."""
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            step = factor * power
            return max(step, 1) if top >= 1 else step
    return 10 * power


def _ticks(step: float, top: float) -> list[float]:
    values, v = [], 0.0
    while v <= top + 1e-9:
        values.append(int(v) if float(v).is_integer() else round(v, 6))
        v += step
    return values
