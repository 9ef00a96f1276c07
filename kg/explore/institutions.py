"""An institution's page, and the institution × activity matrix and network."""

from __future__ import annotations

from collections import OrderedDict

from kg.backends.base import Backend
from kg.backends.base import checked_iri
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.common import visible
from kg.explore.plan import status_code
from kg.explore.resources import outbound
from kg.namespaces import PREFIXES
from kg.queries import query

LINKS = (PREFIXES["foaf"] + "homepage", PREFIXES["foaf"] + "page", PREFIXES["rdfs"] + "seeAlso")


def institution(backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool) -> dict:
    bound = [checked_iri(iri)]
    roles: OrderedDict[str, dict] = OrderedDict()
    for row in backend.select(query("institution-roles", base, institution=bound)):
        basis = basis_of(row.get("bases"))
        if not visible(basis, inferred):
            continue
        group = roles.setdefault(str(row["role"]), {"role": labels.ref(row["role"]), "items": []})
        group["items"].append(
            {
                "ref": labels.ref(row["activity"]),
                "basis": basis,
                "status": status_code(value(row.get("status"))),
            }
        )
    partners = [
        {"ref": labels.ref(r["other"]), "shared": number(r["shared"])}
        for r in backend.select(query("partners", base, institution=bound))
    ]
    facts = outbound(backend, base, labels, iri, inferred)
    by_property = {g["property"]["iri"]: g["values"] for g in facts["groups"]}
    return {
        "ref": labels.ref(iri),
        "abbreviations": [v["value"] for v in by_property.get(PREFIXES["skos"] + "altLabel", [])],
        "type": (by_property.get(PREFIXES["org"] + "classification") or [None])[0],
        "parent": (by_property.get(PREFIXES["org"] + "subOrganizationOf") or [None])[0],
        "roles": list(roles.values()),
        "partners": partners,
        "sources": by_property.get(PREFIXES["prov"] + "wasDerivedFrom", []),
        "notes": by_property.get(PREFIXES["skos"] + "editorialNote", []),
        "links": [v for p in LINKS for v in by_property.get(p, [])],
    }


def matrix(backend: Backend, base: str, labels: Labeller, inferred: bool) -> dict:
    """Rows: institutions; columns: activities; cells: the roles, with their basis."""
    rows = backend.select(query("roles", base))
    institutions: OrderedDict[str, dict] = OrderedDict()
    activities: OrderedDict[str, dict] = OrderedDict()
    cells: dict[tuple[str, str], list[dict]] = {}
    labels.fetch([str(r[k]) for r in rows for k in ("activity", "role", "institution")])
    for row in rows:
        basis = basis_of(row.get("bases"))
        if not visible(basis, inferred):
            continue
        inst, act = str(row["institution"]), str(row["activity"])
        institutions.setdefault(inst, labels.ref(inst))
        activities.setdefault(
            act,
            {
                **labels.ref(act),
                "status": status_code(value(row.get("status"))),
                "kind": str(row["kind"]),
            },
        )
        role = str(row["role"]).rsplit("#", 1)[-1]
        cells.setdefault((inst, act), []).append({"role": role, "basis": basis})
    ordered_acts = sorted(activities.values(), key=lambda a: a["iri"])
    return {
        "institutions": list(institutions.values()),
        "activities": ordered_acts,
        "cells": [{"institution": i, "activity": a, "roles": r} for (i, a), r in cells.items()],
    }
