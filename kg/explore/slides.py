"""A slide or page of a source: its own words beside the facts read from it."""

from __future__ import annotations

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import local_name
from kg.explore.common import visible
from kg.explore.passages import marked
from kg.explore.passages import passages_on
from kg.explore.resources import term
from kg.queries import checked_iri
from kg.queries import query


def slide(backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool) -> dict:
    """The slide's document, number and text, and its facts grouped by what they are about."""
    node = checked_iri(iri)
    found = backend.select(query("slide", base, slide=[node]))
    first = found[0] if found else {}
    subjects: dict[str, dict] = {}
    for row in backend.select(query("slide-facts", base, slide=[node])):
        basis = basis_of(local_name(str(row["basis"])))
        if not visible(basis, inferred):
            continue
        about = subjects.setdefault(str(row["s"]), {"ref": labels.ref(row["s"]), "facts": []})
        shown = term(labels, row["o"])
        shown["basis"] = basis
        about["facts"].append({"property": labels.ref(row["p"]), "value": shown})
    text = str(first["text"]) if first.get("text") is not None else None
    return {
        "pieces": marked(text, passages_on(backend, base, iri)) if text else [],
        "ref": labels.ref(iri),
        "iri": iri,
        "document": labels.ref(first["document"]) if first.get("document") else None,
        "number": int(str(first["number"])) if first.get("number") is not None else None,
        "text": text,
        "text_lang": getattr(first.get("text"), "language", None) or "lv",
        "subjects": list(subjects.values()),
    }
