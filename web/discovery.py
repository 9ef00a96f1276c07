"""What search engines and crawlers read: schema.org ``Dataset`` JSON-LD on the pages about
the dataset, ``<link rel="alternate">`` for a page's RDF forms, ``/sitemap.xml`` and
``/robots.txt``."""

from __future__ import annotations

import json

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from kg.formats import RDF_FORMATS
from kg.queries import query

bp = Blueprint("discovery", __name__)
DATASET_PAGES = ("/", "/dumps", "/catalog", "/doc/dataset/kg")
RDF_PAGES = ("/doc/", "/graph/")


def rdf_alternates() -> list[tuple[str, str]]:
    """(media type, href) of the page's RDF forms, for ``<link rel="alternate">``."""
    path = request.path.removesuffix(".json").removesuffix(".html")
    if not (path.startswith(RDF_PAGES) or path in ("/def", "/catalog")):
        return []
    return [(f.media, f"{path}.{f.suffix}") for f in RDF_FORMATS if not f.quads]


def dataset_jsonld() -> Markup | None:
    """schema.org Dataset, on the pages about the dataset (what dataset search reads)."""
    if request.path not in DATASET_PAGES:
        return None
    state = current_app.extensions["kg"]
    if "schema_dataset" not in state:
        state["schema_dataset"] = _dataset(current_app.config["BASE"])
    return script_json(state["schema_dataset"])


def script_json(value: object) -> Markup:
    """JSON safe inside ``<script>``: Jinja's HTML-safe JSON (``<``, ``>``, ``&`` and ``'``
    as escapes, so neither ``</script>`` nor ``<!--`` can end or hide the block), with
    U+2028 and U+2029 escaped too (line ends to older JavaScript)."""
    text = htmlsafe_json_dumps(value, dumps=json.dumps, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # noqa: S704


def _dataset(base: str) -> dict:
    rows = current_app.extensions["kg"]["backend"].select(query("dataset-summary", base))
    names = {r["title"].language: str(r["title"]) for r in rows if "title" in r}
    texts = {r["description"].language: str(r["description"]) for r in rows if "description" in r}
    start = next((str(r["start"]) for r in rows if "start" in r), None)
    end = next((str(r["end"]) for r in rows if "end" in r), None)
    publisher = next(
        (str(r["publisher"]) for r in rows if "publisher" in r and r["publisher"].language == "en"),
        None,
    )
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{base}id/dataset/kg",
        "name": names.get("en") or names.get("lv"),
        "alternateName": names.get("lv"),
        "description": texts.get("en") or texts.get("lv"),
        "url": base,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "inLanguage": ["lv", "en"],
        "keywords": sorted({str(r["keyword"]) for r in rows if "keyword" in r}),
        "spatialCoverage": {"@type": "Place", "name": "Latvia"},
        "temporalCoverage": f"{start}/{end}" if start and end else None,
        "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": f.media,
                "contentUrl": f"{base}dumps/{f.dump}",
            }
            for f in RDF_FORMATS
        ],
    }


@bp.route("/robots.txt")
def robots() -> Response:
    from kg.export_site import robots as robots_txt

    return Response(robots_txt(current_app.config["BASE"]), mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    """Every page of the release (as kg export-site writes them)."""
    from kg.export_site import pages
    from kg.export_site import sitemap as sitemap_xml

    state = current_app.extensions["kg"]
    base = current_app.config["BASE"]
    if "sitemap" not in state:
        state["sitemap"] = sitemap_xml(base, pages(state["backend"], base))
    return Response(state["sitemap"], mimetype="application/xml")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["rdf_alternates"] = rdf_alternates
    app.jinja_env.globals["dataset_jsonld"] = dataset_jsonld
    app.register_blueprint(bp)
