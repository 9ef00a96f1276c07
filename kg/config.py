"""Settings read from ``KG_*`` environment variables, with documented defaults.

Every variable here is listed in the README; a test keeps the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_BASE = "https://w3id.org/lvpolicy/"

SETTINGS: dict[str, str] = {
    "KG_BASE": "base IRI of every minted IRI (default https://w3id.org/lvpolicy/)",
    "KG_DATA": "folder of source tables (default ./data)",
    "KG_OUT": "build output folder; the published release is OUT/dist (default ./build)",
    "KG_SHACL_ENGINE": "validator: turbo (pyshacl-turbo, default) or pyshacl (the reference)",
    "KG_SPARQL_ENDPOINT": "SPARQL endpoint the browser asks instead of the embedded store",
    "KG_SPARQL_TIMEOUT": "wall-clock limit per /sparql query, serialisation included (10 s)",
    "KG_SPARQL_MEMORY_MB": "memory a query worker may add to its store (512 MiB)",
    "KG_SPARQL_MAX_ROWS": "result rows (or triples) per query; more is a 400 (10000)",
    "KG_SPARQL_MAX_QUERY_BYTES": "query size, checked before parsing (65536)",
    "KG_SPARQL_MAX_BODY_BYTES": "request body size (131072)",
    "KG_SPARQL_WORKERS": "query worker processes kept ready per server process (2)",
    "KG_SPARQL_MAX_WORKERS": "query workers per server process when queries overlap (8)",
    "KG_SPARQL_PER_CLIENT": "queries one client address may run at once (2)",
    "KG_SPARQL_RATE": "queries per second per client address, sustained (10)",
    "KG_SPARQL_BURST": "queries one client address may send in a burst (30)",
    "KG_SPARQL_CACHE_MB": "answers kept per server process, in MiB (64); 0 turns it off",
    "KG_SPARQL_CACHE_SECONDS": "how long an answer is kept (300)",
    "KG_READ_TIMEOUT": "seconds a client has to send a request's headers, and again its body (10)",
    "KG_SERVER_THREADS": "threads per `kg serve` process that run requests (16)",
    "KG_LIMITS_FILE": "shared table of per-client limits; `kg serve` sets it for its processes",
}


@dataclass(frozen=True)
class Config:
    base: str = DEFAULT_BASE
    data: Path = ROOT / "data"
    out: Path = ROOT / "build"
    ontology: Path = ROOT / "ontology"
    shapes: Path = ROOT / "shapes"
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
    env = {
        "base": "KG_BASE",
        "data": "KG_DATA",
        "out": "KG_OUT",
        "shacl_engine": "KG_SHACL_ENGINE",
    }
    for field, var in env.items():
        if os.environ.get(var):
            values[field] = os.environ[var]
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
