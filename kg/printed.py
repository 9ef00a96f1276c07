"""The numbers and dates a source prints, read as a Latvian (or English) reader reads them,
so that a stated figure or date can be checked against the words it was read from:
``491 tūkstoši`` is 491000, ``491 000`` too, ``1,4 milj.`` is 1400000, ``≥150`` is 150,
``€191,000`` is 191000; ``2018. gada 18. jūlijā``, ``18.07.2018`` and ``11 October 2011``
are dates.

Why not Babel's number and date parsing: it reads one number or date in a given locale's
format, where a printed form is a phrase with several numbers, grouping by spaces, a decimal
comma, scale words (tūkstoši, milj.) and Latvian case endings (jūlijā, oktobra) that no
locale's format has.
"""

from __future__ import annotations

import re
from datetime import date
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
        if match.group(2) and len(match.group(2)) == 3 and match.group(0)[-4] == ",":
            found.add(Decimal(whole + match.group(2)))  # "191,000" in an English text
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


# Latvian month stems (every case: jūlijs, jūlijā, jūlija) and English month names
_MONTHS = (
    ("janvār", "january"),
    ("februār", "february"),
    ("mart", "march"),
    ("aprīl", "april"),
    ("maij", "may"),
    ("jūnij", "june"),
    ("jūlij", "july"),
    ("august", "august"),
    ("septembr", "september"),
    ("oktobr", "october"),
    ("novembr", "november"),
    ("decembr", "december"),
)
_MONTH_WORD = "|".join(name for pair in _MONTHS for name in pair)
_DATE_FORMS = (
    # 2018. gada 18. jūlijā · 2011.gada 20.oktobra
    (re.compile(rf"(\d{{4}})\.\s*gada\s+(\d{{1,2}})\.\s*({_MONTH_WORD})", re.I), "ydm"),
    # 18.07.2018 · 2.06.2017.
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
    # 2021-03-31
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "ymd"),
    # 11 October 2011
    (re.compile(rf"(\d{{1,2}})\s+({_MONTH_WORD})\w*\s+(\d{{4}})", re.I), "dmy"),
    # October 11, 2011
    (re.compile(rf"({_MONTH_WORD})\w*\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I), "mdy"),
)


def _month(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return next(i for i, pair in enumerate(_MONTHS, 1) if any(word.startswith(n) for n in pair))


def language_of(words: str) -> str:
    """``lv`` where Latvian letters are in the words, else ``en``: the sources are Latvian
    pages and a few English ones, and no table says which (a guess by letters, not a
    language detector: the two languages only need telling apart)."""
    return "lv" if re.search("[āčēģīķļņšūž]", words, re.IGNORECASE) else "en"


def dates_in(text: str) -> set[date]:
    """Every calendar date ``text`` prints, in the Latvian and English forms above."""
    found: set[date] = set()
    for pattern, order in _DATE_FORMS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                found.add(date(int(parts["y"]), _month(parts["m"]), int(parts["d"])))
            except ValueError:
                continue  # 31.02.2020: not a date
    return found
