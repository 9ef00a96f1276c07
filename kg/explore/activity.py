"""A measure or reported result: status, place in the plan, institutions by role, outcomes,
figures and sources."""

from __future__ import annotations

import rdflib

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import in_language
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.plan import status_code
from kg.explore.resources import outbound
from kg.explore.resources import term
from kg.explore.roles import ROLE_ORDER
from kg.namespaces import LVP
from kg.namespaces import PREFIXES
from kg.queries import checked_iri
from kg.queries import query


def activity(backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool) -> dict:
    facts = outbound(backend, base, labels, iri, inferred)
    by_property = {g["property"]["iri"]: g["values"] for g in facts["groups"]}

    def first(prop: str) -> dict | None:
        values = by_property.get(prop)
        return values[0] if values else None

    roles = [
        {"role": labels.ref(str(LVP[name])), "institutions": by_property[str(LVP[name])]}
        for name in ROLE_ORDER
        if str(LVP[name]) in by_property
    ]
    for group in roles:  # each role's sources as things with their labels, not bare IRIs
        for institution in group["institutions"]:
            institution["cited"] = [
                term(labels, rdflib.URIRef(s)) for s in institution.get("sources", [])
            ]
    status = first(str(LVP.implementationStatus))
    if status:
        status["code"] = status_code(status["iri"])
    place = _place(backend, base, labels, iri)
    return {
        "ref": labels.ref(iri),
        "notation": (first(PREFIXES["skos"] + "notation") or {}).get("value"),
        "status": status,
        "plan": place.get("plan"),
        # a result names its direction and goal; a measure sits under them in the structure
        "direction": first(str(LVP.reportedUnderDirection)) or place.get("direction"),
        "goal": first(str(LVP.contributesToGoal)) or place.get("goal"),
        "deadline": first(PREFIXES["dct"] + "date"),
        "programme": first(str(LVP.programme)),
        "roles": roles,
        "notes": in_language(by_property.get(PREFIXES["skos"] + "editorialNote", []), labels.lang),
        "sources": by_property.get(PREFIXES["prov"] + "wasDerivedFrom", []),
        "outcomes": outcomes(backend, base, iri),
        "figures": figures(backend, base, labels, iri),
    }


def _place(backend: Backend, base: str, labels: Labeller, iri: str) -> dict:
    """The plan, and for a measure its direction and goal, each a ref with a basis."""
    rows = backend.select(query("place", base, activity=[checked_iri(iri)]))
    if not rows:
        return {}
    basis = basis_of(rows[0].get("bases"))
    found = {}
    for key in ("plan", "direction", "goal"):
        ref = labels.ref(rows[0].get(key))
        if ref is not None:
            ref["basis"] = basis if key != "plan" else "stated"
            found[key] = ref
    return found


def outcomes(backend: Backend, base: str, iri: str) -> list[dict]:
    rows = backend.select(query("outcomes", base, activity=[checked_iri(iri)]))
    return [
        {"iri": str(r["outcome"]), "quote": str(r["quote"]), "text": value(r.get("text"))}
        for r in rows
    ]


def figures(backend: Backend, base: str, labels: Labeller, iri: str) -> list[dict]:
    rows = backend.select(query("activity-figures", base, activity=[checked_iri(iri)]))
    from kg.explore.figures import sources_of

    return [{**figure_row(labels, r), "sources": sources_of(labels, r)} for r in rows]


def figure_row(labels: Labeller, row: dict) -> dict:
    return {
        "observation": str(row["obs"]),
        "indicator": labels.ref(row["indicator"]),
        "value": number(row["value"]),
        "unit": labels.ref(row.get("unit")),
        "period": labels.ref(row.get("period")),
        "value_type": labels.ref(row.get("valueType")),
        "printed": value(row.get("printed")),
    }
