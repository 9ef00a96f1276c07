"""Text a spreadsheet shows and never runs: the one rule for every CSV or workbook cell the
project writes from data it did not write itself (the site's CSV tables, a round's problem
reports)."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d\s.,]*")


def inert(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: one that starts as a formula would
    (``=``, ``+``, ``-``, ``@``, tab, carriage return: OWASP's rule) gets a leading ``'``;
    a plain number such as ``-5`` stays a number."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
