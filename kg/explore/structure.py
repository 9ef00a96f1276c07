"""A plan's direction or goal: where it sits (the breadcrumb) and the institutions in the
measures and results under it."""

from __future__ import annotations

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import number
from kg.queries import checked_iri
from kg.queries import query


def trail(backend: Backend, base: str, labels: Labeller, iri: str) -> list[dict]:
    """The plan, then (for a goal) the direction: the pages above this one."""
    rows = backend.select(query("structure-place", base, node=[checked_iri(iri)]))
    if not rows:
        return []
    steps = [labels.ref(rows[0][key]) for key in ("plan", "direction") if key in rows[0]]
    return [step for step in steps if step is not None]


def institutions(backend: Backend, base: str, labels: Labeller, iri: str) -> list[dict]:
    """The institutions in the activities under ``iri``, most activities first (40)."""
    rows = backend.select(query("structure-institutions", base, node=[checked_iri(iri)]))
    return [
        {"ref": labels.ref(r["institution"]), "activities": number(r["activities"])} for r in rows
    ]
