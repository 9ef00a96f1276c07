"""``/def``: the vocabulary, its whole ontology in every RDF format, and a documentation
page with a section per term (``/def#Goal``); ``/def/<version>`` for the version IRI."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import request

from kg import __version__
from kg.explore.vocabulary import vocabulary
from kg.queries import query
from web.conneg import RDF_TYPES
from web.conneg import SUFFIXES
from web.conneg import choose
from web.conneg import not_acceptable
from web.conneg import offered
from web.conneg import rdf_response
from web.errors import missing
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import page

bp = Blueprint("vocabulary", __name__)


@bp.route("/def")
@bp.route("/def.<suffix>")
@bp.route("/def/<version>")
def ontology(suffix: str | None = None, version: str | None = None):
    if version is not None:
        stem, _, ext = version.rpartition(".")
        if ext in SUFFIXES and stem:
            version, suffix = stem, ext
        if version != __version__:
            missing("other_vocabulary_version", version=__version__)
    if suffix is not None and suffix not in SUFFIXES:
        abort(404)
    media = choose(request, suffix)
    if media is None:
        return not_acceptable(offered())
    if media in RDF_TYPES:
        response = rdf_response(backend().construct_triples(query("ontology", base())), media)
    else:
        data = memo("vocabulary", lambda: vocabulary(backend(), base(), labeller()))
        data = {**data, "version": __version__}
        response = page(request, "vocabulary.html", data, media == "application/json")
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'</def.{ext}>; rel="alternate"; type="{media_type}"'
        for media_type, (_, ext) in RDF_TYPES.items()
    )
    return response
