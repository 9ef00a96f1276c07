"""``kg export-site DIR``: the browser as static files any web host can serve.

Every page is rendered by the app itself (so the export says exactly what ``kg serve``
says) in each variant a reader or a linked-data client asks for, as files side by side:
``P.html`` (Latvian), ``P.en.html``, ``P.json``, ``P.en.json`` and, for a resource, ``P.ttl``,
``P.nt``, ``P.jsonld``, ``P.rdf``. The dumps go to ``dumps/``; ``sitemap.xml`` and
``robots.txt`` beside them. ``nginx.conf`` (a server block) and ``.htaccess`` (Apache)
reproduce the 303 from ``/id/…`` to ``/doc/…``, the choice by ``Accept`` and the language by
``?lang=`` or its cookie. What needs a server stays out: search, ``/sparql``, the workbench.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.backends.base import Backend
from kg.config import LANGUAGES
from kg.formats import RDF_FORMATS
from kg.queries import query

TRIPLES = [f for f in RDF_FORMATS if not f.quads]
AGGREGATES = [
    "/",
    "/plans",
    "/plan",
    "/dashboard",
    "/matrix",
    "/institutions",
    "/figures",
    "/sources",
    "/dumps",
    "/catalog",
    "/def",
    "/about",
]
LANGS = LANGUAGES  # every page in each interface language (kg.config)
# the tables a page offers as CSV (``?csv=NAME``): written as ``PAGE.NAME[.en].csv``
TABLES = {"/figures": ("figures",), "dashboard": ("directions", "goals", "institutions", "types")}


def pages(backend: Backend, base: str) -> list[str]:
    """Every page path the export holds: the aggregates, each plan's pages, every resource
    and graph, asked of the backend that serves them (no second copy of the store)."""
    iris = sorted(str(row["s"]) for row in backend.select(query("page-iris", base)))
    paths = list(AGGREGATES)
    for iri in iris:
        if iri.startswith(f"{base}id/"):
            paths.append(f"/doc/{iri.removeprefix(base + 'id/')}")
        elif iri.startswith(f"{base}graph/"):
            paths.append(f"/graph/{iri.removeprefix(base + 'graph/')}")
        rest = iri.removeprefix(f"{base}id/")
        if rest.startswith(("plan/", "guidelines/")) and rest.count("/") == 1:
            slug = rest.split("/", 1)[1]
            paths += [f"/plans/{slug}", f"/plans/{slug}/tree", f"/plans/{slug}/dashboard"]
            paths.append(f"/plans/{slug}/report")
    return paths


def _file(target: Path, path: str) -> Path:
    """Where a page's files go: ``/`` is ``index``, ``/plans`` is ``plans``."""
    name = path.strip("/") or "index"
    return target / name


def export(app, release: Path, base: str, target: Path) -> dict[str, int]:
    """Render every page of ``app`` into ``target``; return files written per kind."""
    client = app.test_client()
    counts = {"html": 0, "json": 0, "rdf": 0}
    target.mkdir(parents=True, exist_ok=True)
    for path in pages(app.extensions["kg"]["backend"], base):
        stem = _file(target, path)
        stem.parent.mkdir(parents=True, exist_ok=True)
        for lang in LANGS:
            tail = _tail(lang)
            for kind, accept in (("html", "text/html"), ("json", "application/json")):
                response = client.get(path, query_string={"lang": lang}, headers={"Accept": accept})
                if response.status_code != 200:
                    raise RuntimeError(f"{path} ({lang}, {accept}) answered {response.status_code}")
                _write(stem, f"{tail}.{kind}", response.get_data())
                counts[kind] += 1
        for table in _tables(path):
            for lang in LANGS:
                tail = _tail(lang)
                response = client.get(path, query_string={"lang": lang, "csv": table})
                _write(stem, f".{table}{tail}.csv", response.get_data())
                counts["csv"] = counts.get("csv", 0) + 1
        if path.startswith(("/doc/", "/graph/", "/def", "/catalog")):
            for fmt in TRIPLES:
                response = client.get(path, headers={"Accept": fmt.media})
                _write(stem, f".{fmt.suffix}", response.get_data())
                counts["rdf"] += 1
    _copy_dumps(release, target / "dumps")
    (target / "sitemap.xml").write_text(sitemap(base, _html_paths(target)), encoding="utf-8")
    (target / "robots.txt").write_text(robots(base), encoding="utf-8")
    (target / "nginx.conf").write_text(nginx_conf(), encoding="utf-8")
    (target / ".htaccess").write_text(htaccess(), encoding="utf-8")
    _copy_static(app, target / "static")
    _copy_assets(app, target)
    return counts


def _tables(path: str) -> tuple[str, ...]:
    if path.endswith("dashboard"):
        return TABLES["dashboard"]
    return TABLES.get(path, ())


def _write(stem: Path, suffix: str, body: bytes) -> None:
    path = stem.with_name(stem.name + suffix)
    path.write_bytes(body)


def _copy_dumps(release: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in release.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)


def _copy_static(app, folder: Path) -> None:
    shutil.copytree(Path(app.static_folder), folder, dirs_exist_ok=True)


def _copy_assets(app, target: Path) -> None:
    """The scripts and stylesheets under the hashed names the pages use (web.assets), with
    a gzip copy beside each text one for hosts that serve precompressed files."""

    for asset in app.extensions["assets"].values():
        path = target / asset.url.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.body)
        if asset.path.endswith((".css", ".js", ".svg")):
            path.with_name(path.name + ".gz").write_bytes(asset.coded("gzip"))


def _html_paths(target: Path) -> list[str]:
    """The Latvian page of each exported path: what the sitemap lists."""
    return sorted(
        "/" + str(p.relative_to(target)).removesuffix(".html").removesuffix("index")
        for p in target.rglob("*.html")
        if not p.name.endswith(".en.html")
    )


def sitemap(base: str, paths: list[str]) -> str:
    """``sitemap.xml`` for page ``paths`` of a site at ``base``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    lines += [f"  <url><loc>{base.rstrip('/')}{_escape(u)}</loc></url>" for u in paths]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots(base: str) -> str:
    return f"User-agent: *\nDisallow: /sparql\nDisallow: /workbench\nSitemap: {base}sitemap.xml\n"


# Accept -> the variant's suffix (the first that matches wins, as a browser's Accept has
# text/html first); the language by ?lang=, else the cookie the switch sets
NEGOTIATION = [
    ("text/turtle", ".ttl"),
    ("application/n-triples", ".nt"),
    ("application/ld\\+json", ".jsonld"),
    ("application/rdf\\+xml", ".rdf"),
    ("application/json", ".json"),
]


def nginx_conf() -> str:
    """A server block for the export (``root`` is the export folder): 303 from /id/, and
    the Accept header and the language to the file of the variant; a file's type comes from
    its suffix."""
    return f"""# nginx: include inside a server {{ }} block whose root is the export folder.
types {{
    text/html html; application/json json; text/turtle ttl; application/n-triples nt;
    application/ld+json jsonld; application/rdf+xml rdf; application/trig trig;
    application/n-quads nq; application/xml xml; text/plain txt; text/css css;
    application/javascript js; image/svg+xml svg; text/csv csv;
}}
default_type application/octet-stream;
charset utf-8;
charset_types application/json text/turtle application/n-triples text/css text/csv;
set $kg_variant .html;
{_ifs()}
set $kg_lang "";
{_language_ifs()}
set $kg_cookie "";  # ?lang= is remembered, as kg serve does (an empty header is not sent)
if ($arg_lang ~ "^({"|".join(LANGS)})$") {{
    set $kg_cookie "lang=$arg_lang; Path=/; Max-Age=31536000; SameSite=Lax";
}}
set $kg_file $kg_variant;
if ($kg_variant = .html) {{ set $kg_file $kg_lang.html; }}
if ($kg_variant = .json) {{ set $kg_file $kg_lang.json; }}
if ($arg_csv ~ "^[a-z]+$") {{ set $kg_file .$arg_csv$kg_lang.csv; }}  # a table as CSV
location ~ ^/id/(.*)$ {{
    add_header Vary Accept always;
    return 303 /doc/$1$is_args$args;
}}
location /static/ {{ }}
location /assets/ {{  # named by their content (web.assets): never change, cached a year
    gzip_static on;
    add_header Cache-Control "public, max-age=31536000, immutable" always;
}}
location /dumps/ {{ }}
location = / {{
    add_header Vary "Accept, Cookie" always;
    add_header Set-Cookie $kg_cookie;
    try_files /index$kg_file /index$kg_lang.html =404;
}}
location / {{
    add_header Vary "Accept, Cookie" always;
    add_header Set-Cookie $kg_cookie;
    try_files $uri$kg_file $uri$kg_lang.html $uri =404;  # no such form: the page, as kg serve
}}
"""


def _tail(lang: str) -> str:
    """A page's file in a language: ``P.html`` in the default one, ``P.en.html``."""
    return "" if lang == LANGS[0] else f".{lang}"


def _language_ifs() -> str:
    """nginx: the file suffix of the language a cookie or ?lang= chose."""
    lines = []
    for lang in LANGS[1:]:
        lines.append(f"if ($cookie_lang = {lang}) {{ set $kg_lang .{lang}; }}")
    for lang in LANGS[1:]:
        lines.append(f"if ($arg_lang = {lang}) {{ set $kg_lang .{lang}; }}")
    lines.append(f'if ($arg_lang = {LANGS[0]}) {{ set $kg_lang ""; }}')
    return "\n".join(lines)


def _ifs() -> str:
    """The first media type of Accept picks the variant (a browser lists text/html first)."""
    return "\n".join(
        f'if ($http_accept ~ "^{media}") {{ set $kg_variant {suffix}; }}'
        for media, suffix in NEGOTIATION
    )


def htaccess() -> str:
    """The same for Apache (mod_rewrite)."""
    lines = [
        "# Apache: the export folder as DocumentRoot, with AllowOverride FileInfo",
        "RewriteEngine On",
        "RewriteRule ^id/(.*)$ /doc/$1 [R=303,L]",
        "Header append Vary Accept",
    ]
    for lang in LANGS[1:]:  # a table as CSV (?csv=NAME), in another language with lang=
        lines += [
            "RewriteCond %{QUERY_STRING} (^|&)csv=([a-z]+)(&|$)",
            f"RewriteCond %{{QUERY_STRING}} (^|&)lang={lang}(&|$)",
            f"RewriteRule ^(.*)$ $1.%2.{lang}.csv [L]",
        ]
    lines += [
        "RewriteCond %{QUERY_STRING} (^|&)csv=([a-z]+)(&|$)",
        "RewriteRule ^(.*)$ $1.%2.csv [L]",
    ]
    for media, suffix in NEGOTIATION:
        lines += [
            f"RewriteCond %{{HTTP_ACCEPT}} ^{media}",
            f"RewriteCond %{{REQUEST_FILENAME}}{suffix} -f",
            f"RewriteRule ^(.*)$ $1{suffix} [L]",
        ]
    for lang in LANGS[1:]:
        lines += [
            f"RewriteCond %{{QUERY_STRING}} (^|&)lang={lang}(&|$)",
            f"RewriteCond %{{REQUEST_FILENAME}}.{lang}.html -f",
            f"RewriteRule ^(.*)$ $1.{lang}.html [L]",
        ]
    lines += [
        "RewriteCond %{REQUEST_FILENAME}.html -f",
        "RewriteRule ^(.*)$ $1.html [L]",
        "RewriteRule ^$ index.html [L]",
        "AddType text/turtle .ttl",
        "AddType application/n-triples .nt",
        "AddType application/ld+json .jsonld",
        "AddType application/rdf+xml .rdf",
        "AddType text/csv .csv",
        '<If "%{REQUEST_URI} =~ m#^/assets/#">',
        '    Header set Cache-Control "public, max-age=31536000, immutable"',
        "</If>",
    ]
    return "\n".join(lines) + "\n"
