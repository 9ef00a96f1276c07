"""The guard's one parse against rdflib's SPARQL parser, on a long query: CPU time.

A query of 3,000 FILTERs (55 KB) is what once pushed a request past its time limit before
the engine began (rdflib's parser needed seconds of CPU). Both parsers read the same text
in the same run, alternating; the median CPU milliseconds of each and their ratio are
printed.

    python benchmarks/bench_guard.py [--runs 5] [--filters 3000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_ms(work) -> float:
    started = time.process_time()
    work()
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--filters", type=int, default=3000)
    args = parser.parse_args()

    from rdflib.plugins.sparql.parser import parseQuery

    from kg.endpoint.guard import Limits
    from kg.endpoint.guard import analyse

    text = (
        "SELECT * { VALUES ?o { 1 } "
        + " ".join(f"FILTER(?o != {i})" for i in range(2, args.filters + 2))
        + " }"
    )
    ours, theirs = [], []
    for run in range(args.runs):
        fresh = f"{text} # run {run}"  # the guard remembers a text it has parsed: a new one
        ours.append(
            cpu_ms(lambda q=fresh: analyse(q, Limits(), "https://w3id.org/lvpolicy/sparql"))
        )
        theirs.append(cpu_ms(lambda: parseQuery(text)))
    mine, other = statistics.median(ours), statistics.median(theirs)
    print(f"{len(text) / 1000:.0f} KB, {args.filters} FILTERs, median of {args.runs} runs (CPU)")
    print(f"  guard (kg.sparql): {mine:8.1f} ms")
    print(f"  rdflib parser:     {other:8.1f} ms")
    print(f"  rdflib / guard: {other / mine:.0f}×")
    examples(args.runs)


def examples(runs: int) -> None:
    """What a new text costs the guard for each example query (decoding, parsing, the
    canonical text): the added cost of a query the endpoint has not seen (issue 23's
    target: a few hundred microseconds)."""
    from kg.endpoint.guard import Limits
    from kg.endpoint.guard import analyse
    from kg.examples import examples as found
    from kg.namespaces import with_prefixes

    base = "https://w3id.org/lvpolicy/"
    costs = []
    print("example queries, a new text each run (median CPU, guard's parse):")
    for example in found():
        text = with_prefixes(example.query, base)
        times = [
            cpu_ms(lambda q=f"{text}\n# run {run}": analyse(q, Limits(), base + "sparql"))
            for run in range(max(runs, 3))
        ]
        costs.append(statistics.median(times))
        print(f"  {example.key:32} {len(text):6} chars {costs[-1]:7.2f} ms")
    print(f"  median {statistics.median(costs):.2f} ms, largest {max(costs):.2f} ms")


if __name__ == "__main__":
    main()
