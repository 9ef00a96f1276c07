"""Source tables → facts. One mapper per table, run in dependency order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.mapping.context import Context
from kg.mapping.dataset import describe_dataset
from kg.mapping.documents import map_document_links
from kg.mapping.documents import map_documents
from kg.mapping.documents import map_legal_acts
from kg.mapping.facts import FactSet
from kg.mapping.figures import map_indicators
from kg.mapping.figures import map_observations
from kg.mapping.figures import map_outcomes
from kg.mapping.institutions import map_institutions
from kg.mapping.plan import map_involvements
from kg.mapping.plan import map_measure_statuses
from kg.mapping.plan import map_measures
from kg.mapping.plan import map_reported_counts
from kg.mapping.plan import map_results
from kg.mapping.plan import map_structure
from kg.mapping.programmes import map_deadlines
from kg.mapping.programmes import map_programmes
from kg.mapping.quotes import map_quotes
from kg.mapping.sources import describe_locations
from kg.mapping.sources import map_publishers
from kg.mapping.sources import map_sources
from kg.mapping.vocab import map_concepts
from kg.mapping.vocab import map_periods
from kg.slugs import is_id
from kg.tables.read import Problems
from kg.tables.read import Row
from kg.tables.read import read_tables as read_all
from kg.tables.read import source_root
from kg.tables.schema import Schema
from kg.tables.schema import schema_for
from kg.terms import Ids

__all__ = ["MAPPERS", "map_tables", "read_tables"]

Mapper = Callable[[Context, list[Row]], None]

# file -> mapper, in the order the mappers must run; the tables' columns are their schema's
# (kg.tables.schema: data/csv-metadata.json)
MAPPERS: dict[str, Mapper | None] = {
    "concepts.csv": map_concepts,
    "periods.csv": map_periods,
    "sources.csv": None,  # mapped first, below: everything cites it
    "institutions.csv": map_institutions,
    "documents.csv": map_documents,
    "legal-acts.csv": map_legal_acts,
    "document-links.csv": map_document_links,
    "deadlines.csv": map_deadlines,
    "programmes.csv": map_programmes,
    "structure.csv": map_structure,
    "measures.csv": map_measures,
    "measure-statuses.csv": map_measure_statuses,
    "results.csv": map_results,
    "involvements.csv": map_involvements,
    "reported-counts.csv": map_reported_counts,
    "indicators.csv": map_indicators,
    "observations.csv": map_observations,
    "outcomes.csv": map_outcomes,
    "quotes.csv": None,  # mapped below, once every row it quotes is known
    "dataset.csv": None,  # mapped last, below: it describes the rest
}


def read_tables(
    data_root: Path, problems: Problems, schema: Schema | None = None
) -> dict[str, list[Row]]:
    """Every table of ``data_root`` (a folder of CSV files, or a workbook), by file name in
    the order the mappers run, read as ``schema`` describes it (the data's own or the
    project's: kg.tables.schema)."""
    schema = schema or schema_for(data_root)
    missing = sorted(set(MAPPERS) - set(schema.tables))
    if missing:
        problems.add(schema.path.name, None, None, f"no table described for {', '.join(missing)}")
        return {name: [] for name in MAPPERS}
    read = read_all(data_root, problems, schema)
    return {name: read[name] for name in MAPPERS}


# the cells every IRI is minted from, besides each table's ``id``
_MINTED = {"concepts.csv": ("scheme", "code")}


def check_ids(rows: dict[str, list[Row]], problems: Problems) -> None:
    """Every id is a lower-case ASCII slug (dots allowed, as in ``1.2.3``), checked before
    any IRI is made from it: a cell with a space or a letter outside ASCII was a traceback
    (``Invalid IRI code point``), now a problem naming its file, row and column."""
    for name, table in rows.items():
        for column in ("id", *_MINTED.get(name, ())):
            for row in table:
                value = row.values.get(column)
                if value and not is_id(value):
                    problems.add(
                        row.file,
                        row.line,
                        column,
                        f"id {value!r} is not a lower-case ASCII slug: use the letters a-z, "
                        "digits and hyphens",
                    )


def map_tables(data_root: Path, ids: Ids) -> FactSet:
    """Read every table and map it; raise DataError listing all problems found."""
    problems = Problems()
    schema = schema_for(data_root)
    rows = read_tables(data_root, problems, schema)
    check_ids(rows, problems)
    problems.raise_if_any()
    ctx = Context(ids=ids, facts=FactSet(ids, tables=rows, schema=schema), problems=problems)
    map_sources(ctx, rows["sources.csv"], source_root(data_root))
    for name, mapper in MAPPERS.items():
        if mapper is not None:
            mapper(ctx, rows[name])
    map_quotes(ctx, rows["quotes.csv"])
    map_publishers(ctx, rows["sources.csv"])
    describe_locations(ctx)
    describe_dataset(ctx, rows["dataset.csv"])
    problems.raise_if_any()
    return ctx.facts
