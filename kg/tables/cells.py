"""Numbers and dates as a spreadsheet in the Latvian locale writes them, in canonical form;
and the other way: a number or a date as a Latvian or English reader reads it.

A Latvian sheet writes ``491 000`` (a space, often a no-break space, between thousands),
``491000,5`` (the comma is the decimal mark) and ``31.03.2021`` (day, month, year). The
build reads them as ``491000``, ``491000.5`` and ``2021-03-31``, so that the same data in
any of these forms gives the same graph; a value that is neither form is refused with the
cell and the forms accepted.
"""

from __future__ import annotations

import datetime
import re

_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?:[.,][0-9]+)?")
_SEPARATORS = re.compile(r"[ \u00a0\u202f]")
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_COMMA_DECIMAL = re.compile(r"[+-]?[0-9]+,[0-9]+")
_ISO = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\.?")


def normalise_number(text: str, decimal_comma: bool) -> str:
    """``491 000`` → ``491000``; ``491000,5`` → ``491000.5`` where the comma is the decimal
    mark (a ``;``-separated CSV, a workbook); ValueError naming the forms accepted."""
    value = text.strip()
    if _GROUPED.fullmatch(value):
        value = _SEPARATORS.sub("", value)
    if decimal_comma and _COMMA_DECIMAL.fullmatch(value):
        value = value.replace(",", ".")
    if _PLAIN.fullmatch(value):
        return value
    accepted = "491000, 491 000 or 491000.5" + (" (or 491000,5)" if decimal_comma else "")
    if "," in value and not decimal_comma:
        accepted += "; a comma is a decimal mark only in a ';'-separated file"
    raise ValueError(f"{text!r} is not a number: write {accepted}")


def normalise_date(text: str) -> str:
    """``31.03.2021`` (or ``31.03.2021.``, ``1.3.2021``) → ``2021-03-31``; ISO forms
    (``2021``, ``2021-03``, ``2021-03-31``) as they are; ValueError otherwise."""
    value = text.strip()
    if _ISO.fullmatch(value):
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            datetime.date(*parts[:3])
        except ValueError:
            raise ValueError(f"{text!r} is not a valid calendar date") from None
        return value
    match = _DAY_MONTH_YEAR.fullmatch(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} is not a valid calendar date") from None
    raise ValueError(f"{text!r} is not a date: write 2021-03-31, 31.03.2021, 2021-03 or 2021")


ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def written_number(value: int | float, lang: str) -> str:
    """``491000`` → ``491 000`` (lv, a no-break space) or ``491,000`` (en); a fraction with
    two decimals, ``2,50`` (lv) or ``2.50`` (en); a whole float as a whole number."""
    text = f"{value:,}" if isinstance(value, int) or value.is_integer() else f"{value:,.2f}"
    text = text.removesuffix(".0")
    if lang == "lv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def english_date(iso: str) -> str:
    """``2018-07-18`` → ``18 July 2018``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {ENGLISH_MONTHS[month - 1]} {year}"
