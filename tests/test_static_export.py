"""``kg export-site``: the browser as static files, served by Debian's nginx on 127.0.0.1
with the server block the export writes, answers as ``kg serve`` does: the same bytes for
each page, language and ``Accept``, and the 303 from ``/id/``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kg.config import DEFAULT_BASE
from kg.export_site import AGGREGATES
from kg.serving import export_site
from tests.web_fixtures import free_port
from web import create_app

ACCEPTS = [
    "text/html",
    "application/json",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
]
SAMPLE = [
    *AGGREGATES,
    "/plans/nipsipp-2019-2020/tree",
    "/doc/org/kulturas-ministrija",
    "/doc/plan/nipsipp-2019-2020",
    "/doc/plan/nipsipp-2019-2020/result/d2-lsm",
    "/doc/plan/nipsipp-2019-2020/goal/2-4",
    "/doc/observation/lsm-lv-avg-monthly-unique-visitors-2019-2020",
    "/graph/km-2021-slides/slide-7/stated",
]


def _nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        pytest.fail("nginx is needed (Debian's nginx: tests/system-packages.sh installs it)")
    return found


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    target = folder / "export"
    counts = export_site(built.release, DEFAULT_BASE, target)
    assert counts["html"] > 100
    port = free_port()
    conf = folder / "nginx.conf"
    temp = folder / "tmp"
    temp.mkdir()
    conf.write_text(
        # as root, nginx's workers would run as nobody, who cannot read pytest's folders
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fcgi; uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  server {{ listen 127.0.0.1:{port}; root {target}; include {target}/nginx.conf; }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen([_nginx(), "-c", str(conf)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "error.log"
                raise RuntimeError(log.read_text() if log.exists() else "nginx") from None
            time.sleep(0.1)
    try:
        yield url, target
    finally:
        process.terminate()
        process.wait(10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, accept: str) -> tuple[int, str, bytes, dict]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with opener.open(request, timeout=10) as response:
            return (
                response.status,
                response.headers.get_content_type(),
                response.read(),
                dict(response.headers),
            )
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read(), dict(error.headers)


@pytest.fixture(scope="module")
def served(built):
    return create_app({"TESTING": True, "RELEASE": str(built.release)}).test_client()


def test_nginx_serves_the_export_as_kg_serve_answers(site, served):
    url, _ = site
    checked = 0
    for path in SAMPLE:
        for accept in ACCEPTS:
            for lang in ("lv", "en"):
                expected = served.get(path, query_string={"lang": lang}, headers={"Accept": accept})
                if expected.status_code != 200:
                    continue
                rdf = expected.mimetype not in ("text/html", "application/json")
                if rdf and lang == "en":
                    continue  # RDF has no language of its own
                status, media, body, _ = _get(f"{url}{path}?lang={lang}", accept)
                assert (status, media) == (200, expected.mimetype), (path, accept, lang)
                assert body == expected.get_data(), (path, accept, lang)
                checked += 1
    assert checked >= 100


def test_an_iri_is_a_303_to_its_document_and_dumps_download(site, built):
    url, _ = site
    status, _, _, headers = _get(f"{url}/id/org/kulturas-ministrija", "text/turtle")
    assert status == 303 and headers["Location"].endswith("/doc/org/kulturas-ministrija")
    status, media, body, _ = _get(f"{url}/dumps/kg.ttl", "*/*")
    assert (status, media) == (200, "text/turtle")
    assert body == (built.release / "kg.ttl").read_bytes()


def test_the_language_is_remembered_and_a_sitemap_lists_the_pages(site):
    url, target = site
    _, _, _, headers = _get(f"{url}/plans?lang=en", "text/html")
    assert "lang=en" in headers.get("Set-Cookie", "")
    sitemap = (target / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{DEFAULT_BASE}doc/org/kulturas-ministrija</loc>" in sitemap
    assert "Sitemap:" in (target / "robots.txt").read_text(encoding="utf-8")


def test_tables_download_as_csv_from_the_static_site(site, served):
    """``?csv=NAME`` on a static host: the file the export wrote for that table, the same
    bytes as kg serve's answer, in the reader's language."""
    url, _ = site
    for path, table in (("/figures", "figures"), ("/dashboard", "goals"), ("/dashboard", "types")):
        for lang in ("lv", "en"):
            expected = served.get(path, query_string={"csv": table, "lang": lang})
            status, media, body, _ = _get(f"{url}{path}?csv={table}&lang={lang}", "text/html")
            assert (status, media) == (200, "text/csv"), (path, table, lang)
            assert body == expected.get_data(), (path, table, lang)
