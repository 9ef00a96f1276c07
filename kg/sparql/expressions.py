"""SPARQL 1.1's expressions (§17, the grammar's Expression to Aggregate): operators in
their precedence, built-in calls with their arities, function calls, aggregates only where
they may stand."""

from __future__ import annotations

from kg.sparql.cursor import LITERAL_KINDS
from kg.sparql.cursor import NUMBER_KINDS
from kg.sparql.cursor import Cursor
from kg.sparql.cursor import QuerySyntaxError
from kg.sparql.rules import ARITY

AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


class Expressions(Cursor):
    def group_graph_pattern(self) -> None:
        """EXISTS holds a group graph pattern: the parser's, which extends this class."""
        raise NotImplementedError

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
        self.chained(self.and_expression, "||")

    def and_expression(self) -> None:
        self.chained(self.relational_expression, "&&")

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
            elif self.at_kind(*NUMBER_KINDS) and self.token.value[0] in "+-":
                self.write(self.skip().value)
                while self.at("*", "/"):
                    self.take("*", "/")
                    self.unary_expression()
            else:
                return

    def multiplicative_expression(self) -> None:
        self.chained(self.unary_expression, "*", "/")

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
            if not self.at_kind(*LITERAL_KINDS):
                raise self.error("a string")
            self.literal()
        self.aggregates_allowed = True
        self.scope.in_aggregate -= 1
        self.take(")")
