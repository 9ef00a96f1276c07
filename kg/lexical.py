"""Is a literal's lexical form valid for its datatype? The XSD types the project's files
use, checked as the tables' values are (kg.terms), so that an ontology or shapes file with
``"abc"^^xsd:integer`` or ``"2024-13-45"^^xsd:date`` is refused like a broken table."""

from __future__ import annotations

import datetime
import re

XSD = "http://www.w3.org/2001/XMLSchema#"
_ZONE = r"(Z|[+-](0\d|1[0-4]):[0-5]\d)?"
_DATE = r"(-?\d{4,})-(\d{2})-(\d{2})"
_INTEGER = r"[+-]?\d+"
_FLOAT = r"([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)"
PATTERNS = {
    name: re.compile(pattern)
    for name, pattern in {
        "integer": _INTEGER,
        "int": _INTEGER,
        "long": _INTEGER,
        "short": _INTEGER,
        "nonNegativeInteger": r"\+?\d+|-0+",
        "positiveInteger": r"\+?0*[1-9]\d*",
        "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
        "double": _FLOAT,
        "float": _FLOAT,
        "boolean": r"true|false|1|0",
        "date": _DATE + _ZONE,
        "dateTime": _DATE + r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?" + _ZONE,
        "gYear": r"-?\d{4,}" + _ZONE,
        "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])" + _ZONE,
    }.items()
}


def problem(value: str, datatype: str) -> str | None:
    """Why ``value`` is not a valid ``datatype`` literal, or None (also for datatypes
    not checked here)."""
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    pattern = PATTERNS.get(name)
    if pattern is None:
        return None
    match = pattern.fullmatch(value)
    if match is None:
        return f"{value!r} is not a valid xsd:{name}"
    if name in ("date", "dateTime") and len(match.group(1)) == 4:
        try:
            datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError as exc:
            return f"{value!r} is not a valid xsd:{name}: {exc}"
    return None
