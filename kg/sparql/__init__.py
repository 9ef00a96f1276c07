"""SPARQL 1.1 queries read by their grammar, and written back in one canonical form."""

from kg.sparql.parser import Parsed
from kg.sparql.parser import QuerySyntaxError
from kg.sparql.parser import parse
from kg.sparql.parser import resolve

__all__ = ["Parsed", "QuerySyntaxError", "parse", "resolve"]
