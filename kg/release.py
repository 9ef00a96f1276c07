"""A published release: the one place that knows the release folder's file names.

The build side writes a release (kg.build.pipeline), the serving side reads it (the
backends, the endpoint, the browser); both name its files through this type.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.formats import RDF_FORMATS

LOAD_FILE = "kg.nq"  # the N-Quads dump: what a store loads
CHECKSUMS = "SHA256SUMS"
INFO = "build-info.json"
REPORT = "validation-report.json"
SEARCH_INDEX = "search-index.json"
# each institution's role links and partners (kg.build.institutions)
INSTITUTIONS = "institutions.json"
TABLES_METADATA = "csv-metadata.json"  # the tables' CSVW metadata (kg.build.tables)
TABLES_METADATA_MEDIA = "application/csvm+json"  # IANA's type for CSVW metadata
TABLE_PREFIX = "table."  # a source table: table.<name>.csv
TABLE_MEDIA = "text/csv"
HELD_PREFIX = "source."  # a held source document: source.<id><suffix>
# dump file -> media type, the quad formats first
DUMPS = {f.dump: f.media for f in sorted(RDF_FORMATS, key=lambda f: not f.quads)}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def held_source_name(source: str, path: Path) -> str:
    return f"{HELD_PREFIX}{source}{path.suffix}"


def held_source_id(name: str) -> str | None:
    """``source.km-2021-slides.txt`` → ``km-2021-slides``; None for any other file."""
    if not name.startswith(HELD_PREFIX):
        return None
    return name.removeprefix(HELD_PREFIX).rsplit(".", 1)[0]


def table_name(table: str) -> str:
    """``measures.csv`` → ``table.measures.csv``."""
    return f"{TABLE_PREFIX}{table}"


def is_table_file(name: str) -> bool:
    return name.startswith(TABLE_PREFIX) and name.endswith(".csv")


@dataclass(frozen=True)
class Release:
    """A release folder (``OUT/dist`` or ``OUT/releases/<digest>``)."""

    path: Path

    def load_file(self) -> Path:
        """Its N-Quads dump; FileNotFoundError if it was not built."""
        path = self.path / LOAD_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: run 'kg build' first")
        return path

    def load_store(self) -> ox.Store:
        """Its load file, in an in-memory store."""
        store = ox.Store()
        store.bulk_load(path=str(self.load_file()), format=ox.RdfFormat.N_QUADS)
        return store

    @cached_property
    def info(self) -> dict[str, Any]:
        """What its build recorded (build-info.json); empty for a release made otherwise."""
        path = self.path / INFO
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    @property
    def is_built(self) -> bool:
        return (self.path / INFO).is_file()

    def named_graphs(self) -> frozenset[str]:
        """Its named graphs, as its build recorded them (or as its load file holds them)."""
        if "named_graphs" in self.info:
            return frozenset(self.info["named_graphs"])
        quads = ox.parse(path=str(self.load_file()), format=ox.RdfFormat.N_QUADS)
        return frozenset(
            q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
        )

    @cached_property
    def _sums(self) -> dict[str, str]:
        path = self.path / CHECKSUMS
        lines = path.read_text(encoding="ascii").splitlines() if path.is_file() else []
        return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}

    def checksums(self) -> dict[str, str]:
        """SHA256SUMS: file name -> SHA-256 (empty where there is none); read once, as a
        release never changes."""
        return dict(self._sums)

    def verify(self) -> None:
        """Every file SHA256SUMS names is there with that checksum: a release cut short (a
        truncated dump, a file missing) raises ValueError, naming the file, and is never
        served as whole. A release without SHA256SUMS (made by hand) is taken as it is."""
        for name, digest in sorted(self.checksums().items()):
            path = self.path / name
            if not path.is_file():
                raise ValueError(f"{path}: missing, though {CHECKSUMS} names it")
            if sha256_file(path) != digest:
                raise ValueError(f"{path}: its SHA-256 is not the one {CHECKSUMS} gives")
