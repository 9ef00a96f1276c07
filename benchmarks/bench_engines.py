"""Pages per engine: the embedded store against Oxigraph server and Virtuoso, in one run.

    python benchmarks/bench_engines.py [--data data] [--rounds 20]

Builds the tables, starts both servers on 127.0.0.1 (as the tests do), and renders each page
type ``--rounds`` times on each engine with the caches emptied before every request, so that
every request runs its queries. Prints the median per page type and the ratio of each
remote engine over the embedded store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.build.pipeline import build  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.explore.common import LabelStore  # noqa: E402
from tests.virtuoso import UNION  # noqa: E402
from tests.virtuoso import virtuoso_serving  # noqa: E402
from tests.web_fixtures import oxigraph_serving  # noqa: E402
from web import create_app  # noqa: E402
from web.cache import Memo  # noqa: E402

AGGREGATES = {
    "home": "/index.json",
    "plan tree": "/plan.json",
    "dashboard": "/dashboard.json",
    "matrix": "/matrix.json",
}
# page type -> a query for the IRI of its most demanding page in the data
BIGGEST = {
    "institution (most roles)": """SELECT ?x WHERE { ?a ?role ?x . ?x a org:Organization }
        GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1""",
    "result (most facts)": """SELECT ?x WHERE { ?x a lvp:ReportedResult ; ?p ?o }
        GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1""",
    "fact graph (largest)": """SELECT ?x WHERE { GRAPH ?x { ?s ?p ?o } ?x a lvp:FactGraph }
        GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1""",
}


def pages(release: Path) -> dict[str, str]:
    """The aggregate pages, and the biggest page of each resource type in the data."""
    from kg.namespaces import PREFIXES
    from kg.release import Release

    store = Release(release).load_store()
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    found = dict(AGGREGATES)
    for name, text in BIGGEST.items():
        iri = next(iter(store.query(prologue + text)))["x"].value
        path = iri.split("/lvpolicy/", 1)[1]
        found[name] = (
            f"/doc/{path.removeprefix('id/')}.json" if path.startswith("id/") else f"/{path}.json"
        )
    return found


def timed(app, path: str, rounds: int) -> float:
    client = app.test_client()
    client.get(path)  # warm: connections, parsers
    times = []
    for _ in range(rounds):
        app.extensions["kg"]["memo"] = Memo()
        app.extensions["kg"]["overview_memo"] = Memo()
        app.extensions["kg"]["labels"] = LabelStore()
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        release = build(Config(out=Path(tmp) / "out", data=args.data)).release
        vt_folder = Path(tmp) / "virtuoso"
        vt_folder.mkdir()
        with oxigraph_serving(release) as ox, virtuoso_serving(release, vt_folder, 10_000) as vt:
            apps = {
                "embedded": create_app({"RELEASE": str(release)}),
                "oxigraph": create_app({"RELEASE": str(release), "SPARQL_ENDPOINT": f"{ox}/query"}),
                "virtuoso": create_app(
                    {"RELEASE": str(release), "SPARQL_ENDPOINT": vt, "SPARQL_DEFAULT_GRAPH": UNION}
                ),
            }
            print(f"{'page':26} {'embedded':>9} {'oxigraph':>9} {'virtuoso':>9}  ratios")
            for name, path in pages(release).items():
                ms = {engine: timed(app, path, args.rounds) for engine, app in apps.items()}
                ratios = " ".join(
                    f"{ms[e] / ms['embedded']:.1f}x" for e in ("oxigraph", "virtuoso")
                )
                row = " ".join(f"{ms[e]:8.1f}ms" for e in apps)
                print(f"{name:26} {row}  {ratios}")


if __name__ == "__main__":
    main()
