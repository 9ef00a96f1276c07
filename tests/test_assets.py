"""Scripts and stylesheets under names that change with their bytes (web.assets): pages name
them so, they are compressed and cached for a year as immutable, in kg serve and in the
static export that nginx serves."""

from __future__ import annotations

import gzip
import re
import urllib.request

import brotli

from kg.config import ROOT
from tests.test_static_export import _get
from tests.test_static_export import site  # noqa: F401  (the export, served by nginx)

STATIC = ROOT / "web" / "static"
HASHED = re.compile(r'(?:href|src)="(/assets/([0-9a-f]{12})/([^"]+))"')


def test_pages_name_every_script_and_stylesheet_by_its_content(client):
    for path in ("/", "/workbench"):
        page = client.get(path).get_data(as_text=True)
        found = HASHED.findall(page)
        assert found, path
        assert "/static/" not in page
        for url, _digest, name in found:
            response = client.get(url)
            assert response.status_code == 200
            assert response.get_data() == (STATIC / name).read_bytes()


def test_an_asset_is_immutable_and_compressed_as_asked(client):
    page = client.get("/workbench").get_data(as_text=True)
    [url] = [u for u, _, name in HASHED.findall(page) if name.endswith("codemirror.js")]
    raw = (STATIC / "vendor" / "codemirror-5.65.18" / "codemirror.js").read_bytes()
    packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert "immutable" in packed.headers["Cache-Control"]
    assert "max-age=31536000" in packed.headers["Cache-Control"]
    assert "Accept-Encoding" in packed.headers["Vary"] and packed.headers["ETag"]
    body = packed.get_data()
    assert brotli.decompress(body) == raw and len(body) < len(raw) // 3
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped.get_data()) == raw
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.get_data() == raw
    again = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_older_name_leads_to_the_current_one_and_unknown_files_are_404(client):
    page = client.get("/").get_data(as_text=True)
    url, digest, name = HASHED.findall(page)[0]
    moved = client.get(f"/assets/000000000000/{name}")
    assert moved.status_code == 308 and moved.headers["Location"].endswith(url)
    assert client.get(f"/assets/{digest}/no-such-file.js").status_code == 404
    assert client.get(f"/assets/{digest}/../../kg/config.py").status_code == 404


def test_the_static_export_serves_assets_immutable_and_precompressed(site):  # noqa: F811
    url, target = site
    page = (target / "index.html").read_text(encoding="utf-8")
    for path, _digest, name in HASHED.findall(page):
        status, _, body, headers = _get(url + path, "*/*")
        assert status == 200 and body == (STATIC / name).read_bytes()
        assert "immutable" in headers.get("Cache-Control", "")
    path = HASHED.findall(page)[0][0]
    request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Content-Encoding") == "gzip"
