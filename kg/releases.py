"""Releases you can cite: the ones a build folder keeps, what each holds, and what changed
between two of them (facts added and removed, by graph, and an RDF Patch of it)."""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.release import Release as Folder


@dataclass(frozen=True)
class Release:
    """A release a build folder keeps, as the releases page lists it."""

    id: str  # the folder's name: a digest of its SHA256SUMS
    path: Path
    version: str
    facts: int
    current: bool
    # when the build published it: its folder's time (a release's files never change, and
    # a build of the same bytes keeps the folder it finds); build-info.json holds no time,
    # so that two builds of the same tables give the same bytes
    published: datetime.datetime


def releases(current: Path) -> list[Release]:
    """The releases beside ``current`` (a build's ``dist``), newest first."""
    current = current.resolve()
    folder = current.parent
    if folder.name != "releases":
        return [_release(current, True)]
    found = [
        _release(p, p == current)
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and Folder(p).is_built
    ]
    return sorted(found, key=lambda r: (not r.current, -r.path.stat().st_mtime, r.id))


def _release(path: Path, current: bool) -> Release:
    info = Folder(path).info
    published = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC)
    return Release(
        path.name,
        path,
        str(info.get("version", "")),
        int(info.get("facts", 0)),
        current,
        published.replace(microsecond=0),
    )


def served(current: Path) -> Release:
    """The release ``current`` names (a build's ``dist``, which a new build moves on), read
    once per release folder: a release never changes, and /dumps, /catalog and every
    workbench answer name it."""
    return _served(current.resolve())


@functools.lru_cache(maxsize=8)
def _served(folder: Path) -> Release:
    return _release(folder, True)


def find(current: Path, release_id: str) -> Release | None:
    return next((r for r in releases(current) if r.id == release_id), None)


def _quads(release: Release) -> set[ox.Quad]:
    parsed = ox.parse(path=str(Folder(release.path).load_file()), format=ox.RdfFormat.N_QUADS)
    return {q for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)}


def diff(old: Release, new: Release) -> dict:
    """Facts added and removed from ``old`` to ``new``, counted by graph."""
    before, after = _quads(old), _quads(new)
    added, removed = sorted(after - before, key=str), sorted(before - after, key=str)
    by_graph: Counter[tuple[str, str]] = Counter()
    for kind, quads in (("added", added), ("removed", removed)):
        for quad in quads:
            by_graph[str(quad.graph_name.value), kind] += 1  # type: ignore[union-attr]
    graphs = sorted({graph for graph, _ in by_graph})
    return {
        "from": old.id,
        "to": new.id,
        "added": added,
        "removed": removed,
        "graphs": [
            {"graph": g, "added": by_graph[g, "added"], "removed": by_graph[g, "removed"]}
            for g in graphs
        ],
    }


def by_thing(changes: dict) -> list[dict]:
    """The change in a reader's terms: per thing (subject), per property, the values
    removed and the values added (a value that only moved to another graph, its source
    or basis changed, is counted as ``resourced``, not as removed and added)."""

    def triples(quads: list[ox.Quad]) -> set[tuple]:
        return {(q.subject, q.predicate, q.object) for q in quads}

    added, removed = triples(changes["added"]), triples(changes["removed"])
    moved = added & removed
    things: dict[str, dict] = {}
    for kind, found in (("added", added - moved), ("removed", removed - moved), ("moved", moved)):
        for subject, predicate, value in found:
            thing = things.setdefault(
                str(subject), {"subject": subject, "properties": {}, "resourced": 0}
            )
            if kind == "moved":
                thing["resourced"] += 1
                continue
            entry = thing["properties"].setdefault(
                str(predicate), {"property": predicate, "added": [], "removed": []}
            )
            entry[kind].append(value)
    for thing in things.values():
        for entry in thing["properties"].values():
            entry["added"].sort(key=str)
            entry["removed"].sort(key=str)
        thing["properties"] = [thing["properties"][p] for p in sorted(thing["properties"])]
    return [things[s] for s in sorted(things)]


def rdf_patch(changes: dict) -> str:
    """The change as an RDF Patch (https://afs.github.io/rdf-patch/): deletions, then
    additions, in a transaction."""
    lines = [
        f"H id <urn:lvpolicy:release:{changes['to']}> .",
        f"H prev <urn:lvpolicy:release:{changes['from']}> .",
        "TX .",
    ]
    lines += [f"D {quad} ." for quad in changes["removed"]]
    lines += [f"A {quad} ." for quad in changes["added"]]
    lines.append("TC .")
    return "\n".join(lines) + "\n"
