"""SPARQL 1.1 queries read by their grammar, and written back in one canonical form."""

from kg.sparql.cursor import Parsed
from kg.sparql.cursor import QuerySyntaxError
from kg.sparql.cursor import resolve
from kg.sparql.parser import parse

__all__ = ["Parsed", "QuerySyntaxError", "parse", "resolve"]
