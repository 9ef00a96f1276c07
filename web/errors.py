"""Errors as pages or JSON; never a traceback, never the raw input unescaped."""

from __future__ import annotations

import re
from typing import NoReturn

from flask import Flask
from flask import abort
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from kg.backends.base import CutAnswerError
from kg.endpoint.errors import EndpointError
from kg.explore.common import Labeller
from kg.explore.resources import exists
from web.conneg import wants_json
from web.i18n import language
from web.i18n import t
from web.words import Words


def _plain() -> bool:
    """JSON when asked for, or when no page can be drawn: a request whose host could not
    be bound has no URL adapter, and every page links to others."""
    return request_ctx.url_adapter is None or wants_json(request)


def missing(key: str, **values: object) -> NoReturn:
    """A 404 whose words are the catalogue's ``key`` (web.words): the page says it in the
    reader's language, the JSON in English."""
    abort(404, description=Words.Key(key, values))


def _words(error: HTTPException) -> tuple[str, str]:
    """What the page says and what the JSON says: a catalogue key in the reader's language
    and in English; else, the page says the catalogue's words for the status (Werkzeug's
    own descriptions are English), the JSON Werkzeug's description."""
    words = current_app.extensions["words"]
    description = error.description
    if isinstance(description, Words.Key):
        return t(description.key, **description.values), words.text(
            "en", description.key, **description.values
        )
    key = "error_404_text" if error.code == 404 else "error_text"
    return t(key), description or ""


def next_steps(error: HTTPException) -> dict:
    """What a reader can do on an error page: search for the words of the address that
    was not found (the header's search box, filled in), go to the nearest page above it
    that exists, or, for a method the address does not take, the methods it does."""
    if error.code == 405:
        allowed = sorted(m for m in (error.valid_methods or []) if m != "OPTIONS")  # type: ignore[attr-defined]
        return {"allowed": ", ".join(allowed), "page": request.path}
    if error.code != 404:
        return {}
    last = request.path.rstrip("/").rsplit("/", 1)[-1][:80]
    words = " ".join(part for part in re.split(r"[-_.~+]+", last) if part and not part.isdigit())
    return {"q": words, "nearest": _nearest(request.path)}


def _nearest(path: str) -> dict | None:
    """The nearest thing above ``/doc/a/b/c`` that the graph holds (``/doc/a/b``, then
    ``/doc/a``), as a labelled link; None if none does or the path is not a thing's."""
    if not path.startswith("/doc/"):
        return None
    state, base = current_app.extensions["kg"], current_app.config["BASE"]
    parts = path[len("/doc/") :].split("/")[:8]
    for end in range(len(parts) - 1, 0, -1):
        iri = f"{base}id/{'/'.join(parts[:end])}"
        try:
            if not exists(state["backend"], base, iri):
                continue
        except (ValueError, EndpointError, TimeoutError):  # not an IRI; or no answer in time
            return None
        labels = Labeller(state["backend"], base, language(), state["labels"])
        ref = labels.ref(iri)
        labels.resolve()
        return ref
    return None


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # the error's own headers (Retry-After, Allow), not its content type
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        shown, message = _words(error)
        if _plain():
            body = jsonify(error=error.name.lower().replace(" ", "_"), message=message)
            return body, error.code, headers
        page = render_template("error.html", error=error, shown=shown, **next_steps(error))
        return page, error.code, headers

    @app.errorhandler(EndpointError)
    @app.errorhandler(TimeoutError)
    def page_failed(error: Exception):
        """A page's query refused or out of time (/sparql answers its own errors)."""
        if not isinstance(error, EndpointError):
            error = EndpointError(503, "timeout", "The page's queries ran out of time.")
        headers = dict(error.headers)
        if error.status == 503:
            headers.setdefault("Retry-After", "60")  # a page too slow is remembered a minute
        if _plain():
            return jsonify(error.payload()), error.status, headers
        words = t("page_too_slow") if error.code == "timeout" else t("error_text")
        page = render_template("error.html", error=None, code=error.status, shown=words)
        return page, error.status, headers

    @app.errorhandler(CutAnswerError)
    def cut_answer(error: CutAnswerError):
        app.logger.error("%s", error)  # the operator's to fix: a setting of the server
        if _plain():
            return jsonify(error="answer_cut", message=str(error)), 503
        return render_template("error.html", error=None, code=503, shown=t("answer_cut")), 503

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error")
        if _plain():
            return jsonify(error="internal_error", message="Internal error"), 500
        return render_template("error.html", error=None), 500
