"""SPARQL 1.1's terminals (§19.8), matched longest first as the grammar says.

Why our own: the guard must read a query exactly as the grammar does, and no parser on
PyPI does. rdflib's and sparqlkit's end a ``#`` comment only at a line feed (SPARQL ends
it at a carriage return too: the attack that hid SERVICE), and both are far too slow for
a 55 KB query (seconds of CPU). This lexer knows the whole terminal grammar, and nothing
past it: white space is the four characters §19.8 names, a comment runs to either line
end, and a character no terminal starts with is an error at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_EXPONENT = r"[eE][+-]?[0-9]+"
_ECHAR = r"\\[tbnrf\\\"']"
_WS = "[ \t\r\n]"

# (kind, pattern), tried at each position; the longest match wins, the first on a tie
TERMINALS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("IRIREF", r'<[^<>"{}|^`\\\x00-\x20]*>'),
        ("PNAME_LN", f"(?:{_PN_PREFIX})?:{_PN_LOCAL}"),
        ("PNAME_NS", f"(?:{_PN_PREFIX})?:"),
        ("BLANK_NODE_LABEL", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
        ("VAR", f"[?$]{_VARNAME}"),
        ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
        ("DOUBLE", f"[+-]?(?:[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT})"),
        ("DECIMAL", r"[+-]?[0-9]*\.[0-9]+"),
        ("INTEGER", r"[+-]?[0-9]+"),
        ("STRING_LONG1", f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''"),
        ("STRING_LONG2", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""'),
        ("STRING1", f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*'"),
        ("STRING2", f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*"'),
        ("NIL", f"\\({_WS}*\\)"),
        ("ANON", f"\\[{_WS}*\\]"),
        ("WORD", r"[A-Za-z_][A-Za-z0-9_]*"),
        ("PUNCT", r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.=<>!+\-*/^|?]"),
    ]
]
# The ASCII characters each terminal can start with (§19.8): at a position only those that
# can match are tried, longest first as before (a fifth of the patterns on average; the
# guard's parse of the examples took 0.25 ms, 60 % of it here; issue 23). A character
# outside ASCII may start a prefixed name: there every terminal is tried.
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_STARTS = {
    "IRIREF": "<",
    "PNAME_LN": _LETTERS + ":",
    "PNAME_NS": _LETTERS + ":",
    "BLANK_NODE_LABEL": "_",
    "VAR": "?$",
    "LANGTAG": "@",
    "DOUBLE": _DIGITS + "+-.",
    "DECIMAL": _DIGITS + "+-.",
    "INTEGER": _DIGITS + "+-",
    "STRING_LONG1": "'",
    "STRING_LONG2": '"',
    "STRING1": "'",
    "STRING2": '"',
    "NIL": "(",
    "ANON": "[",
    "WORD": _LETTERS + "_",
    "PUNCT": "^|&!=<>{}()[];,.+-*/?",
}
_BY_START = {
    chr(code): [(kind, pattern) for kind, pattern in TERMINALS if chr(code) in _STARTS[kind]]
    for code in range(128)
}
_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_ECHAR_RE = re.compile(r"\\(.)", re.DOTALL)
_LOCAL_ESCAPE = re.compile(r"\\(.)")


class LexError(Exception):
    """A character where no terminal starts; ``offset`` is where."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # a TERMINALS kind, KEYWORD (value upper-cased), or EOF
    value: str  # as written; a keyword upper-cased
    offset: int


def tokens(text: str) -> list[Token]:
    """Every token of ``text``, comments and white space left out, then EOF."""
    found: list[Token] = []
    index, length = 0, len(text)
    while True:
        skipped = _SKIP.match(text, index)
        if skipped:
            index = skipped.end()
        if index >= length:
            found.append(Token("EOF", "", index))
            return found
        kind, end = _longest(text, index)
        value = text[index:end]
        if kind == "WORD":
            kind, value = "KEYWORD", value.upper() if value != "a" else "a"
        found.append(Token(kind, value, index))
        index = end


def _longest(text: str, index: int) -> tuple[str, int]:
    best_kind, best_end = "", index
    for kind, pattern in _BY_START.get(text[index], TERMINALS):
        match = pattern.match(text, index)
        if match and match.end() > best_end:
            best_kind, best_end = kind, match.end()
    if not best_kind:
        raise LexError(f"unexpected character {text[index]!r}", index)
    return best_kind, best_end


def string_value(token: Token) -> str:
    """A string literal's value: quotes off, ECHAR escapes decoded."""
    quotes = 3 if token.kind.startswith("STRING_LONG") else 1
    body = token.value[quotes:-quotes]
    return _ECHAR_RE.sub(lambda m: _ECHARS[m.group(1)], body)


def local_name(written: str) -> str:
    """A prefixed name's local part as an IRI's text: ``\\.`` is ``.`` (§4.1.1)."""
    return _LOCAL_ESCAPE.sub(lambda m: m.group(1), written)
