"""The vocabulary's documentation, generated from the ontology graph (as pyLODE and Widoco
do): a section per class and property, in Latvian and English, with domain, range, super-
and sub-terms, how many resources of the dataset use it, and an example."""

from __future__ import annotations

from collections import defaultdict

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import local_name
from kg.queries import query

OWL = "http://www.w3.org/2002/07/owl#"
KINDS = {
    f"{OWL}Class": "classes",
    f"{OWL}ObjectProperty": "object",
    f"{OWL}DatatypeProperty": "data",
}


def vocabulary(backend: Backend, base: str, labels: Labeller) -> dict:
    terms: dict[str, dict] = {}
    for row in backend.select(query("vocabulary", base)):
        iri = str(row["term"])
        term = terms.setdefault(
            iri,
            {
                "iri": iri,
                "anchor": local_name(iri),
                "kind": KINDS[str(row["kind"])],
                "labels": {},
                "comments": {},
                "domain": [],
                "range": [],
                "super": [],
                "sub": [],
            },
        )
        for key, column in (("labels", "label"), ("comments", "comment")):
            if column in row:
                term[key][getattr(row[column], "language", None) or ""] = str(row[column])
        for key in ("domain", "range", "super"):
            if key in row and str(row[key]) not in [r["iri"] for r in term[key]]:
                term[key].append(labels.ref(row[key]))
    subs: dict[str, list[str]] = defaultdict(list)
    for iri, term in terms.items():
        for parent in term["super"]:
            subs[parent["iri"]].append(iri)
    usage = {str(r["term"]): r for r in backend.select(query("term-usage", base))}
    for iri, term in terms.items():
        term["sub"] = [labels.ref(s) for s in sorted(subs.get(iri, []))]
        used = usage.get(iri)
        term["uses"] = int(str(used["n"])) if used else 0
        term["example"] = labels.ref(str(used["example"])) if used else None
    grouped: dict[str, list[dict]] = {"classes": [], "object": [], "data": []}
    for term in sorted(terms.values(), key=lambda t: t["anchor"].lower()):
        grouped[term["kind"]].append(term)
    return {"terms": grouped, "count": len(terms)}
