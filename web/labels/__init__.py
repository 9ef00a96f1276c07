"""What the browser calls the terms of other vocabularies (vocabularies.ttl), lv and en."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@cache
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """IRI → {language: label}, read once per process."""
    found: dict[str, dict[str, str]] = {}
    path = Path(__file__).with_name("vocabularies.ttl")
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == LABEL and isinstance(triple.object, ox.Literal):
            found.setdefault(triple.subject.value, {})[triple.object.language or ""] = (
                triple.object.value
            )
    return found
