"""A SPARQL 1.1 query, parsed once by its grammar (§19.8) and written back canonically.

The parser is a recursive descent over the grammar's productions (the grammar is LL(1)),
and as it takes each token it writes that token's canonical form: keywords upper-case,
every IRI absolute between ``<>`` (prefixes and BASE resolved; of the prologue only
an absolute BASE is written, for IRI() to resolve against), strings in double quotes
with only the plain escapes, one space between tokens, no comments. What it finds that
the guard judges (the query form, FROM and FROM NAMED, SERVICE, function calls) it
records in the same pass. An engine that reads the
canonical text therefore reads the very parse the guard judged: a lexical trick can only
change what the guard sees and what runs together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from kg.sparql.lexer import LexError
from kg.sparql.lexer import Token
from kg.sparql.lexer import local_name
from kg.sparql.lexer import string_value
from kg.sparql.lexer import tokens
from kg.sparql.rules import ARITY
from kg.sparql.rules import Scope

_IRIREF_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_STRING_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)
AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
PATTERN_KEYWORDS = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
FORMS = {"SELECT": "SelectQuery", "CONSTRUCT": "ConstructQuery"}
FORMS |= {"DESCRIBE": "DescribeQuery", "ASK": "AskQuery"}
_TERM_KINDS = {"IRIREF", "PNAME_LN", "PNAME_NS", "BLANK_NODE_LABEL", "ANON", "NIL", "VAR"}
_LITERAL_KINDS = {"STRING1", "STRING2", "STRING_LONG1", "STRING_LONG2"}
_NUMBER_KINDS = {"INTEGER", "DECIMAL", "DOUBLE"}


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
    uses_graph: bool = False  # a GRAPH pattern: named graphs matter


def parse(text: str, base: str | None = None, max_depth: int = 24, max_chain: int = 4000) -> Parsed:
    """Parse ``text`` (codepoint escapes already decoded) as a SPARQL 1.1 query.
    ``base``: what a relative IRI resolves against when the query sets no BASE."""
    try:
        found = tokens(text)
    except LexError as exc:
        raise QuerySyntaxError(f"Syntax error: {exc}", exc.offset) from None
    return _Parser(found, base, max_depth, max_chain).query()


def resolve(iri: str, base: str | None) -> str:
    """``iri`` made absolute against ``base`` (RFC 3987, by oxigraph's IRI resolver)."""
    if _ABSOLUTE.match(iri):
        return iri
    if not base:
        raise ValueError(f"relative IRI <{iri}> and no BASE to resolve it against")
    triple = f"<{iri}> <urn:x> <urn:x> .".encode()
    quad = next(iter(ox.parse(triple, format=ox.RdfFormat.TURTLE, base_iri=base)))
    return quad.subject.value


class _Parser:
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

    # -- query -------------------------------------------------------------------------

    def query(self) -> Parsed:
        self.prologue()
        if self.base:  # IRI("x") resolves against it as the query runs
            self.write(f"BASE <{self.base}>")
        keyword = self.token.value if self.token.kind == "KEYWORD" else ""
        if keyword in UPDATE_KEYWORDS:
            raise QuerySyntaxError(
                "Updates are not accepted: this endpoint is read-only.",
                self.token.offset,
                "malformed_query",
            )
        if keyword not in FORMS:
            raise self.error("SELECT, CONSTRUCT, DESCRIBE or ASK")
        self.parsed.form = FORMS[keyword]
        getattr(self, keyword.lower())()
        self.values_clause()
        if self.token.kind != "EOF":
            raise self.error("the end of the query")
        self.parsed.text = " ".join(self.out)
        return self.parsed

    def prologue(self) -> None:
        while self.at("BASE", "PREFIX"):
            if self.skip().value == "BASE":
                self.base = self.resolved(self.expect_kind("IRIREF").value[1:-1])
            else:
                name = self.expect_kind("PNAME_NS").value[:-1]
                self.prefixes[name] = self.resolved(self.expect_kind("IRIREF").value[1:-1])

    def expect_kind(self, kind: str) -> Token:
        if self.token.kind != kind:
            raise self.error({"IRIREF": "an IRI", "PNAME_NS": "a prefix"}.get(kind, kind))
        return self.skip()

    def resolved(self, iri: str) -> str:
        try:
            return resolve(iri, self.base)
        except (ValueError, SyntaxError) as exc:
            raise QuerySyntaxError(f"Bad IRI: {exc}", self.tokens[self.pos - 1].offset) from None

    def select(self) -> None:
        self.select_clause()
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()
        self.scope.check_projection(self)

    def select_clause(self) -> None:
        self.take("SELECT")
        self.optional("DISTINCT", "REDUCED")
        if self.optional("*"):
            self.scope.select_all()
            return
        count = 0
        while self.at_kind("VAR") or self.at("("):
            count += 1
            if self.at_kind("VAR"):
                self.scope.project(self, self.var())
                continue
            self.take("(")
            self.aggregates_allowed = self.scope.in_projection = True
            self.expression()
            self.aggregates_allowed = self.scope.in_projection = False
            self.take("AS")
            self.scope.project(self, self.var(), assigned=True)
            self.take(")")
        if not count:
            raise self.error("a variable, '(' or '*'")

    def construct(self) -> None:
        self.take("CONSTRUCT")
        if self.at("{"):
            self.take("{")
            if not self.at("}"):
                self.triples_template()
            self.take("}")
            self.dataset_clauses()
            self.where_clause()
        else:
            self.dataset_clauses()
            self.take("WHERE")
            self.take("{")
            if not self.at("}"):
                self.triples_template()
            self.take("}")
        self.solution_modifier()

    def describe(self) -> None:
        self.take("DESCRIBE")
        if not self.optional("*"):
            self.var_or_iri()
            while self.at_kind("VAR", "IRIREF", "PNAME_LN", "PNAME_NS"):
                self.var_or_iri()
        self.dataset_clauses()
        if self.at("WHERE", "{"):
            self.where_clause()
        self.solution_modifier()

    def ask(self) -> None:
        self.take("ASK")
        self.dataset_clauses()
        self.where_clause()
        self.solution_modifier()

    def dataset_clauses(self) -> None:
        while self.at("FROM"):
            self.take("FROM")
            named = self.optional("NAMED")
            graph = self.iri()
            (self.parsed.from_named if named else self.parsed.from_graphs).append(graph)

    def where_clause(self) -> None:
        self.optional("WHERE")
        self.group_graph_pattern()

    def solution_modifier(self) -> None:
        if self.at("GROUP"):
            self.take("GROUP")
            self.take("BY")
            self.scope.grouped = True
            self.group_condition()
            while self.at_condition():
                self.group_condition()
        self.aggregates_allowed = True
        if self.at("HAVING"):
            self.take("HAVING")
            self.scope.grouped = True
            self.constraint()
            while self.at("(") or self.at_builtin() or self.at_iri():
                self.constraint()
        if self.at("ORDER"):
            self.take("ORDER")
            self.take("BY")
            self.order_condition()
            while self.at_condition() or self.at("ASC", "DESC"):
                self.order_condition()
        self.aggregates_allowed = False
        if self.at("LIMIT"):
            self.limit_offset("LIMIT", "OFFSET")
        elif self.at("OFFSET"):
            self.limit_offset("OFFSET", "LIMIT")

    def at_condition(self) -> bool:
        """At a GroupCondition (or an OrderCondition without ASC or DESC)?"""
        return self.at_kind("VAR") or self.at("(") or self.at_builtin() or self.at_iri()

    def limit_offset(self, first: str, second: str) -> None:
        self.take(first)
        self.integer()
        if self.at(second):
            self.take(second)
            self.integer()

    def integer(self) -> None:
        if self.token.kind != "INTEGER" or self.token.value[0] in "+-":
            raise self.error("a whole number")
        self.write(self.skip().value)

    def group_condition(self) -> None:
        if self.at_kind("VAR"):
            self.scope.group_by(self.var())
        elif self.at("("):
            self.take("(")
            self.expression()
            if self.optional("AS"):
                self.scope.group_by(self.var())
            self.take(")")
        else:
            self.constraint()

    def order_condition(self) -> None:
        if self.at("ASC", "DESC"):
            self.take("ASC", "DESC")
            self.bracketted_expression()
        elif self.at_kind("VAR"):
            self.var()
        else:
            self.constraint()

    def values_clause(self) -> None:
        if self.at("VALUES"):
            self.take("VALUES")
            self.data_block()

    # -- patterns ----------------------------------------------------------------------

    def group_graph_pattern(self) -> None:
        self.take("{")
        self.scope.enter_group()
        if self.at("SELECT"):
            self.sub_select()
        else:
            self.group_graph_pattern_sub()
        self.scope.leave_group()
        self.take("}")

    def sub_select(self) -> None:
        outer, outer_aggregates = self.scope, self.aggregates_allowed
        self.scope = Scope()
        self.select_clause()
        self.where_clause()
        self.solution_modifier()
        self.values_clause()
        self.scope.check_projection(self)
        projected = self.scope.projected_or_all()
        self.scope, self.aggregates_allowed = outer, outer_aggregates
        self.scope.bind_all(projected)

    def group_graph_pattern_sub(self) -> None:
        if self.at_triples_start():
            self.triples_block()
        count = 0
        while self.at("{") or self.at(*PATTERN_KEYWORDS):
            count = self.longer(count)
            self.graph_pattern_not_triples()
            self.optional(".")
            if self.at_triples_start():
                self.triples_block()

    def at_triples_start(self) -> bool:
        kind = self.token.kind
        if kind in _TERM_KINDS or kind in _LITERAL_KINDS or kind in _NUMBER_KINDS:
            return True
        return self.at("(", "[", "TRUE", "FALSE")

    def triples_block(self) -> None:
        self.triples_same_subject(path=True)
        count = 0
        while self.optional("."):
            if not self.at_triples_start():
                return
            count = self.longer(count)
            self.triples_same_subject(path=True)

    def triples_template(self) -> None:
        self.triples_same_subject(path=False)
        while self.optional("."):
            if not self.at_triples_start():
                return
            self.triples_same_subject(path=False)

    def graph_pattern_not_triples(self) -> None:
        if self.at("{"):
            self.group_graph_pattern()
            count = 0
            while self.optional("UNION"):
                count = self.longer(count)
                self.group_graph_pattern()
            return
        keyword = self.token.value
        if keyword in ("OPTIONAL", "MINUS"):
            self.take(keyword)
            self.group_graph_pattern()
        elif keyword == "GRAPH":
            self.take("GRAPH")
            self.parsed.uses_graph = True
            self.var_or_iri()
            self.group_graph_pattern()
        elif keyword == "SERVICE":
            self.take("SERVICE")
            self.optional("SILENT")
            self.parsed.services.append(self.var_or_iri())
            self.group_graph_pattern()
        elif keyword == "FILTER":
            self.take("FILTER")
            self.constraint()
        elif keyword == "BIND":
            self.take("BIND")
            self.take("(")
            self.expression()
            self.take("AS")
            self.scope.bind(self, self.var())
            self.take(")")
        else:
            self.take("VALUES")
            self.data_block()

    def data_block(self) -> None:
        if self.at_kind("VAR"):
            self.scope.bind(self, self.var(), inline=True)
            self.take("{")
            while not self.at("}"):
                self.data_block_value()
            self.take("}")
            return
        names: list[str] = []
        if self.at_kind("NIL"):
            self.write(self.skip().value and "()")
        else:
            self.take("(")
            while self.at_kind("VAR"):
                names.append(self.var())
            self.take(")")
        for name in names:
            self.scope.bind(self, name, inline=True)
        self.take("{")
        while not self.at("}"):
            if self.at_kind("NIL"):
                start = self.skip()
                self.write("()")
                count = 0
            else:
                start = self.take("(")
                count = 0
                while not self.at(")"):
                    self.data_block_value()
                    count += 1
                self.take(")")
            if count != len(names):
                raise QuerySyntaxError(
                    f"Syntax error: a row of VALUES has {count} values for {len(names)} variables",
                    start.offset,
                )
        self.take("}")

    def data_block_value(self) -> None:
        if self.optional("UNDEF"):
            return
        if self.at_iri():
            self.iri()
        elif not self.literal():
            raise self.error("an IRI, a literal or UNDEF")

    # -- triples -----------------------------------------------------------------------

    def triples_same_subject(self, path: bool) -> None:
        if self.at("(") or (self.at("[") and not self.at_kind("ANON")):
            self.triples_node(path)
            if self.at_verb(path):
                self.property_list(path)
        else:
            self.var_or_term()
            self.property_list(path, required=True)

    def at_verb(self, path: bool) -> bool:
        if self.at_kind("VAR") or self.at_iri() or self.at("a"):
            return True
        return path and self.at("!", "(", "^")

    def property_list(self, path: bool, required: bool = False) -> None:
        if not required and not self.at_verb(path):
            return
        self.verb(path)
        self.object_list(path)
        while self.optional(";"):
            if self.at_verb(path):
                self.verb(path)
                self.object_list(path)

    def verb(self, path: bool) -> None:
        if self.at_kind("VAR"):
            self.var(bind=True)
        elif path:
            self.path_alternative()
        elif self.at("a"):
            self.take("a")
        else:
            self.iri()

    def object_list(self, path: bool) -> None:
        self.graph_node(path)
        while self.optional(","):
            self.graph_node(path)

    def graph_node(self, path: bool) -> None:
        if self.at("(") or (self.at("[") and not self.at_kind("ANON")):
            self.triples_node(path)
        else:
            self.var_or_term()

    def triples_node(self, path: bool) -> None:
        if self.at("("):
            self.take("(")
            self.graph_node(path)
            while not self.at(")"):
                self.graph_node(path)
            self.take(")")
        else:
            self.take("[")
            self.property_list(path, required=True)
            self.take("]")

    def path_alternative(self) -> None:
        self.path_sequence()
        count = 0
        while self.optional("|"):
            count = self.longer(count)
            self.path_sequence()

    def path_sequence(self) -> None:
        self.path_elt_or_inverse()
        count = 0
        while self.optional("/"):
            count = self.longer(count)
            self.path_elt_or_inverse()

    def path_elt_or_inverse(self) -> None:
        self.optional("^")
        self.path_primary()
        if self.at("?", "*", "+"):
            self.take("?", "*", "+")

    def path_primary(self) -> None:
        if self.optional("a"):
            return
        if self.at("!"):
            self.take("!")
            if self.at_kind("NIL"):
                raise self.error("a property")
            if self.optional("("):
                self.path_one_in_property_set()
                while self.optional("|"):
                    self.path_one_in_property_set()
                self.take(")")
            else:
                self.path_one_in_property_set()
        elif self.at("("):
            self.take("(")
            self.path_alternative()
            self.take(")")
        else:
            self.iri()

    def path_one_in_property_set(self) -> None:
        self.optional("^")
        if not self.optional("a"):
            self.iri()

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
        if token.kind in _NUMBER_KINDS:
            self.write(self.skip().value)
        elif self.at("TRUE", "FALSE"):
            self.write(self.skip().value.lower())
        elif token.kind in _LITERAL_KINDS:
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

    # -- expressions -------------------------------------------------------------------

    def constraint(self) -> None:
        if self.at("("):
            self.bracketted_expression()
        elif self.at_builtin():
            self.builtin_call()
        elif self.at_iri():
            self.function_call(required=True)
        else:
            raise self.error("'(', a function or a built-in call")

    def bracketted_expression(self) -> None:
        self.take("(")
        self.expression()
        self.take(")")

    def function_call(self, required: bool = False) -> None:
        """iri ArgList (FunctionCall), or just the IRI when an argument list is optional."""
        iri = self.iri()
        if self.at_kind("NIL"):
            self.call_nil()
        elif self.at("("):
            self.parsed.functions.add(iri)
            self.call_open()
            self.optional("DISTINCT")
            self.expression_list_rest()
            return
        elif required:
            raise self.error("'(' after the function's IRI")
        else:
            return
        self.parsed.functions.add(iri)

    def expression_list_rest(self) -> None:
        self.expression()
        while self.optional(","):
            self.expression()
        self.take(")")

    def expression_list(self) -> None:
        if self.at_kind("NIL"):
            self.call_nil()
            return
        self.call_open()
        self.expression_list_rest()

    def call_open(self) -> None:
        """A call's '(', written against its name: ``CONCAT(``, ``<iri>(``. Oxigraph reads
        ``CONCAT (`` as an error, and every engine reads the attached form."""
        self.take("(")
        self.out[-2:] = ["".join(self.out[-2:])]

    def call_nil(self) -> None:
        self.skip()
        self.out[-1] += "()"

    def expression(self) -> None:
        self.and_expression()
        count = 0
        while self.optional("||"):
            count = self.longer(count)
            self.and_expression()

    def and_expression(self) -> None:
        self.relational_expression()
        count = 0
        while self.optional("&&"):
            count = self.longer(count)
            self.relational_expression()

    def relational_expression(self) -> None:
        self.additive_expression()
        if self.at("=", "!=", "<", ">", "<=", ">="):
            self.take("=", "!=", "<", ">", "<=", ">=")
            self.additive_expression()
        elif self.at("IN"):
            self.take("IN")
            self.expression_list()
        elif self.at("NOT") and self.peek().kind == "KEYWORD" and self.peek().value == "IN":
            self.take("NOT")
            self.take("IN")
            self.expression_list()

    def additive_expression(self) -> None:
        self.multiplicative_expression()
        count = 0
        while True:
            count = self.longer(count)
            if self.at("+", "-"):
                self.take("+", "-")
                self.multiplicative_expression()
            elif self.at_kind(*_NUMBER_KINDS) and self.token.value[0] in "+-":
                self.write(self.skip().value)
                while self.at("*", "/"):
                    self.take("*", "/")
                    self.unary_expression()
            else:
                return

    def multiplicative_expression(self) -> None:
        self.unary_expression()
        count = 0
        while self.at("*", "/"):
            count = self.longer(count)
            self.take("*", "/")
            self.unary_expression()

    def unary_expression(self) -> None:
        if self.at("!", "+", "-"):
            self.take("!", "+", "-")
        self.primary_expression()

    def primary_expression(self) -> None:
        if self.at("("):
            self.bracketted_expression()
        elif self.at_builtin():
            self.builtin_call()
        elif self.at_iri():
            self.function_call()
        elif self.at_kind("VAR"):
            self.var()
        elif not self.literal():
            raise self.error("an expression")

    def at_builtin(self) -> bool:
        token = self.token
        if token.kind != "KEYWORD":
            return False
        if token.value == "NOT":
            following = self.peek()
            return following.kind == "KEYWORD" and following.value == "EXISTS"
        return token.value in ARITY or token.value in AGGREGATES or token.value == "EXISTS"

    def builtin_call(self) -> None:
        name = self.token.value
        if name in AGGREGATES:
            self.aggregate()
            return
        if name in ("EXISTS", "NOT"):
            self.optional("NOT")
            self.take("EXISTS")
            aggregates = self.aggregates_allowed
            self.aggregates_allowed = False
            self.scope.enter_exists()
            self.group_graph_pattern()
            self.scope.leave_exists()
            self.aggregates_allowed = aggregates
            return
        self.take(name)
        low, high = ARITY[name]
        if high == 0:  # RAND, NOW, UUID, STRUUID: NIL only
            if not self.at_kind("NIL"):
                raise self.error("'()'")
            self.call_nil()
        elif high is None:  # CONCAT, COALESCE
            self.expression_list()
        elif name == "BNODE" and self.at_kind("NIL"):
            self.call_nil()
        elif name == "BOUND":
            self.call_open()
            self.var()
            self.take(")")
        else:
            self.arguments(name, low, high)

    def arguments(self, name: str, low: int, high: int) -> None:
        self.call_open()
        self.expression()
        count = 1
        while count < high and self.optional(","):
            self.expression()
            count += 1
        if count < low:
            raise self.error(f"{low} arguments to {name}")
        self.take(")")

    def aggregate(self) -> None:
        name = self.token.value
        if not self.aggregates_allowed:
            raise QuerySyntaxError(
                f"Syntax error: {name} is an aggregate, allowed only in SELECT, HAVING and "
                "ORDER BY",
                self.token.offset,
            )
        self.scope.aggregated = True
        self.scope.in_aggregate += 1
        self.take(name)
        self.call_open()
        self.aggregates_allowed = False
        self.optional("DISTINCT")
        if name == "COUNT" and self.optional("*"):
            pass
        else:
            self.expression()
        if name == "GROUP_CONCAT" and self.optional(";"):
            self.take("SEPARATOR")
            self.take("=")
            if not self.at_kind(*_LITERAL_KINDS):
                raise self.error("a string")
            self.literal()
        self.aggregates_allowed = True
        self.scope.in_aggregate -= 1
        self.take(")")
