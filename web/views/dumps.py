"""The build's dumps: a list with size and checksum, and the files themselves."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import request
from flask import send_from_directory

from kg import releases as kept
from kg.release import CHECKSUMS
from kg.release import DUMPS
from kg.release import INFO
from kg.release import INSTITUTIONS
from kg.release import REPORT
from kg.release import SEARCH_INDEX
from kg.release import TABLE_MEDIA
from kg.release import TABLES_METADATA as METADATA
from kg.release import TABLES_METADATA_MEDIA as METADATA_MEDIA
from kg.release import held_source_id
from kg.release import is_table_file
from web.conneg import coding
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import page
from web.views._shared import pages

bp = Blueprint("dumps", __name__)
DUMP_NAMES = set(DUMPS)

FILES = {
    **{n: "RDF" for n in DUMPS},
    CHECKSUMS: "checksums",
    REPORT: "SHACL report",
    INFO: "build",
    METADATA: "tables",
    SEARCH_INDEX: "search index",
    INSTITUTIONS: "institutions",
}
MEDIA = {
    **DUMPS,
    METADATA: METADATA_MEDIA,
    SEARCH_INDEX: "application/json",
    INSTITUTIONS: "application/json",
    CHECKSUMS: "text/plain",
    REPORT: "application/json",
    INFO: "application/json",
}


LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # the dataset's dct:license


def release_facts(release_id: str | None = None) -> dict:
    """What a publisher cites beside a download: the licence, and the release served (or
    the kept one ``release_id`` names), with when it was published, its version and its
    number of facts."""
    served = kept.served(kg()["release"])
    if release_id is not None and release_id != served.id:
        served = kept.find(kg()["release"], release_id) or served
    return {
        "licence": labeller().ref(LICENCE),
        "id": served.id,
        "version": served.version,
        "facts": served.facts,
        "published": served.published.isoformat(),
    }


def checksums() -> dict[str, str]:
    """The current release's SHA256SUMS: file name -> SHA-256."""
    return kg()["files"].checksums()


@pages(bp, "/dumps", "index")
def index(as_json: bool):
    release, sums = kg()["release"], checksums()
    files = [
        {
            "name": name,
            "kind": kind,
            "media_type": MEDIA[name],
            "bytes": (release / name).stat().st_size,
            "sha256": sums.get(name),
        }
        for name, kind in FILES.items()
        if (release / name).is_file()
    ]
    files += [
        {
            "name": name,
            "kind": "table",
            "media_type": TABLE_MEDIA,
            "bytes": (release / name).stat().st_size,
            "sha256": digest,
        }
        for name, digest in sorted(sums.items())
        if is_table_file(name)
    ]
    listed = {f["name"] for f in files}
    files += [  # the rest SHA256SUMS lists: gzip twins, held source documents
        {
            "name": name,
            "kind": "other",
            "media_type": _media_of(name),
            "bytes": (release / name).stat().st_size,
            "sha256": digest,
        }
        for name, digest in sorted(sums.items())
        if name not in listed and (release / name).is_file()
    ]
    return page(request, "dumps.html", {"files": files, "release": release_facts()}, as_json)


def _media_of(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"
    return "text/plain" if name.endswith(".txt") else "application/octet-stream"


@bp.route("/dumps/<path:name>")
def download(name: str):
    """A dump; to a client that accepts gzip, its precompressed twin (``kg.nt.gz``), sent
    as the same document with ``Content-Encoding: gzip``. ``NAME.gz`` itself downloads too."""
    packed = name.endswith(".gz") and name.removesuffix(".gz") in DUMP_NAMES
    release, sums = kg()["release"], checksums()
    if name in held_sources(sums).values():
        return _held_source(release, name, sums[name])
    if is_table_file(name) and name in sums:  # a table of the release (SHA256SUMS lists it)
        return _table(release, name, sums[name])
    if name not in FILES and not packed:  # an allow-list: no path from the request reaches disk
        abort(404)
    gzipped = not packed and name in DUMP_NAMES and coding(request, ["gzip"]) == "gzip"
    if gzipped and (release / f"{name}.gz").is_file():
        response = send_from_directory(release, f"{name}.gz", mimetype=MEDIA[name], etag=False)
        response.headers["Content-Encoding"] = "gzip"
        digest = sums.get(f"{name}.gz")
    else:
        media = "application/gzip" if packed else MEDIA[name]
        response = send_from_directory(release, name, mimetype=media, etag=False)
        digest = sums.get(name)
    response.headers["Vary"] = "Accept-Encoding"
    if digest is not None:  # the file's SHA-256 names it: web.caching's ETag
        response.headers["X-Content-SHA256"] = digest
    return response


def held_sources(sums: dict[str, str]) -> dict[str, str]:
    """The source documents the release holds a copy of (named in its SHA256SUMS): file
    name by source id."""
    found = {held_source_id(name): name for name in sorted(sums)}
    return {source: name for source, name in found.items() if source is not None}


def _table(release, name: str, digest: str):
    response = send_from_directory(
        release,
        name,
        mimetype=f"{TABLE_MEDIA}; header=present",
        etag=False,  # charset: Werkzeug
    )
    response.headers["X-Content-SHA256"] = digest
    # a CSVW processor finds the tables' schema from the table (CSVW §5.2)
    response.headers["Link"] = f'<{METADATA}>; rel="describedby"; type="{METADATA_MEDIA}"'
    return response


def _held_source(release, name: str, digest: str):
    # "text/plain": Werkzeug adds "; charset=utf-8" to a text type itself (once)
    response = send_from_directory(release, name, mimetype=_media_of(name), etag=False)
    response.headers["X-Content-SHA256"] = digest
    return response
