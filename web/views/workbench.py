"""The query workbench: a form that works without scripts, examples, results with labels,
downloads in every format, a chart for two-column numeric results, and a permalink."""

from __future__ import annotations

import json
import re
import urllib.parse

import pyoxigraph as ox
from flask import Blueprint
from flask import g
from flask import render_template
from flask import request

from kg.endpoint.errors import EndpointError
from kg.examples import example
from kg.examples import examples
from kg.namespaces import data_prefixes
from kg.query import with_prefixes
from kg.terms import Term
from web.query_service import FORMAT_PARAM
from web.query_service import run_query
from web.views._shared import base
from web.views._shared import labeller
from web.views._shared import resolve_labels

bp = Blueprint("workbench", __name__)
BAR_WIDTH = 420
# what the page asks the worker for: SELECT and ASK as a table, CONSTRUCT and DESCRIBE as
# triples (the worker knows the form once it has checked the query)
SHOWN = {
    "SelectQuery": "application/sparql-results+json",
    "AskQuery": "application/sparql-results+json",
    "ConstructQuery": "application/n-triples",
    "DescribeQuery": "application/n-triples",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(text: str) -> str:
    """Control characters as their pictures (U+0008 as ␈): shown, never sent raw."""
    return _CONTROL.sub(
        lambda m: chr(0x2421 if m.group() == "\x7f" else 0x2400 + ord(m.group())), text
    )


@bp.route("/workbench")
def workbench():
    text = request.args.get("query", "")[:70_000]
    chosen = example(request.args.get("example", ""))
    if chosen and not text:
        text = chosen.query
    if text.strip():  # the project's prefixes a query uses are declared for it
        text = with_prefixes(text, base())
    data = {
        "query": text,
        "prefixes": data_prefixes(base()),
        "examples": examples(),
        "chosen": chosen,
        "result": None,
        "error": None,
        "formats": [],
        "permalink": None,
    }
    if text.strip():
        data["permalink"] = "/workbench?" + urllib.parse.urlencode({"query": text})
        try:
            data["result"] = _result(run_query(text, media=SHOWN))
        except EndpointError as exc:
            data["error"] = exc.payload()
            data["status"] = exc.status
        data["formats"] = [
            (name, "/sparql?" + urllib.parse.urlencode({"query": text, "format": name}))
            for name in FORMAT_PARAM
        ]
    status = data.pop("status", 200)  # a refused query is a refused request, here too
    resolve_labels()
    return render_template("workbench.html", **data), status


def _result(reply) -> dict:
    labels = labeller()
    if reply.content_type.startswith("application/n-triples"):
        triples = list(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))
        rows: list[list[dict | None]] = [
            [_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples
        ]
        return _with_labels({"variables": ["subject", "predicate", "object"], "rows": rows}, labels)
    payload = json.loads(reply.body)
    if "boolean" in payload:
        return {"boolean": payload["boolean"]}
    variables = payload["head"]["vars"]
    rows = [[_json_cell(b.get(v)) for v in variables] for b in payload["results"]["bindings"]]
    table = _with_labels({"variables": variables, "rows": rows}, labels)
    table["chart"] = _chart(table)
    return table


def _cell(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "iri": term.value}
    if isinstance(term, ox.Literal):
        return {"kind": "literal", "value": visible(term.value), "lang": term.language}
    return {"kind": "blank", "value": str(term)}


def _json_cell(cell: dict | None) -> dict | None:
    if cell is None:
        return None
    if cell["type"] == "uri":
        return {"kind": "iri", "iri": cell["value"]}
    if cell["type"] == "bnode":
        return {"kind": "blank", "value": cell["value"]}
    return {
        "kind": "literal",
        "value": visible(cell["value"]),
        "lang": cell.get("xml:lang"),
        "datatype": cell.get("datatype"),
    }


def _with_labels(table: dict, labels) -> dict:
    iris = [c["iri"] for row in table["rows"][:500] for c in row if c and c["kind"] == "iri"]
    labels.fetch(iris)
    for row in table["rows"][:500]:
        for cell in row:
            if cell and cell["kind"] == "iri":
                cell.update(labels.ref(cell["iri"]))
    return table


def _chart(table: dict) -> dict | None:
    """Bars, when the result has two columns and the second is numeric."""
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
        bars.append({"label": label, "value": number})
    top = max((abs(float(b["value"])) for b in bars), default=0) or 1
    for index, bar in enumerate(bars):
        bar["y"] = 4 + index * 22
        bar["width"] = round(BAR_WIDTH * abs(float(bar["value"])) / top, 1)
    return {"bars": bars, "height": 8 + 22 * len(bars), "lang": g.get("lang")}
