"""Headers on every response: a CSP without inline scripts, nosniff, no framing (but for
the workbench's embeddable result)."""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# the workbench's embeddable result (web.views.workbench.embed): any site may frame it; it
# runs no script and submits no form
EMBED_CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors *; form-action 'none'"
)


def init_app(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        embeddable = g.get("embeddable", False)
        response.headers["Content-Security-Policy"] = EMBED_CSP if embeddable else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not embeddable:
            response.headers["X-Frame-Options"] = "DENY"
        return response
