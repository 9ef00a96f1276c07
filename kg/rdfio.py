"""Read RDF files defensively: strict parsing, no network, no local file inclusion.

Used for the ontology, the shapes and any file given to ``kg validate``. Every format is
parsed by pyoxigraph, which validates IRIs strictly and never fetches anything. On top:
a size cap; RDF/XML with a DOCTYPE or ENTITY declaration is refused before parsing
(entity expansion is how both file inclusion and "billion laughs" work); JSON-LD may
only use inline contexts (a context given by URL or path, or ``@import``, is refused);
NUL and non-characters are refused. Errors name the file and, where known, the line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from kg import lexical
from kg.formats import READ_SUFFIXES

MAX_BYTES = 256 * 1024 * 1024
IRI_SCHEMES = {"http", "https", "urn", "mailto"}
FORMATS = {f".{suffix}": f.engine for suffix, f in READ_SUFFIXES.items()}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BAD_CHARS = re.compile("[\x00\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class RdfInputError(Exception):
    """A file that cannot be read safely; the message names the file and the problem."""


def read_quads(path: Path, publishable: bool = False) -> list[ox.Quad]:
    """Parse ``path`` into quads (triples land in the default graph). ``publishable``: the
    program's own ontology and shapes, held to the tables' standard (valid literals, web
    IRIs only); other files are left for the shapes to judge (``kg validate FILE``)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RdfInputError(
            f"{path}: unsupported format {path.suffix!r} (use one of {', '.join(sorted(FORMATS))})"
        )
    if not path.is_file():
        _missing(path)
    if path.stat().st_size > MAX_BYTES:  # before reading it whole
        raise RdfInputError(f"{path}: larger than {MAX_BYTES} bytes")
    raw = path.read_bytes()
    _check_text(path, raw)
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml(path, raw)
    if fmt == ox.RdfFormat.JSON_LD:
        _check_jsonld(path, raw)
    try:
        quads = list(ox.parse(raw, format=fmt))  # no base: a relative IRI is an error
    except (SyntaxError, ValueError, OSError) as exc:
        raise RdfInputError(f"{path}: {exc}") from None
    _check_literals(path, quads)
    if publishable:
        _check_terms(path, raw, quads)
    return quads


def _check_literals(path: Path, quads: list[ox.Quad]) -> None:
    """Escapes such as \\u0000 pass the text check; refuse what they decode to."""
    for quad in quads:
        if isinstance(quad.object, ox.Literal):
            bad = _CONTROL.search(quad.object.value)
            if bad:
                raise RdfInputError(
                    f"{path}: literal of {quad.subject} contains control "
                    f"character U+{ord(bad.group()):04X}"
                )


def _check_terms(path: Path, raw: bytes, quads: list[ox.Quad]) -> None:
    """What a parser accepts but a publisher must not: literals that are not valid for
    their datatype, and IRIs whose scheme is not a web or URN one (``javascript:``)."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                scheme = term.value.split(":", 1)[0].lower()
                if scheme not in IRI_SCHEMES:
                    raise RdfInputError(
                        f"{path}{_where(raw, term.value)}: IRI <{term.value[:200]}> has scheme "
                        f"'{scheme[:20]}' (allowed: {', '.join(sorted(IRI_SCHEMES))})"
                    )
        if not isinstance(quad.object, ox.Literal):
            continue
        value = quad.object.value
        wrong = lexical.problem(value, quad.object.datatype.value)
        if wrong:
            raise RdfInputError(f"{path}{_where(raw, value)}: {wrong} (of {quad.subject})")


def _where(raw: bytes, text: str) -> str:
    """ ", line N" where ``text`` first stands in the file (the parser gives no positions
    for terms it accepted), or nothing."""
    offset = raw.find(text.encode("utf-8"))
    return f", line {_line_of(raw, offset)}" if offset >= 0 else ""


def _missing(path: Path) -> bytes:
    raise RdfInputError(f"{path}: file not found")


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


def _check_text(path: Path, raw: bytes) -> None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RdfInputError(f"{path}, line {_line_of(raw, exc.start)}: not valid UTF-8") from None
    bad = _BAD_CHARS.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise RdfInputError(f"{path}, line {line}: character U+{ord(bad.group()):04X} not allowed")


def _check_xml(path: Path, raw: bytes) -> None:
    match = _DTD.search(raw)
    if match:
        raise RdfInputError(
            f"{path}, line {_line_of(raw, match.start())}: DOCTYPE not allowed "
            "(DTDs and entity declarations are refused)"
        )


def _check_jsonld(path: Path, raw: bytes) -> None:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RdfInputError(f"{path}, line {exc.lineno}: invalid JSON: {exc.msg}") from None
    for context in _contexts(document):
        if isinstance(context, str) or (isinstance(context, dict) and "@import" in context):
            raise RdfInputError(f"{path}: remote context not allowed (only inline contexts)")


def _contexts(node: object) -> list[object]:
    found: list[object] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    found.extend(value if isinstance(value, list) else [value])
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
