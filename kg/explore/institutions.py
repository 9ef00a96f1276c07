"""An institution's page, and the institution × activity matrix and network."""

from __future__ import annotations

import json
from collections import Counter
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import rdflib

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import in_language
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.common import visible
from kg.explore.graphs import bases_and_sources
from kg.explore.graphs import fact_graphs
from kg.explore.plan import status_code
from kg.explore.resources import outbound
from kg.explore.roles import ROLE_ORDER
from kg.explore.roles import role_iris
from kg.namespaces import PREFIXES
from kg.queries import checked_iri
from kg.queries import paged
from kg.queries import query

LINKS = (PREFIXES["foaf"] + "homepage", PREFIXES["foaf"] + "page", PREFIXES["rdfs"] + "seeAlso")


PAGE = 50


@dataclass(frozen=True)
class Listed:
    """One institution's row of the release's table, as its page reads it."""

    links: tuple[tuple[str, str], ...] = ()  # (activity, role IRI), in the page's order
    counts: dict[str, int] = field(default_factory=dict)  # role IRI -> its links
    partners: tuple[tuple[str, int], ...] = ()  # (other institution, activities shared)


class InstitutionTable:
    """The release's ``institutions.json`` (kg.build.institutions): each institution's role
    links in the page's order and its partners, worked out at build time and read once
    (at 1M facts, 0.13 s and 16 MB). A release without it (built before it was added) is
    asked by SPARQL instead."""

    def __init__(self, rows: dict[str, dict] | None):
        self.listed = None if rows is None else {iri: _listed(row) for iri, row in rows.items()}

    @classmethod
    def load(cls, path: Path) -> InstitutionTable:
        return cls(json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None)

    def of(self, iri: str) -> Listed | None:
        """``iri``'s row (empty when it has no role); None when this release has no table."""
        if self.listed is None:
            return None
        return self.listed.get(iri) or Listed()


_ROLE_IRIS = dict(zip(ROLE_ORDER, map(str, role_iris()), strict=True))  # one string a role


def _listed(row: dict) -> Listed:
    links = tuple(
        (activity, _ROLE_IRIS.get(role) or PREFIXES["lvp"] + role)
        for activity, role in row["links"]
    )
    return Listed(
        links,
        dict(Counter(role for _, role in links)),
        tuple((other, shared) for other, shared in row["partners"]),
    )


def institution(
    backend: Backend,
    base: str,
    labels: Labeller,
    iri: str,
    inferred: bool,
    page: int = 1,
    table: InstitutionTable | None = None,
) -> dict:
    """The institution, its activities by role (a page of them) and its partners."""
    offset = (max(page, 1) - 1) * PAGE
    listed = table.of(iri) if table is not None else None
    if listed is None:
        counts, rows, more = _links_asked(backend, base, iri, offset)
    else:
        counts, rows, more = _links_listed(backend, base, iri, listed, offset)
    roles = role_iris()
    for row in rows:
        labels.prime(str(row["activity"]), {"lv": row.get("lv"), "en": row.get("en")})
    grouped: OrderedDict[str, dict] = OrderedDict()
    for role in roles:
        if str(role) in counts:
            grouped[str(role)] = {"role": labels.ref(role), "count": counts[str(role)], "items": []}
    graphs = fact_graphs(backend, base)
    for row in rows:
        basis = basis_of(bases_and_sources(graphs, row.get("graphs"))[0])
        if visible(basis, inferred):
            grouped[str(row["role"])]["items"].append(
                {
                    "ref": labels.ref(row["activity"]),
                    "basis": basis,
                    "status": status_code(value(row.get("status"))),
                }
            )
    facts = outbound(backend, base, labels, iri, inferred)
    by_property = {g["property"]["iri"]: g["values"] for g in facts["groups"]}
    return {
        "ref": labels.ref(iri),
        "abbreviations": [v["value"] for v in by_property.get(PREFIXES["skos"] + "altLabel", [])],
        "type": (by_property.get(PREFIXES["org"] + "classification") or [None])[0],
        "parent": (by_property.get(PREFIXES["org"] + "subOrganizationOf") or [None])[0],
        "roles": [group for group in grouped.values() if group["items"] or inferred],
        "page": max(page, 1),
        "more": more,
        "sources": by_property.get(PREFIXES["prov"] + "wasDerivedFrom", []),
        "notes": in_language(by_property.get(PREFIXES["skos"] + "editorialNote", []), labels.lang),
        "links": [v for p in LINKS for v in by_property.get(p, [])],
        "named_by": named_by(backend, base, labels, iri, inferred),
    }


def _links_asked(backend: Backend, base: str, iri: str, offset: int) -> tuple[dict, list, bool]:
    """Counts by role, and a page of role links with their details, asked of the store."""
    bound, roles = [checked_iri(iri)], role_iris()
    text = query("institution-role-counts", base, institution=bound, role=roles)
    counts = {str(r["role"]): number(r["n"]) for r in backend.select(text)}
    text = query("institution-roles", base, institution=bound, role=roles)
    rows = backend.select(paged(text, PAGE + 1, offset))
    return counts, rows[:PAGE], len(rows) > PAGE


def _links_listed(
    backend: Backend, base: str, iri: str, listed: Listed, offset: int
) -> tuple[dict, list, bool]:
    """The same from the release's table: the counts and the page are read from its
    ordered links, and the store is asked only for the details of the page's links."""
    chosen = listed.links[offset : offset + PAGE]
    if not chosen:
        return listed.counts, [], False
    pairs = [(checked_iri(activity), checked_iri(role)) for activity, role in chosen]
    text = query(
        "institution-links",
        base,
        rows={("activity", "role"): pairs},
        institution=[checked_iri(iri)],
    )
    place = {pair: n for n, pair in enumerate(chosen)}
    found = sorted(backend.select(text), key=lambda r: place[(str(r["activity"]), str(r["role"]))])
    return listed.counts, found, len(listed.links) > offset + PAGE


NAMED_BY_SHOWN = 20  # things listed per kind of link; the count says how many there are


def named_by(backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool) -> list[dict]:
    """Everything else that names the institution, grouped by how (the link's property,
    read from the thing to the institution: a plan's coordinator, a source's publisher),
    with a count and the first NAMED_BY_SHOWN of each; the roles in activities are
    listed by role above them."""
    rows = backend.select(query("named-by", base, o=[checked_iri(iri)]))
    table = fact_graphs(backend, base)
    groups: OrderedDict[str, dict] = OrderedDict()
    for row in rows:
        basis = basis_of(bases_and_sources(table, row.get("graphs"))[0])
        if not visible(basis, inferred) or not isinstance(row["s"], rdflib.URIRef):
            continue
        group = groups.setdefault(
            str(row["p"]), {"property": labels.ref(row["p"]), "count": 0, "items": []}
        )
        group["count"] += 1
        if len(group["items"]) < NAMED_BY_SHOWN:
            group["items"].append({"ref": labels.ref(row["s"]), "basis": basis})
    return list(groups.values())


def partners(
    backend: Backend, base: str, labels: Labeller, iri: str, table: InstitutionTable | None = None
) -> list[dict]:
    """The 20 institutions that share most activities with this one: from the release's
    table where it has one, else asked of the store."""
    listed = table.of(iri) if table is not None else None
    if listed is not None:
        known: Sequence[tuple[str, int]] = listed.partners
    else:
        roles = role_iris()
        rows = backend.select(
            query("partners", base, institution=[checked_iri(iri)], r1=roles, r2=roles)
        )
        known = [(str(r["other"]), int(str(r["shared"]))) for r in rows]
    return [{"ref": labels.ref(other), "shared": n} for other, n in known]


def top_institutions(backend: Backend, base: str, labels: Labeller, limit: int = 40) -> list[dict]:
    text = paged(query("top-institutions", base, role=role_iris()), limit, 0)
    rows = backend.select(text)
    for row in rows:
        labels.prime(str(row["institution"]), {"lv": row.get("lv"), "en": row.get("en")})
    return [
        {"ref": labels.ref(r["institution"]), "activities": number(r["activities"])} for r in rows
    ]


# the order of the Latvian alphabet (Č after C, Š after S); English letters in it as well
ALPHABET = "AĀBCČDEĒFGĢHIĪJKĶLĻMNŅOPQRSŠTUŪVWXYZŽ"
_SKIP = "\"'„“”«»‘’()[]. "


def sort_key(label: str) -> tuple:
    """A name's place in the A–Z: letters in the Latvian alphabet's order, case ignored,
    opening quotes and brackets skipped (a Python sort puts Ā after Z)."""
    text = label.lstrip(_SKIP).upper()
    return tuple((ALPHABET.find(c) if c in ALPHABET else 100 + ord(c), c) for c in text), label


def first_letter(label: str) -> str:
    text = label.lstrip(_SKIP).upper()
    return text[:1] if text[:1] in ALPHABET else "#"


def a_to_z(backend: Backend, base: str, labels: Labeller) -> list[dict]:
    """Every institution by the first letter of its name in the reader's language, each
    with the number of activities it takes part in."""
    rows = backend.select(query("institutions-az", base, role=role_iris()))
    found = []
    for row in rows:
        labels.prime(str(row["institution"]), {"lv": row.get("lv"), "en": row.get("en")})
        found.append((row["institution"], number(row["activities"]) or 0))
    labels.resolve()
    named = sorted(
        ((labels.ref(iri) or {}, n) for iri, n in found), key=lambda e: sort_key(e[0]["label"])
    )
    letters: dict[str, list[dict]] = {}
    for ref, n in named:
        letters.setdefault(first_letter(ref["label"]), []).append({"ref": ref, "activities": n})
    return [{"letter": letter, "institutions": items} for letter, items in letters.items()]


MATRIX_INSTITUTIONS, MATRIX_ACTIVITIES = 40, 150


def matrix(backend: Backend, base: str, labels: Labeller, inferred: bool) -> dict:
    """Rows: the most connected institutions; columns: their activities; cells: the roles.

    Bounded (40 institutions, 150 activities) so that it stays a picture at any scale;
    ``shown`` and ``institutions_total`` say how much is left out.
    """
    top = top_institutions(backend, base, labels, MATRIX_INSTITUTIONS)
    chosen = [rdflib.URIRef(t["ref"]["iri"]) for t in top]
    rows = (
        backend.select(query("roles", base, institution=chosen, role=role_iris())) if chosen else []
    )
    institutions = OrderedDict((t["ref"]["iri"], t["ref"]) for t in top)
    activities: OrderedDict[str, dict] = OrderedDict()
    cells: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        basis = basis_of(row.get("bases"))
        act = str(row["activity"])
        if not visible(basis, inferred):
            continue
        if act not in activities:
            if len(activities) >= MATRIX_ACTIVITIES:
                continue
            labels.prime(act, {"lv": row.get("lv"), "en": row.get("en")})
            ref = labels.ref(act) or {}  # filled in place when labels resolve: not copied
            ref.update(status=status_code(value(row.get("status"))), kind=str(row["kind"]))
            activities[act] = ref
        role = str(row["role"]).rsplit("#", 1)[-1]
        cells.setdefault((str(row["institution"]), act), []).append(
            {"role": role, "name": labels.ref(row["role"]), "basis": basis}
        )
    used = {i for i, _ in cells}
    return {
        "institutions": [ref for iri, ref in institutions.items() if iri in used],
        "activities": list(activities.values()),
        "cells": [{"institution": i, "activity": a, "roles": r} for (i, a), r in cells.items()],
        "limits": {"institutions": MATRIX_INSTITUTIONS, "activities": MATRIX_ACTIVITIES},
    }
