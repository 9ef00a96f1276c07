"""The dataset's own description (DCAT, VoID, Data Cube structures), in graph/meta."""

from __future__ import annotations

import pyoxigraph as ox

from kg import __version__
from kg.mapping import predicates as P
from kg.mapping.catalog import describe_catalog
from kg.mapping.context import Context
from kg.namespaces import PREFIXES
from kg.namespaces import QB
from kg.tables.read import Row
from kg.terms import plain
from kg.terms import text

# file name -> media type; the build writes exactly these dumps

ONTOLOGY = ox.NamedNode(PREFIXES["lvp"].rstrip("#"))
CC_BY = P.CC_BY


def describe_dataset(ctx: Context, rows: list[Row]) -> None:
    """The dataset's titles and description (dataset.csv: one row, the project's words) and
    the plan the site opens on (``foaf:primaryTopic``)."""
    node = ctx.ids.id("dataset/kg")
    meta = ctx.facts.meta
    meta(node, P.TYPE, P.DCAT_DATASET)
    meta(node, P.TYPE, P.VOID_DATASET)
    if len(rows) != 1:
        line = rows[1].line if len(rows) > 1 else 1
        ctx.problems.add("dataset.csv", line, None, "the table must have exactly one row")
        return
    row = rows[0]
    for column, predicate in (
        ("title", P.DCT_TITLE),
        ("site_title", P.DCT_ALTERNATIVE),
        ("description", P.DCT_DESCRIPTION),
    ):
        for lang in ("lv", "en"):
            if not row[f"{column}_{lang}"]:
                ctx.problem(row, f"{column}_{lang}", "a value is required")
            else:
                meta(node, predicate, text(row[f"{column}_{lang}"], lang))
    focus = ctx.ref(row, "focus", "doc:plan")
    if focus is not None:
        meta(node, P.FOAF_PRIMARY_TOPIC, focus)
    meta(node, P.DCT_LICENSE, CC_BY)
    meta(node, P.DCAT_VERSION, plain(__version__))
    meta(node, P.DCT_CONFORMS_TO, ONTOLOGY)
    meta(ONTOLOGY, P.TYPE, P.DCT_STANDARD)
    meta(node, P.VOID_URI_SPACE, plain(f"{ctx.ids.base}id/"))
    for prefix in ("lvp", "skos", "org", "prov", "qb", "eli", "dcat", "dct"):
        meta(node, P.VOID_VOCABULARY, ox.NamedNode(PREFIXES[prefix]))
    for source in sorted(ctx.known["source"].values(), key=lambda n: n.value):
        meta(node, P.DERIVED_FROM, source)  # documents, not datasets: DCAT-AP's dct:source
    for column in ("publisher_lv", "publisher_en"):
        if not row[column]:
            ctx.problem(row, column, "a value is required")
    describe_catalog(ctx, row, node)
    _cubes(ctx)


# coded dimensions -> the concept scheme their values come from
CODE_LISTS = {
    "lvp:indicator": "indicator",
    "lvp:valueType": "value-type",
    "lvp:refStatus": "implementation-status",
}


def _cubes(ctx: Context) -> None:
    meta = ctx.facts.meta
    for name, dimensions, label_lv, label_en in (
        (
            "outcomes",
            ["lvp:indicator", "sdmx-dimension:refPeriod", "lvp:valueType"],
            "Rādītāju vērtības",
            "Indicator values",
        ),
        (
            "reported-status-counts",
            ["lvp:countsMeasuresOf", "lvp:refStatus"],
            "Ziņotais pasākumu skaits pēc statusa",
            "Reported measure counts by status",
        ),
    ):
        dataset = ctx.ids.id(f"dataset/{name}")
        dsd = ctx.ids.id(f"dsd/{name}")
        meta(dataset, P.TYPE, P.QB_DATASET_CLASS)
        meta(dataset, P.QB_STRUCTURE, dsd)
        meta(dataset, P.PREF, text(label_lv, "lv"))
        meta(dataset, P.PREF, text(label_en, "en"))
        meta(dsd, P.TYPE, ox.NamedNode(str(QB.DataStructureDefinition)))
        meta(dsd, P.PREF, text(f"{label_lv}: datu struktūra", "lv"))
        meta(dsd, P.PREF, text(f"{label_en}: data structure", "en"))
        for order, curie in enumerate(dimensions, start=1):
            prefix, local = curie.split(":")
            component = ctx.ids.id(f"dsd/{name}/component/{local}")
            meta(dsd, ox.NamedNode(str(QB.component)), component)
            meta(component, P.PREF, text(f"{label_lv}: {order}. dimensija", "lv"))
            meta(component, P.PREF, text(f"{label_en}: dimension {order}", "en"))
            meta(component, ox.NamedNode(str(QB.dimension)), ox.NamedNode(PREFIXES[prefix] + local))
            meta(
                component,
                ox.NamedNode(str(QB.order)),
                ox.Literal(
                    str(order), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
                ),
            )
        for curie, scheme in CODE_LISTS.items():
            if curie in dimensions:  # Data Cube IC-5: a coded dimension names its code list
                prefix, local = curie.split(":")
                dimension = ox.NamedNode(PREFIXES[prefix] + local)
                meta(dimension, P.TYPE, ox.NamedNode(str(QB.CodedProperty)))
                meta(dimension, ox.NamedNode(str(QB.codeList)), ctx.ids.concept(scheme))
        measure = ctx.ids.id(f"dsd/{name}/component/obsValue")
        meta(dsd, ox.NamedNode(str(QB.component)), measure)
        meta(measure, P.PREF, text(f"{label_lv}: mērījums", "lv"))
        meta(measure, P.PREF, text(f"{label_en}: measure", "en"))
        meta(measure, ox.NamedNode(str(QB.measure)), P.OBS_VALUE)
