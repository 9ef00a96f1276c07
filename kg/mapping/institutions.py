"""Institutions (institutions.csv): names as stated, types and translations as editorial."""

from __future__ import annotations

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.tables.read import Row
from kg.terms import text

# Types whose members are public bodies (CPOV); the others are formal organisations.
PUBLIC_TYPES = {
    "ministry",
    "government",
    "state-agency",
    "public-foundation",
    "regulator",
    "library",
    "public-media",
    "advisory-council",
    "parliamentary-committee",
}


def map_institutions(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        node = ctx.ids.org(row["id"])
        ctx.register(row, "org", row["id"], node)
        ctx.names[row["id"]] = row["name_en"] or row["name_lv"]
        ctx.names_lv[row["id"]] = row["name_lv"]
    for row in rows:
        if row["id"] in ctx.known["org"]:
            _institution(ctx, row)


def _institution(ctx: Context, row: Row) -> None:
    node = ctx.known["org"][row["id"]]
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or basis is None:
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, P.ORG_ORGANIZATION, cites, basis)
    kind = P.PUBLIC_ORGANISATION if row["type"] in PUBLIC_TYPES else P.ORG_FORMAL
    ctx.facts.editorial(node, P.TYPE, kind)
    if not row["name_lv"]:
        ctx.problem(row, "name_lv", "the Latvian name is required")
    else:
        fact(node, P.PREF, text(row["name_lv"], "lv"), cites, basis)
    ctx.about(row, node, cites, basis).english("name_en", P.PREF)
    if row["abbreviation"]:
        ctx.facts.editorial(node, P.ALT, text(row["abbreviation"], "lv"))
    if row["type"]:
        kind_node = ctx.ref(row, "type", "concept:institution-type")
        if kind_node is not None:
            ctx.facts.editorial(node, P.ORG_CLASSIFICATION, kind_node)
    if row["parent"]:
        parent = ctx.ref(row, "parent", "org")
        parent_basis = ctx.basis(row, "parent_basis")
        if parent is not None and parent_basis is not None:
            fact(node, P.ORG_SUB_OF, parent, cites, parent_basis)
    org = ctx.about(row, node, cites, basis)
    org.note()
    org.sourced()
