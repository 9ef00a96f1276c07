"""IRIs under the configured base map to pages of this server, whatever host serves it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask import current_app


def local_path(iri: str) -> str | None:
    """``{base}id/x`` → ``/doc/x``; ``{base}graph/x`` → ``/graph/x``; the ontology → ``/def``."""
    base = current_app.config["BASE"]
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.startswith("id/"):
        return "/doc/" + rest[3:]
    if rest.startswith("graph/"):
        return "/" + rest
    if rest == "def" or rest.startswith("def#"):
        return "/def" + ("#" + rest[4:] if rest.startswith("def#") else "")
    return None


def href(iri: str | None) -> str | None:
    """Where a link to ``iri`` goes: a local page, an external http(s) URL, or nowhere.

    Only http and https IRIs become links (checked on the parsed scheme, so
    ``JavaScript:``, ``data:`` or a leading control character never do).
    """
    if not iri:
        return None
    local = local_path(iri)
    if local:
        return local
    if iri != iri.strip() or any(ord(c) < 32 for c in iri):
        return None
    parts = urlsplit(iri)
    if parts.scheme in ("http", "https") and parts.netloc:
        return iri
    return None


def iri_of(path: str) -> str:
    """The IRI a ``/doc/<path>`` page is about."""
    return f"{current_app.config['BASE']}id/{path}"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["href"] = href
