"""Every figure with unit, period and source; every source with the facts it supports."""

from __future__ import annotations

from collections import OrderedDict

import rdflib

from kg.backends.base import Backend
from kg.explore.activity import figure_row
from kg.explore.common import Labeller
from kg.explore.common import number
from kg.explore.common import value
from kg.queries import query


def all_figures(backend: Backend, base: str, labels: Labeller) -> list[dict]:
    rows = backend.select(query("figures", base))
    return [
        {
            **figure_row(labels, r),
            "about": labels.ref(r.get("about")),
            "precision": number(r.get("precision")),
            "estimated": (value(r.get("status")) or "").endswith("obsStatus-E"),
            "sources": sources_of(labels, r),
        }
        for r in rows
    ]


def sources_of(labels: Labeller, row: dict) -> list[dict]:
    """The slides, pages or documents a figure is read from (a slide's label names its
    document too)."""
    return [source_ref(labels, s) for s in sorted(str(row.get("sources") or "").split())]


def source_ref(labels: Labeller, iri: str) -> dict:
    """A cited slide, page or document as a link with its label."""
    ref = labels.ref(rdflib.URIRef(iri)) or {}
    ref["kind"] = "iri"
    return ref


def all_sources(backend: Backend, base: str, labels: Labeller) -> list[dict]:
    sources: OrderedDict[str, dict] = OrderedDict()
    rows = backend.select(query("sources", base))
    for row in rows:
        source = sources.setdefault(
            str(row["source"]),
            {
                "ref": labels.ref(row["source"]),
                "url": value(row.get("url")),
                "kind": labels.ref(row.get("kind")),
                "graphs": [],
            },
        )
        if "graph" in row:
            source["graphs"].append(
                {
                    "graph": str(row["graph"]),
                    "location": labels.ref(row["location"]),
                    "number": _number(str(row["location"])),
                    "basis": str(row["basis"]).rsplit("/", 1)[-1],
                    "facts": number(row["facts"]),
                }
            )
    for source in sources.values():  # slides and pages by their number: 1, 2, … 10
        source["graphs"].sort(key=lambda g: (_number(g["location"]["iri"]), g["graph"]))
        source["places"] = _places(source["graphs"])
    return list(sources.values())


def _places(graphs: list[dict]) -> list[dict]:
    """Each slide or page once, with its graphs (stated, inferred) and their fact counts."""
    places: OrderedDict[str, dict] = OrderedDict()
    for graph in graphs:
        place = places.setdefault(
            graph["location"]["iri"],
            {"location": graph["location"], "number": graph["number"], "graphs": []},
        )
        place["graphs"].append(graph)
    for place in places.values():  # what was read first, then what was inferred from it
        place["graphs"].sort(key=lambda g: ("stated", "editorial", "inferred").index(g["basis"]))
    return list(places.values())


def _number(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0
