"""A SPARQL 1.1 query, parsed once by its grammar (§19.8) and written back canonically.

The parser is a recursive descent over the grammar's productions (the grammar is LL(1)),
and as it takes each token it writes that token's canonical form: keywords upper-case,
every IRI absolute between ``<>`` (prefixes and BASE resolved; of the prologue only
an absolute BASE is written, for IRI() to resolve against), strings in double quotes
with only the plain escapes, one space between tokens, no comments. What it finds that
the guard judges (the query form, FROM and FROM NAMED, SERVICE, function calls) it
records in the same pass. An engine that reads the canonical text therefore reads the
very parse the guard judged: a lexical trick can only change what the guard sees and what
runs together.
"""

from __future__ import annotations

from kg.sparql.cursor import LITERAL_KINDS
from kg.sparql.cursor import NUMBER_KINDS
from kg.sparql.cursor import TERM_KINDS
from kg.sparql.cursor import Parsed
from kg.sparql.cursor import QuerySyntaxError
from kg.sparql.lexer import LexError
from kg.sparql.lexer import tokens
from kg.sparql.rules import Scope
from kg.sparql.triples import Triples

PATTERN_KEYWORDS = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
FORMS = {"SELECT": "SelectQuery", "CONSTRUCT": "ConstructQuery"}
FORMS |= {"DESCRIBE": "DescribeQuery", "ASK": "AskQuery"}


def parse(text: str, base: str | None = None, max_depth: int = 24, max_chain: int = 4000) -> Parsed:
    """Parse ``text`` (codepoint escapes already decoded) as a SPARQL 1.1 query.
    ``base``: what a relative IRI resolves against when the query sets no BASE."""
    try:
        found = tokens(text)
    except LexError as exc:
        raise QuerySyntaxError(f"Syntax error: {exc}", exc.offset) from None
    return _Parser(found, base, max_depth, max_chain).query()


class _Parser(Triples):
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
        if kind in TERM_KINDS or kind in LITERAL_KINDS or kind in NUMBER_KINDS:
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
            self.skip()
            self.write("()")
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
