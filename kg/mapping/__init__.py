"""Source tables → facts. One mapper per table, run in dependency order."""

from __future__ import annotations

from pathlib import Path

from kg.facts import FactSet
from kg.mapping.context import Context
from kg.mapping.dataset import DATASET
from kg.mapping.dataset import describe_dataset
from kg.mapping.documents import DOCUMENT_LINKS
from kg.mapping.documents import DOCUMENTS
from kg.mapping.documents import LEGAL_ACTS
from kg.mapping.documents import map_document_links
from kg.mapping.documents import map_documents
from kg.mapping.documents import map_legal_acts
from kg.mapping.figures import INDICATORS
from kg.mapping.figures import OBSERVATIONS
from kg.mapping.figures import OUTCOMES
from kg.mapping.figures import map_indicators
from kg.mapping.figures import map_observations
from kg.mapping.figures import map_outcomes
from kg.mapping.institutions import INSTITUTIONS
from kg.mapping.institutions import map_institutions
from kg.mapping.plan import INVOLVEMENTS
from kg.mapping.plan import MEASURES
from kg.mapping.plan import REPORTED_COUNTS
from kg.mapping.plan import RESULTS
from kg.mapping.plan import STRUCTURE
from kg.mapping.plan import map_involvements
from kg.mapping.plan import map_measures
from kg.mapping.plan import map_reported_counts
from kg.mapping.plan import map_results
from kg.mapping.plan import map_structure
from kg.mapping.programmes import DEADLINES
from kg.mapping.programmes import PROGRAMMES
from kg.mapping.programmes import map_deadlines
from kg.mapping.programmes import map_programmes
from kg.mapping.quotes import QUOTES
from kg.mapping.quotes import map_quotes
from kg.mapping.sources import SOURCES
from kg.mapping.sources import describe_locations
from kg.mapping.sources import map_publishers
from kg.mapping.sources import map_sources
from kg.mapping.vocab import CONCEPTS
from kg.mapping.vocab import PERIODS
from kg.mapping.vocab import map_concepts
from kg.mapping.vocab import map_periods
from kg.tables import Problems
from kg.tables import Row
from kg.tables import read_table
from kg.tables import source_root
from kg.terms import Ids

__all__ = ["CELL_TYPES", "TABLES", "map_tables", "read_tables"]

# file -> (columns, mapper), in the order the mappers must run
TABLES = {
    "concepts.csv": (CONCEPTS, map_concepts),
    "periods.csv": (PERIODS, map_periods),
    "sources.csv": (SOURCES, None),  # mapped first, below: everything cites it
    "institutions.csv": (INSTITUTIONS, map_institutions),
    "documents.csv": (DOCUMENTS, map_documents),
    "legal-acts.csv": (LEGAL_ACTS, map_legal_acts),
    "document-links.csv": (DOCUMENT_LINKS, map_document_links),
    "deadlines.csv": (DEADLINES, map_deadlines),
    "programmes.csv": (PROGRAMMES, map_programmes),
    "structure.csv": (STRUCTURE, map_structure),
    "measures.csv": (MEASURES, map_measures),
    "results.csv": (RESULTS, map_results),
    "involvements.csv": (INVOLVEMENTS, map_involvements),
    "reported-counts.csv": (REPORTED_COUNTS, map_reported_counts),
    "indicators.csv": (INDICATORS, map_indicators),
    "observations.csv": (OBSERVATIONS, map_observations),
    "outcomes.csv": (OUTCOMES, map_outcomes),
    "quotes.csv": (QUOTES, None),  # mapped below, once every row it quotes is known
    "dataset.csv": (DATASET, None),  # mapped last, below: it describes the rest
}


# file -> column -> "number" or "date": cells read in a spreadsheet's forms too (kg.cells)
CELL_TYPES = {
    "observations.csv": {"value": "number", "precision": "number"},
    "reported-counts.csv": {"value": "number"},
    "documents.csv": {"date": "date"},
    "legal-acts.csv": {"date": "date", "publication_date": "date"},
    "periods.csv": {"start": "date", "end": "date"},
    "sources.csv": {"date": "date", "read": "date"},
    "measures.csv": {"deadline": "date"},
    "deadlines.csv": {"due": "date"},
}


def read_tables(data_root: Path, problems: Problems) -> dict[str, list[Row]]:
    """Every table of ``data_root`` (a folder of CSV files, or a workbook), by file name."""
    return {
        name: read_table(data_root, name, columns, problems, CELL_TYPES.get(name))
        for name, (columns, _) in TABLES.items()
    }


def map_tables(data_root: Path, ids: Ids) -> FactSet:
    """Read every table and map it; raise DataError listing all problems found."""
    problems = Problems()
    rows = read_tables(data_root, problems)
    problems.raise_if_any()
    ctx = Context(ids=ids, facts=FactSet(ids), problems=problems)
    map_sources(ctx, rows["sources.csv"], source_root(data_root))
    for name, (_, mapper) in TABLES.items():
        if mapper is not None:
            mapper(ctx, rows[name])
    map_quotes(ctx, rows["quotes.csv"])
    map_publishers(ctx, rows["sources.csv"])
    describe_locations(ctx)
    describe_dataset(ctx, rows["dataset.csv"])
    problems.raise_if_any()
    return ctx.facts
