"""The numbers a source prints, read as a Latvian (or English) reader reads them, so that a
stated figure can be checked against the words it was read from: ``491 tūkstoši`` is
491000, ``491 000`` too, ``1,4 milj.`` is 1400000, ``≥150`` is 150.

Why not Babel's number parsing: it reads one number in a given locale's format, where a
printed form is a phrase with several numbers, grouping by spaces, a decimal comma and
scale words (tūkstoši, milj.) that no locale's number format has.
"""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation

# a number: digits grouped by spaces (491 000) or not, with a decimal comma or point
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](\d+))?")
_SCALES = [
    (re.compile(r"\s*(tūkst|thousand)", re.IGNORECASE), Decimal(1000)),
    (re.compile(r"\s*(milj|million)", re.IGNORECASE), Decimal(1_000_000)),
    (re.compile(r"\s*(mljrd|miljard|billion)", re.IGNORECASE), Decimal(1_000_000_000)),
]


def numbers_in(text: str) -> set[Decimal]:
    """Every number ``text`` prints, each as written and, where a scale word follows it,
    as scaled."""
    found: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        whole = re.sub(r"\D", "", match.group(1))
        try:
            number = Decimal(f"{whole}.{match.group(2)}" if match.group(2) else whole)
        except InvalidOperation:
            continue
        found.add(number)
        for scale, factor in _SCALES:
            if scale.match(text, match.end()):
                found.add(number * factor)
    return found


def reads_as(value: str, printed: str) -> bool:
    """Does ``printed`` print the number ``value`` (as the tables hold it, in units)?"""
    try:
        wanted = Decimal(value)
    except InvalidOperation:
        return False
    return any(number == wanted for number in numbers_in(printed))
