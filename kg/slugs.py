"""ASCII slugs from Latvian names.

Latvian diacritics decompose under NFKD into a base letter and a combining mark, so the
standard library transliterates them exactly. Slugs are minted once and then frozen in the
tables' ``id`` column; the build never recomputes an IRI from a (possibly renamed) label.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slug(name: str, max_len: int = 60) -> str:
    """Return the ASCII slug of ``name`` (``"Kultūras ministrija"`` → ``"kulturas-ministrija"``)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_len].rstrip("-")


def is_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value))


def is_id(value: str) -> bool:
    """A table's id: a slug, with dots as well as hyphens (a measure's ``1.2.3``)."""
    return is_slug(value.replace(".", "-"))
