"""The site's scripts and stylesheets under names that change with their content
(``/assets/<digest>/<path>``): cached for a year as immutable, compressed once per process.

A page names each file through ``asset(path)``, so a new release of a file is a new URL and
no reader keeps an old copy; the file's bytes never change under a name, so a browser need
never ask again (``immutable``), and the 400 KB editor script crosses the network once, as
brotli (about 100 KB). A URL whose digest is not the file's current one (a page cached
before a deploy) is redirected to the current name. ``/static/<path>`` still serves each
file as Flask does, for links from outside. No library serves hashed, precompressed assets
for Flask without a build step (Flask-Assets bundles, WhiteNoise is for WSGI apps without
Flask's routing), so this is the project's own: a dozen files, read once.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from flask import Flask
from flask import Response
from flask import abort
from flask import redirect
from flask import request

from web.caching import encode
from web.conneg import coding

YEAR_S = 365 * 24 * 3600
PREFIX = "/assets"
COMPRESSED = (".css", ".js", ".svg")


@dataclass
class Asset:
    path: str  # under the static folder: ``vendor/codemirror-5.65.18/codemirror.js``
    body: bytes
    sha256: str  # hex, made once: every answer names it (X-Content-SHA256 → the ETag)
    encoded: dict[str, bytes] = field(default_factory=dict)  # coding → bytes, made once

    @property
    def digest(self) -> str:
        """The name's part that changes with the content: 12 hex digits of its SHA-256."""
        return self.sha256[:12]

    @property
    def url(self) -> str:
        return f"{PREFIX}/{self.digest}/{self.path}"

    def coded(self, encoding: str | None) -> bytes:
        if encoding is None or not self.path.endswith(COMPRESSED):
            return self.body
        if encoding not in self.encoded:
            self.encoded[encoding] = encode(self.body, encoding, best=True)
        return self.encoded[encoding]


def read_assets(folder: Path) -> dict[str, Asset]:
    """Every file of the static folder, by its path under it."""
    found = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        body = file.read_bytes()
        path = file.relative_to(folder).as_posix()
        found[path] = Asset(path, body, hashlib.sha256(body).hexdigest())
    return found


def init_app(app: Flask) -> None:
    assets = read_assets(Path(app.static_folder or "static"))
    app.extensions["assets"] = assets

    def asset(path: str) -> str:
        """The immutable URL of a static file (a KeyError names a file that is not there)."""
        return assets[path].url

    app.jinja_env.globals["asset"] = asset

    @app.route(f"{PREFIX}/<digest>/<path:path>")
    def hashed(digest: str, path: str) -> Response:
        found = assets.get(path)
        if found is None:
            abort(404)
        if digest != found.digest:  # named by an older copy: the current one
            return redirect(found.url, 308)  # type: ignore[return-value]
        encoding = coding(request, ["br", "gzip"]) if path.endswith(COMPRESSED) else None
        response = Response(found.coded(encoding), mimetype=_media_type(path))
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Cache-Control"] = f"public, max-age={YEAR_S}, immutable"
        response.headers["X-Content-SHA256"] = found.sha256
        return response


def _media_type(path: str) -> str:
    guessed, _ = mimetypes.guess_type(path)
    if path.endswith(".js"):
        return "text/javascript"
    return guessed or "application/octet-stream"
