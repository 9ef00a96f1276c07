"""``/releases``: the releases this server keeps, each downloadable, and what changed
between two of them (facts by graph, and an RDF Patch to download)."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import abort
from flask import request
from flask import send_from_directory

from kg import releases as kept
from kg.backends.base import to_rdflib
from kg.explore.resources import term
from web.errors import missing
from web.query_service import metered
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import page
from web.views._shared import pages
from web.views.dumps import FILES
from web.views.dumps import MEDIA

bp = Blueprint("releases", __name__)
SHOWN = 200  # facts listed on a diff page; the patch has them all


def _find(release_id: str) -> kept.Release:
    found = kept.find(kg()["release"], release_id)
    if found is None:
        missing("no_such_release")
    return found


@pages(bp, "/releases", "index")
def index(as_json: bool):
    listed = [
        {
            "id": r.id,
            "version": r.version,
            "facts": r.facts,
            "current": r.current,
            "published": r.published.isoformat(),
        }
        for r in kept.releases(kg()["release"])
    ]
    return page(request, "releases.html", {"releases": listed}, as_json)


@bp.route("/releases/<release_id>/dumps/<name>")
def download(release_id: str, name: str):
    if name not in FILES:  # an allow-list: no path from the request reaches the disk
        abort(404)
    release = _find(release_id)
    return send_from_directory(release.path, name, mimetype=MEDIA[name], etag=False)


def _changes(a: kept.Release, b: kept.Release) -> dict:
    """The facts added and removed: two releases loaded and compared, so the request
    counts against its client's budget like a query."""
    with metered():
        return memo("diff", lambda: kept.diff(a, b), a.id, b.id)


THINGS_SHOWN = 100  # things whose changes a diff page lists; the patch has them all
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def _in_words(things: list[dict]) -> list[dict]:
    """Each changed thing (kept.by_thing) with its label, each property with its label and
    its values before and after; a thing gone from the graph is named by its label in the
    diff."""
    labels = labeller()
    for thing in things:  # the newest label first: a label changed is named as it is now
        for entry in thing["properties"]:
            if str(entry["property"]) == LABEL:
                for kind in ("added", "removed"):
                    named = {v.language or "": v.value for v in entry[kind] if v.language}
                    labels.prime(str(thing["subject"]), named)
    return [
        {
            "ref": labels.ref(to_rdflib(thing["subject"])),
            "resourced": thing["resourced"],
            "properties": [
                {
                    "property": labels.ref(to_rdflib(entry["property"])),
                    "added": [term(labels, to_rdflib(v)) for v in entry["added"]],
                    "removed": [term(labels, to_rdflib(v)) for v in entry["removed"]],
                }
                for entry in thing["properties"]
            ],
        }
        for thing in things
    ]


@pages(bp, "/releases/<old>/diff/<new>", "diff")
def diff(as_json: bool, old: str, new: str):
    a, b = _find(old), _find(new)
    changes = _changes(a, b)
    things = kept.by_thing(changes)
    labels = labeller()
    data = {
        "things": _in_words(things[:THINGS_SHOWN]),
        "things_total": len(things),
        "from": changes["from"],
        "to": changes["to"],
        "from_published": a.published.isoformat(),
        "to_published": b.published.isoformat(),
        "graphs": [{**g, "ref": labels.ref(g["graph"])} for g in changes["graphs"]],
        "counts": {"added": len(changes["added"]), "removed": len(changes["removed"])},
        "added": [str(q) for q in changes["added"][:SHOWN]],
        "removed": [str(q) for q in changes["removed"][:SHOWN]],
        "patch": f"/releases/{old}/diff/{new}.rdfp",
    }
    return page(request, "release-diff.html", data, as_json)


@bp.route("/releases/<old>/diff/<new>.rdfp")
def patch(old: str, new: str):
    changes = _changes(_find(old), _find(new))
    return Response(kept.rdf_patch(changes), mimetype="application/rdf-patch")
