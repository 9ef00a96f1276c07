"""SPARQL 1.1's triple patterns (§4.2) and property paths (§9): subjects, verbs,
object lists, collections and blank-node property lists, with or without paths."""

from __future__ import annotations

from kg.sparql.expressions import Expressions


class Triples(Expressions):
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
        self.chained(self.path_sequence, "|")

    def path_sequence(self) -> None:
        self.chained(self.path_elt_or_inverse, "/")

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
