"""Errors as pages or JSON; never a traceback, never the raw input unescaped."""

from __future__ import annotations

from flask import Flask
from flask import jsonify
from flask import render_template
from flask import request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from web.conneg import wants_json


def _plain() -> bool:
    """JSON when asked for, or when no page can be drawn: a request whose host could not
    be bound has no URL adapter, and every page links to others."""
    return request_ctx.url_adapter is None or wants_json(request)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # the error's own headers (Retry-After, Allow), not its content type
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if _plain():
            body = jsonify(error=error.name.lower().replace(" ", "_"), message=error.description)
            return body, error.code, headers
        return render_template("error.html", error=error), error.code, headers

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error")
        if _plain():
            return jsonify(error="internal_error", message="Internal error"), 500
        return render_template("error.html", error=None), 500
