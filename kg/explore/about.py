"""What the About page says: what the graph holds, on which basis, from which sources, how
to cite it, and, for every plan, what a source reports against what the graph enumerates."""

from __future__ import annotations

from kg.backends.base import Backend
from kg.explore import plan as plan_data
from kg.explore.common import Labeller
from kg.explore.common import count
from kg.explore.common import local_name
from kg.explore.common import value
from kg.queries import query


def about(backend: Backend, base: str, labels: Labeller, lang: str) -> dict:
    described: dict[str, dict] = {}
    for row in backend.select(query("about", base)):
        title = row["title"]
        described.setdefault(
            getattr(title, "language", None) or "",
            {
                "title": str(title),
                "description": value(row.get("description")),
                "publisher": value(row.get("publisher")),
                "issued": value(row.get("issued")),
                "modified": value(row.get("modified")),
            },
        )
    dataset = described.get(lang) or described.get("lv") or next(iter(described.values()), {})
    bases = {
        local_name(str(r["basis"])): count(r["n"])
        for r in backend.select(query("facts-by-basis", base))
    }
    plans = []
    for document in plan_data.documents(backend, base, labels):
        iri = document["ref"]["iri"]
        home = plan_data.home(backend, base, labels, iri)
        plans.append({"document": document, **home})
    return {"dataset": dataset, "bases": bases, "plans": plans}
