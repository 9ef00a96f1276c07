"""Check a query before it runs: by mechanism, not by pattern lists.

Cheap checks first (size, escapes, control characters), then the query is parsed once,
by SPARQL 1.1's grammar (kg.sparql), and judged by that parse: SERVICE anywhere is refused; FROM /
FROM NAMED and the protocol's dataset parameters may only name graphs held in the store
(nothing is ever fetched); on a remote server, functions we do not know are refused. What
any engine then runs is the parse's canonical text, never the client's: a lexical trick
(a comment ended by a carriage return, an escape) can only change what the guard sees and
what runs together. Every failure is an EndpointError with a message that names the
position where there is one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field

from kg.config import default
from kg.endpoint.errors import EndpointError
from kg.sparql import Parsed
from kg.sparql import QuerySyntaxError
from kg.sparql import parse as parse_query

XSD = "http://www.w3.org/2001/XMLSchema#"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int = default("KG_SPARQL_MAX_QUERY_BYTES")
    max_depth: int = 24  # brackets; parsers recurse
    max_chain: int = 4000  # operands of one operator, patterns of one group (kg.sparql)


@dataclass
class Checked:
    text: str
    form: str  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    unknown_functions: list[str] = field(default_factory=list)


def decode_escapes(text: str) -> str:
    """The query with its codepoint escapes decoded, as SPARQL 1.1 §19.2 says: before
    parsing, anywhere in the text. A text that still holds an escape once decoded
    (``\\u005Cu0022`` decodes to ``\\u0022``) would read differently to a reader that
    decodes again: it is refused."""

    def decode(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            message = f"Escape {match.group()} at {{where}} is not a character."
            raise _at(text, match.start(), "bad_encoding", message)
        return chr(code)

    decoded = _CODEPOINT.sub(decode, text)
    again = _CODEPOINT.search(decoded)
    if again:
        raise _at(
            decoded,
            again.start(),
            "malformed_query",
            f"Escape {again.group()} at {{where}} is written by another escape; write the "
            "character itself.",
        )
    return decoded


def _at(text: str, offset: int, code: str, message: str) -> EndpointError:
    """A 400 whose message names the line and column of ``offset`` at ``{where}``."""
    line, column = _position(text, offset)
    return EndpointError(400, code, message.replace("{where}", f"line {line}, column {column}"))


def check_size(text: str, limits: Limits) -> None:
    """413 for a query over the size cap: the first check, before anything reads it."""
    if len(text.encode("utf-8")) > limits.max_query_bytes:
        raise EndpointError(
            413, "query_too_large", f"The query is larger than {limits.max_query_bytes} bytes."
        )


def refuse_controls(text: str) -> None:
    """Control characters are refused; ``text`` is decoded, so escaped ones are seen as
    what they are. (Decoding never makes a text longer: its size was checked before.)"""
    bad = _CONTROL.search(text)
    if bad:
        message = f"Control character U+{ord(bad.group()):04X} at {{where}}."
        raise _at(text, bad.start(), "bad_encoding", message)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse(text: str, base: str | None = None, limits: Limits = Limits()) -> Parsed:
    """Parse the decoded text by SPARQL 1.1's grammar (kg.sparql); a query that is not
    one is a 400 naming the line and column where the parse stopped."""
    try:
        return parse_query(text, base, limits.max_depth, limits.max_chain)
    except QuerySyntaxError as exc:
        raise _at(text, exc.offset, exc.code, f"{exc} (at {{where}}).") from None
    except RecursionError:
        raise EndpointError(400, "too_complex", "The query is too deeply nested.") from None


@functools.lru_cache(maxsize=256)
def analyse(text: str, limits: Limits, base: str | None = None) -> Parsed:
    """The query parsed once: its canonical text, form, dataset and function calls;
    raises EndpointError. Memoised by text (a worker keeps its memo for as long as it
    lives, and queries repeat)."""
    check_size(text, limits)  # before decoding anything
    text = decode_escapes(text)
    refuse_controls(text)
    parsed = parse(text, base, limits)
    if parsed.services:
        raise EndpointError(400, "service_not_allowed", "SERVICE is not allowed on this endpoint.")
    return parsed


def check(
    text: str,
    held_graphs: frozenset[str] | set[str],
    limits: Limits,
    default_graph_uri: list[str] | None = None,
    named_graph_uri: list[str] | None = None,
    remote: bool = False,
    base: str | None = None,
) -> Checked:
    """Check a query as the client sent it; the Checked text is the one to run.

    ``remote``: the query goes to a SPARQL server, whose own functions (Virtuoso's
    ``bif:``, Jena's ``afn:``) could do anything: every function the project does not
    know is refused. On the embedded store an unknown function is unbound, as SPARQL
    says. ``base``: what a relative IRI means when the query sets no BASE."""
    parsed = analyse(text, limits, base)
    functions = sorted(f for f in parsed.functions if not f.startswith(XSD))
    default_graphs = parsed.from_graphs + list(default_graph_uri or [])
    named_graphs = parsed.from_named + list(named_graph_uri or [])
    unknown = sorted({g for g in default_graphs + named_graphs if g not in held_graphs})
    if unknown:
        raise EndpointError(
            400,
            "dataset_not_allowed",
            "FROM / FROM NAMED and default-graph-uri / named-graph-uri may only "
            f"name graphs of this dataset; not: {', '.join(unknown)[:300]}.",
        )
    if remote and functions:
        raise EndpointError(
            400,
            "function_not_allowed",
            f"Functions this endpoint does not know are refused: {', '.join(functions)[:300]}.",
        )
    return Checked(parsed.text, parsed.form, default_graphs, named_graphs, functions)
