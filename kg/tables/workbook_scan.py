"""A workbook's XML parts read as a stream before any library reads them whole.

Why: openpyxl and ElementTree hold a cell's text whole before we can look at it (a cell of
110 M characters took 206 s and 6.6 GB before the process died), and a document type
declaration (entities) in a part ends in a traceback deep inside them. expat, fed in
chunks, lets us refuse a cell past the cap of a CSV field (kg.tables.read.MAX_FIELD_CHARS) as
soon as it passes it, and any DOCTYPE before a single entity is declared, naming the part
and, where the part says it, the cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

from kg.tables.read import MAX_FIELD_CHARS

CHUNK = 64 * 1024
# a cell's element, by local name: XLSX's sheet cell and shared string, ODS's cells
CELLS = {"c", "si", "is", "table-cell", "covered-table-cell"}


class RefusedError(Exception):
    """Why a workbook is not read."""


def refused_part(path: Path, max_chars: int = MAX_FIELD_CHARS) -> str | None:
    """Why the workbook's XML may not be read, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            for part in archive.infolist():
                if part.filename.endswith(".xml") or part.filename.endswith(".rels"):
                    _scan(archive, part.filename, max_chars)
    except RefusedError as exc:
        return str(exc)
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a workbook: {exc}"
    return None


class _Where:
    """Where the scan is: in a cell (its reference, if the part gives one) and how many
    characters of it have passed."""

    cell = ""
    chars = 0
    inside = False


def _scan(archive: zipfile.ZipFile, name: str, max_chars: int) -> None:
    parser = expat.ParserCreate()
    where = _Where()

    def doctype(*_args: object) -> None:
        raise RefusedError(
            f"part {name} declares a document type (entities): save the workbook again "
            "from a spreadsheet program"
        )

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag.rsplit(":", 1)[-1] in CELLS:  # all the text of a cell counts together
            where.inside, where.chars, where.cell = True, 0, attributes.get("r", "")[:12]
        elif not where.inside:
            where.chars = 0

    def end(tag: str) -> None:
        if tag.rsplit(":", 1)[-1] in CELLS:
            where.inside, where.chars = False, 0

    def text(data: str) -> None:
        where.chars += len(data)
        if where.chars > max_chars:
            cell = f", cell {where.cell}" if where.cell else ""
            raise RefusedError(
                f"a cell of more than {max_chars} characters (part {name}{cell}): the tables "
                f"hold at most {max_chars} characters a cell"
            )

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(name) as stream:
        try:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise RefusedError(f"part {name} is not well-formed XML: {exc}") from None
