"""Check a query before it runs: by mechanism, not by pattern lists.

Cheap checks first (size, control characters, bracket depth), then the query is parsed and
its algebra walked: SERVICE anywhere is refused; FROM / FROM NAMED and the protocol's
dataset parameters may only name graphs held in the store (nothing is ever fetched). Every
failure is an EndpointError with a message that names the position where there is one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from dataclasses import field

from rdflib.plugins.sparql.parserutils import CompValue

from kg.config import default
from kg.endpoint.errors import EndpointError

XSD = "http://www.w3.org/2001/XMLSchema#"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int = default("KG_SPARQL_MAX_QUERY_BYTES")
    max_depth: int = 24  # brackets; parsers recurse


@dataclass
class Checked:
    text: str
    form: str  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    unknown_functions: list[str] = field(default_factory=list)


def canonical(text: str) -> str:
    """The query with its codepoint escapes decoded, as SPARQL 1.1 §19.2 says: before
    parsing, anywhere in the text. This text, and only this one, is checked and run.

    Why: rdflib decodes escapes everywhere first, pyoxigraph only inside strings and IRIs,
    and after decoding. In ``BIND("a\\u005C" AS ?x) SERVICE <…> {…} # " AS ?x)`` the
    escape is a backslash that escapes the quote for rdflib (SERVICE is inside a string)
    and a plain character for pyoxigraph (the string ends; SERVICE runs). Once
    decoded, a text that still holds an escape (``\\u005Cu0022`` decodes to ``\\u0022``)
    would read differently to a parser that decodes again: it is refused."""

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
    return EndpointError(400, code, message.format(where=f"line {line}, column {column}"))


def check_size(text: str, limits: Limits) -> None:
    """413 for a query over the size cap: the first check, before anything reads it."""
    if len(text.encode("utf-8")) > limits.max_query_bytes:
        raise EndpointError(
            413, "query_too_large", f"The query is larger than {limits.max_query_bytes} bytes."
        )


def precheck(text: str, limits: Limits) -> None:
    """Before parsing: size, encoding, nesting depth (parsers recurse). ``text`` is the
    canonical text, so escaped control characters are seen as what they are."""
    check_size(text, limits)
    bad = _CONTROL.search(text)
    if bad:
        message = f"Control character U+{ord(bad.group()):04X} at {{where}}."
        raise _at(text, bad.start(), "bad_encoding", message)
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise EndpointError(
            400,
            "too_complex",
            f"The query is nested {depth} levels deep; at most {limits.max_depth} are allowed.",
        )


def nesting_depth(text: str) -> int:
    """Deepest nesting of ( [ { outside strings, IRIs and comments."""
    depth = deepest = 0
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if char == "<":
            end = text.find(">", index + 1)
            if end != -1 and not re.search(r"[\s{}]", text[index + 1 : end]):
                index = end + 1
                continue
        if char == "#":
            end = text.find("\n", index)
            index = length if end == -1 else end
            continue
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
        index += 1
    return deepest


def _skip_string(text: str, start: int) -> int:
    quote = text[start]
    long = text.startswith(quote * 3, start)
    end_mark = quote * 3 if long else quote
    index = start + len(end_mark)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(end_mark, index):
            return index + len(end_mark)
        index += 1
    return len(text)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse(text: str) -> CompValue:
    """Parse and translate to algebra; syntax errors become 400 with the position."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
        _prefixes_declared(tree)
        return translateQuery(tree).algebra
    except EndpointError:
        raise
    except ParseException as exc:
        raise EndpointError(
            400,
            "malformed_query",
            f"Syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}.",
        ) from None
    except RecursionError:
        raise EndpointError(400, "too_complex", "The query is too deeply nested.") from None
    except Exception as exc:  # rdflib raises plain Exception for an unknown prefix
        message = str(exc).splitlines()[0][:200] if str(exc) else "cannot be parsed"
        raise EndpointError(400, "malformed_query", f"Malformed query: {message}.") from None


def _prefixes_declared(tree) -> None:
    """Refuse a prefix the query does not declare. rdflib would resolve ``skos:`` and others
    of its own, and so does Virtuoso, but SPARQL does not, nor does Oxigraph: the guard must
    judge the query as a strict engine reads it."""
    from rdflib.plugins.sparql.parserutils import CompValue

    def key(node: CompValue) -> str:
        return str(node["prefix"]) if "prefix" in node else ""

    declared = {key(d) for d in tree[0] if isinstance(d, CompValue) and d.name == "PrefixDecl"}
    stack: list[object] = [tree[1]]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "pname" and key(node) not in declared:
                raise EndpointError(
                    400,
                    "malformed_query",
                    f"Malformed query: prefix {key(node)!r} is not declared.",
                )
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or hasattr(node, "asList"):
            stack.extend(node)  # type: ignore[arg-type]


def walk(node: object, seen: set[int] | None = None):
    """Every algebra node, in any position: patterns, subqueries, EXISTS, templates."""
    seen = seen if seen is not None else set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)


@functools.lru_cache(maxsize=256)
def analyse(
    text: str, limits: Limits
) -> tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Canonical text, form, FROM graphs, FROM NAMED graphs and unknown functions of a
    query; raises EndpointError. Memoised by text: parsing with rdflib costs ~10 ms (a
    worker keeps its memo for as long as it lives), and queries repeat."""
    check_size(text, limits)  # before decoding anything
    text = canonical(text)
    precheck(text, limits)
    algebra = parse(text)
    functions = set()
    for node in walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise EndpointError(
                400, "service_not_allowed", "SERVICE is not allowed on this endpoint."
            )
        if node.name == "Function" and not str(node.get("iri", "")).startswith(XSD):
            functions.add(str(node["iri"]))
    default, named = _dataset(algebra)
    return text, algebra.name, tuple(default), tuple(named), tuple(sorted(functions))


def check(
    text: str,
    held_graphs: frozenset[str] | set[str],
    limits: Limits,
    default_graph_uri: list[str] | None = None,
    named_graph_uri: list[str] | None = None,
    remote: bool = False,
) -> Checked:
    """Check a query as the client sent it; the Checked text is the one to run.

    ``remote``: the query goes to a SPARQL server, whose own functions (Virtuoso's
    ``bif:``, Jena's ``afn:``) could do anything: every function the project does not
    know is refused. On the embedded store an unknown function is unbound, as SPARQL
    says."""
    canonical_text, form, default, named, functions = analyse(text, limits)
    default_graphs = list(default) + list(default_graph_uri or [])
    named_graphs = list(named) + list(named_graph_uri or [])
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
    return Checked(canonical_text, form, default_graphs, named_graphs, list(functions))


def _dataset(algebra: CompValue) -> tuple[list[str], list[str]]:
    default, named = [], []
    for clause in algebra.get("datasetClause") or []:
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return default, named
