"""Short permalinks for the workbench: ``/q/<12 hex>`` keeps a query and the release it ran on.

A link is the first 12 hex digits of the SHA-256 of the release and the query, so the same
query on the same release always gets the same link, and a link can never point at another
text. The texts are kept as small JSON files beside the build's releases
(``OUT/permalinks/``), written once, atomically, only for a query that ran; at most
MAX_LINKS are kept (past that the workbench offers the long link only). Where the build
folder cannot be written (a read-only deploy), there are no short links and nothing fails.
A service of its own (a URL shortener) would do the same with more to run; no library fits.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

MAX_LINKS = 10_000
TOKEN = re.compile(r"^[0-9a-f]{12}$")


def folder(release: Path) -> Path | None:
    """Where a build folder keeps its links: beside ``releases/`` (None for a release not
    in a build folder)."""
    if release.parent.name != "releases":
        return None
    return release.parent.parent / "permalinks"


def token(text: str, release: str | None) -> str:
    return hashlib.sha256(f"{release or ''}\n{text}".encode()).hexdigest()[:12]


def keep(where: Path | None, text: str, release: str | None) -> str | None:
    """The short link's token for ``text`` on ``release`` (None: the current one), written
    if new; None where links cannot be kept."""
    if where is None:
        return None
    name = token(text, release)
    path = where / f"{name}.json"
    if path.is_file():
        return name
    try:
        where.mkdir(exist_ok=True)
        if sum(1 for _ in where.glob("*.json")) >= MAX_LINKS:
            return None
        with tempfile.NamedTemporaryFile("w", dir=where, suffix=".new", delete=False) as handle:
            json.dump({"query": text, "release": release}, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        return None
    return name


def find(where: Path | None, name: str) -> dict | None:
    """The query and release a short link keeps, or None."""
    if where is None or not TOKEN.match(name):
        return None
    path = where / f"{name}.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("query"), str) else None
