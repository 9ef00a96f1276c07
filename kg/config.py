"""Settings: one table of the ``KG_*`` variables (name, type, default, meaning) that every
reader uses, and the build's Config made from it.

The README's settings table is made from SETTINGS (``settings_table``); a test keeps them
equal, defaults included.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_BASE = "https://w3id.org/lvpolicy/"
# the interface languages, the default first: each has its catalogue of words
# (web/translations/<code>/LC_MESSAGES/messages.po) and its pages in `kg export-site`
LANGUAGES = ("lv", "en")


@dataclass(frozen=True)
class Setting:
    """One ``KG_*`` variable: its type, its default (None: unset) and what it means."""

    name: str
    kind: type
    default: object
    help: str
    maximum: float | None = None  # a larger value is refused, with this bound in the message

    @property
    def key(self) -> str:
        """The app-config key (Flask reads ``KG_*`` into keys without the prefix)."""
        return self.name.removeprefix("KG_")

    def parse(self, raw: object) -> object:
        """``raw`` (text from the environment, or a value from a config) as ``kind``."""
        if raw is None or raw == "":
            return self.default
        try:
            value = raw if isinstance(raw, self.kind) else self.kind(raw)
        except (TypeError, ValueError):
            raise ValueError(
                f"{self.name} must be {self.kind.__name__}, not {str(raw)[:40]!r}"
            ) from None
        if self.maximum is not None and isinstance(value, int | float) and value > self.maximum:
            raise ValueError(f"{self.name} may be at most {self.maximum:g}, not {value}")
        return value


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("KG_BASE", str, DEFAULT_BASE, "base IRI of every minted IRI"),
        Setting("KG_DATA", Path, Path("data"), "folder of source tables"),
        Setting(
            "KG_KEEP_RELEASES",
            int,
            5,
            "releases a build keeps (the new one included): downloadable and comparable",
        ),
        Setting("KG_OUT", Path, Path("build"), "build output folder; the release is `OUT/dist`"),
        Setting(
            "KG_PAGE_MEMO",
            int,
            512,
            "computed pages a server process keeps (the release does not change while served);"
            " 0 computes every page anew, as a benchmark of computed pages wants",
        ),
        Setting(
            "KG_RELEASE",
            Path,
            None,
            "the release folder `kg serve` serves (none: the one `OUT/dist` points to)",
        ),
        Setting(
            "KG_SHACL_ENGINE",
            str,
            "turbo",
            "`turbo` (pyshacl-turbo) or `pyshacl` (the reference engine)",
        ),
        Setting(
            "KG_SPARQL_ENDPOINT",
            str,
            None,
            "SPARQL query endpoint the browser and `/sparql` ask instead of the embedded store",
        ),
        Setting(
            "KG_SPARQL_DEFAULT_GRAPH",
            str,
            None,
            "graph of that server holding the release's union, for a server whose default "
            "graph is not it (Virtuoso): queries are sent with it as the default graph and the "
            "release's graphs as the named graphs",
        ),
        Setting("KG_STORE_PASSWORD", str, None, "password of `kg load --user`"),
        Setting(
            "KG_SPARQL_TIMEOUT",
            float,
            10.0,
            "seconds per `/sparql` query from admission: parsing, evaluation, writing",
        ),
        Setting("KG_SPARQL_MEMORY_MB", int, 512, "MiB a query worker may use beyond its store"),
        Setting(
            "KG_SPARQL_WORKER_MB",
            int,
            64,
            "MiB of its own a query worker may hold before a fresh fork replaces it (the"
            " store's pages a query reads become the worker's own copies)",
        ),
        Setting(
            "KG_SPARQL_MAX_ROWS",
            int,
            10_000,
            "result rows (or triples) per query; more is `400 too_many_results`"
            " (at most 100,000: a larger answer passes the byte cap first)",
            100_000,
        ),
        Setting(
            "KG_SPARQL_MAX_ANSWER_MB",
            float,
            32.0,
            "MiB of one answer as written; more is `400 too_large` (beside the row cap)",
        ),
        Setting(
            "KG_SPARQL_MAX_QUERY_BYTES", int, 65_536, "query size, before parsing; more is `413`"
        ),
        Setting("KG_SPARQL_MAX_BODY_BYTES", int, 131_072, "request body size; more is `413`"),
        Setting(
            "KG_SPARQL_WORKERS", int, 2, "query worker processes kept ready per server process"
        ),
        Setting(
            "KG_SPARQL_MAX_WORKERS",
            int,
            8,
            "query workers per server process while queries overlap (forks, ready in ms)",
        ),
        Setting(
            "KG_SPARQL_PER_CLIENT", int, 2, "queries one client address may run at once (`429`)"
        ),
        Setting("KG_SPARQL_RATE", float, 10.0, "queries per second per client address, sustained"),
        Setting("KG_SPARQL_BURST", float, 30.0, "queries one client address may send at once"),
        Setting(
            "KG_SPARQL_TIME_RATE",
            float,
            1.0,
            "seconds of query time a client address earns per second (`429` when spent)",
        ),
        Setting(
            "KG_SPARQL_TIME_BURST",
            float,
            60.0,
            "seconds of query time a client address may spend at once",
        ),
        Setting(
            "KG_SPARQL_RESERVE",
            int,
            2,
            "query workers per server process that only clients who spent under a second "
            "lately may take",
        ),
        Setting(
            "KG_TRUSTED_PROXIES",
            str,
            None,
            "addresses or networks of reverse proxies whose `X-Forwarded-For` names the "
            "client (comma-separated; none: the connection's address is the client)",
        ),
        Setting(
            "KG_SPARQL_CACHE_MB",
            float,
            64.0,
            "MiB of answers kept per server process (0: none; `Cache-Control: no-cache` skips)",
        ),
        Setting("KG_SPARQL_CACHE_SECONDS", float, 300.0, "seconds an answer is kept"),
        Setting(
            "KG_READ_TIMEOUT",
            float,
            10.0,
            "seconds a client has to send a request's headers, and again its body (`408`)",
        ),
        Setting("KG_SERVER_THREADS", int, 32, "threads per `kg serve` process that run requests"),
        Setting(
            "KG_LIMITS_FILE",
            str,
            None,
            "the per-client limits shared by the processes of `kg serve` (it sets this)",
        ),
        Setting(
            "KG_ZYGOTE_SOCKET",
            str,
            None,
            "the query worker zygote that `kg serve` shares among its processes, holding the"
            " one copy of the store (it sets this)",
        ),
        Setting(
            "KG_RELEASE_VERIFIED",
            Path,
            None,
            "the release `kg serve` checked against SHA256SUMS before it started its server"
            " processes, which then skip the check (it sets this)",
        ),
        Setting(
            "KG_LIMITS_REDIS",
            str,
            None,
            "a Redis URL (`redis://HOST:6379/0`): the per-client limits shared by every process"
            " on every machine",
        ),
    )
}


def default(name: str) -> Any:
    return SETTINGS[name].default


def setting(name: str, values: Mapping[str, object] | None = None) -> Any:
    """The value of setting ``name``: from ``values`` (an app config, keys without
    ``KG_``) when given, else from the environment, else its default."""
    entry = SETTINGS[name]
    raw = values.get(entry.key) if values is not None else os.environ.get(name)
    return entry.parse(raw)


def settings_table() -> str:
    """The README's table of settings, made from SETTINGS (a test keeps them equal)."""
    rows = ["| variable | meaning | default |", "|---|---|---|"]
    for entry in SETTINGS.values():
        value = entry.default
        shown = (
            "none"
            if value is None
            else f"`{value:g}`"
            if isinstance(value, float)
            else f"`./{value}`"
            if isinstance(value, Path)
            else f"`{value}`"
        )
        rows.append(f"| `{entry.name}` | {entry.help} | {shown} |")
    return "\n".join(rows) + "\n"


def resource(name: str) -> Path:
    """A folder the program ships (``ontology``, ``shapes``): beside the packages in a
    checkout, in ``<prefix>/share/lvpolicy-kg`` once a wheel is installed."""
    beside = ROOT / name
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "lvpolicy-kg" / name


@dataclass(frozen=True)
class Config:
    base: str = DEFAULT_BASE
    data: Path = field(default_factory=lambda: Path.cwd() / "data")
    out: Path = field(default_factory=lambda: Path.cwd() / "build")
    ontology: Path = field(default_factory=lambda: resource("ontology"))
    shapes: Path = field(default_factory=lambda: resource("shapes"))
    shacl_engine: str = "turbo"

    @property
    def dist(self) -> Path:
        """The published release: a symlink swapped atomically by each good build."""
        return self.out / "dist"


def check_base(base: str) -> str:
    """A base IRI must be absolute http(s) and end with '/' so that paths append cleanly."""
    if not (base.startswith("https://") or base.startswith("http://")) or not base.endswith("/"):
        raise ValueError(f"base IRI must be http(s) and end with '/': {base!r}")
    if any(c in base for c in ' <>"{}|\\^`'):
        raise ValueError(f"base IRI contains a character not allowed in an IRI: {base!r}")
    return base


def from_env(**overrides: object) -> Config:
    """Build a Config from ``KG_*`` variables; explicit overrides win."""
    values: dict[str, object] = {}
    fields = {
        "base": "KG_BASE",
        "data": "KG_DATA",
        "out": "KG_OUT",
        "shacl_engine": "KG_SHACL_ENGINE",
    }
    for name, var in fields.items():
        if os.environ.get(var):
            values[name] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("data", "out"):
        if key in values:
            values[key] = Path(str(values[key])).resolve()
    if "base" in values:
        values["base"] = check_base(str(values["base"]))
    engine = str(values.get("shacl_engine", "turbo"))
    if engine not in ("turbo", "pyshacl"):
        raise ValueError(f"KG_SHACL_ENGINE must be 'turbo' or 'pyshacl', not {engine!r}")
    return Config(**values)  # type: ignore[arg-type]
