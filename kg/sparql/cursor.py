"""The parser's cursor over a query's tokens: where it is, what it has written, and the
terms (IRIs, variables, literals), each written in its canonical form as it is taken."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from kg.sparql.lexer import Token
from kg.sparql.lexer import local_name
from kg.sparql.lexer import string_value
from kg.sparql.rules import Scope

_IRIREF_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_STRING_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)
TERM_KINDS = {"IRIREF", "PNAME_LN", "PNAME_NS", "BLANK_NODE_LABEL", "ANON", "NIL", "VAR"}
LITERAL_KINDS = {"STRING1", "STRING2", "STRING_LONG1", "STRING_LONG2"}
NUMBER_KINDS = {"INTEGER", "DECIMAL", "DOUBLE"}


class QuerySyntaxError(Exception):
    """Not a SPARQL 1.1 query; ``offset`` is where in the text the parse stopped."""

    def __init__(self, message: str, offset: int, code: str = "malformed_query"):
        super().__init__(message)
        self.offset = offset
        self.code = code


@dataclass
class Parsed:
    """A query as its grammar reads it: the canonical text and what the guard judges."""

    text: str
    form: str  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # SERVICE targets, IRIs or ?vars
    functions: set[str] = field(default_factory=set)  # IRIs called as functions


def resolve(iri: str, base: str | None) -> str:
    """``iri`` made absolute against ``base`` (RFC 3987, by oxigraph's IRI resolver)."""
    if _ABSOLUTE.match(iri):
        return iri
    if not base:
        raise ValueError(f"relative IRI <{iri}> and no BASE to resolve it against")
    triple = f"<{iri}> <urn:x> <urn:x> .".encode()
    quad = next(iter(ox.parse(triple, format=ox.RdfFormat.TURTLE, base_iri=base)))
    return quad.subject.value


class Cursor:
    def __init__(self, found: list[Token], base: str | None, max_depth: int, max_chain: int):
        self.tokens = found
        self.pos = 0
        self.out: list[str] = []
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.depth = 0
        self.max_depth = max_depth
        self.max_chain = max_chain
        self.aggregates_allowed = False
        self.scope = Scope()
        self.parsed = Parsed("", "")

    # -- tokens ------------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def at(self, *values: str) -> bool:
        """Is the current token one of these keywords or punctuation marks?"""
        token = self.token
        return token.kind in ("KEYWORD", "PUNCT") and token.value in values

    def at_kind(self, *kinds: str) -> bool:
        return self.token.kind in kinds

    def error(self, expected: str, token: Token | None = None) -> QuerySyntaxError:
        token = token or self.token
        found = "the end of the query" if token.kind == "EOF" else repr(token.value[:40])
        return QuerySyntaxError(f"Syntax error: expected {expected}, found {found}", token.offset)

    def take(self, *values: str) -> Token:
        """The current keyword or mark, which must be one of ``values``; written out."""
        if not self.at(*values):
            raise self.error(" or ".join(repr(v) for v in values))
        token = self.token
        self.pos += 1
        self.write(token.value)
        if token.value in ("(", "[", "{"):
            self.depth += 1
            if self.depth > self.max_depth:
                raise QuerySyntaxError(
                    f"The query is nested more than {self.max_depth} levels deep.",
                    token.offset,
                    "too_complex",
                )
        elif token.value in (")", "]", "}"):
            self.depth -= 1
        return token

    def error_at_previous(self, message: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"Syntax error: {message}", self.tokens[self.pos - 1].offset)

    def longer(self, count: int) -> int:
        """One more operand in a chain (``a + b + …``, ``{…} UNION {…} …``, the patterns
        of a group): an engine builds a chain as a tree as deep as it is long, and
        Oxigraph's stack ends past about 7,000 (the process dies). Capped here."""
        if count >= self.max_chain:
            raise QuerySyntaxError(
                f"A list of more than {self.max_chain} operands or patterns is too long.",
                self.token.offset,
                "too_complex",
            )
        return count + 1

    def chained(self, operand: Callable[[], None], *operators: str) -> None:
        """``operand (operator operand)*``, its length capped (longer)."""
        operand()
        count = 0
        while self.optional(*operators):
            count = self.longer(count)
            operand()

    def skip(self) -> Token:
        token = self.token
        self.pos += 1
        return token

    def write(self, text: str) -> None:
        self.out.append(text)

    def optional(self, *values: str) -> bool:
        if self.at(*values):
            self.take(*values)
            return True
        return False

    def expect_kind(self, kind: str) -> Token:
        if self.token.kind != kind:
            raise self.error({"IRIREF": "an IRI", "PNAME_NS": "a prefix"}.get(kind, kind))
        return self.skip()

    def resolved(self, iri: str) -> str:
        try:
            return resolve(iri, self.base)
        except (ValueError, SyntaxError) as exc:
            raise QuerySyntaxError(f"Bad IRI: {exc}", self.tokens[self.pos - 1].offset) from None

    # -- terms -------------------------------------------------------------------------

    def at_iri(self) -> bool:
        return self.at_kind("IRIREF", "PNAME_LN", "PNAME_NS")

    def iri(self) -> str:
        value = self.iri_value()
        self.write(f"<{value}>")
        return value

    def iri_value(self) -> str:
        """The IRI here, absolute: a prefixed name expanded, a relative IRI resolved."""
        token = self.token
        if token.kind == "IRIREF":
            value = self.resolved(self.skip().value[1:-1])
        elif token.kind in ("PNAME_LN", "PNAME_NS"):
            prefix, _, local = self.skip().value.partition(":")
            if prefix not in self.prefixes:
                raise QuerySyntaxError(
                    f"Syntax error: prefix {prefix + ':'!r} is not declared", token.offset
                )
            value = self.prefixes[prefix] + local_name(local)
        else:
            raise self.error("an IRI")
        if not _IRIREF_BODY.fullmatch(value):
            raise QuerySyntaxError(f"Bad IRI: {value[:80]!r}", token.offset)
        return value

    def var(self, bind: bool = False) -> str:
        if not self.at_kind("VAR"):
            raise self.error("a variable")
        name = self.skip().value[1:]
        self.write("?" + name)
        self.scope.mention(name, bind)
        return name

    def var_or_iri(self) -> str:
        if self.at_kind("VAR"):
            return "?" + self.var()
        return self.iri()

    def var_or_term(self) -> None:
        kind = self.token.kind
        if kind == "VAR":
            self.var(bind=True)
        elif kind in ("BLANK_NODE_LABEL", "ANON", "NIL"):
            self.write({"ANON": "[]", "NIL": "()"}.get(kind, self.token.value))
            self.skip()
        elif self.at_iri():
            self.iri()
        elif not self.literal():
            raise self.error("a variable or an RDF term")

    def literal(self) -> bool:
        """An RDF literal, number or boolean, if one is here; written out."""
        token = self.token
        if token.kind in NUMBER_KINDS:
            self.write(self.skip().value)
        elif self.at("TRUE", "FALSE"):
            self.write(self.skip().value.lower())
        elif token.kind in LITERAL_KINDS:
            self.skip()
            written = '"' + string_value(token).translate(_STRING_ESCAPES) + '"'
            if self.at_kind("LANGTAG"):
                written += self.skip().value
            elif self.at("^^"):
                self.skip()
                written += f"^^<{self.iri_value()}>"
            self.write(written)
        else:
            return False
        return True
