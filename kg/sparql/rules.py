"""What SPARQL 1.1 asks of a query beyond its grammar (§18.2.1, §19.8's notes): built-in
arities, and the variable scope rules a parser checks. The parser calls these as it goes."""

from __future__ import annotations

from typing import Protocol

_ONE = (
    "STR LANG DATATYPE IRI URI ABS CEIL FLOOR ROUND STRLEN UCASE LCASE ENCODE_FOR_URI YEAR "
    "MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ MD5 SHA1 SHA256 SHA384 SHA512 ISIRI ISURI "
    "ISBLANK ISLITERAL ISNUMERIC BOUND"
)
_TWO = "LANGMATCHES CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER STRLANG STRDT SAMETERM"
# built-in call -> (fewest, most) arguments; most 0: NIL only; None: an expression list
ARITY: dict[str, tuple[int, int | None]] = {
    **{name: (1, 1) for name in _ONE.split()},
    **{name: (2, 2) for name in _TWO.split()},
    **{name: (0, 0) for name in ("RAND", "NOW", "UUID", "STRUUID")},
    **{name: (0, None) for name in ("CONCAT", "COALESCE")},
    "IF": (3, 3),
    "BNODE": (1, 1),
    "REGEX": (2, 3),
    "SUBSTR": (2, 3),
    "REPLACE": (3, 4),
}


class _Located(Protocol):
    def error_at_previous(self, message: str) -> Exception: ...


class Scope:
    """The variables of one SELECT (or the outer query) and the groups being parsed:
    enough to refuse what §18.2.1 refuses (a BIND to a variable already in scope, a
    projected name used twice or already bound, an ungrouped variable in a grouped
    projection, SELECT * with GROUP BY)."""

    def __init__(self) -> None:
        self.groups: list[set[str]] = [set()]
        self.projected: list[str] = []
        self.assigned: set[str] = set()  # SELECT (… AS ?x)
        self.free: set[str] = set()  # used in projection expressions outside aggregates
        self.grouped_by: set[str] = set()
        self.all = False
        self.grouped = False
        self.aggregated = False
        self.in_projection = False
        self.in_aggregate = 0

    def enter_group(self) -> None:
        self.groups.append(set())

    def leave_group(self) -> None:
        inner = self.groups.pop()
        self.groups[-1] |= inner

    def enter_exists(self) -> None:
        self.groups.append(set())

    def leave_exists(self) -> None:
        self.groups.pop()  # EXISTS binds nothing outside it

    def mention(self, name: str, binds: bool) -> None:
        if binds:
            self.groups[-1].add(name)
        elif self.in_projection and not self.in_aggregate:
            self.free.add(name)

    def bind(self, parser: _Located, name: str, inline: bool = False) -> None:
        if not inline and name in self.groups[-1]:
            raise parser.error_at_previous(
                f"?{name} is already in scope where BIND assigns it a value"
            )
        self.groups[-1].add(name)

    def bind_all(self, names: set[str]) -> None:
        self.groups[-1] |= names

    def select_all(self) -> None:
        self.all = True

    def project(self, parser: _Located, name: str, assigned: bool = False) -> None:
        if name in self.projected:
            raise parser.error_at_previous(f"?{name} is projected twice")
        self.projected.append(name)
        if assigned:
            self.assigned.add(name)

    def group_by(self, name: str) -> None:
        self.grouped_by.add(name)

    def check_projection(self, parser: _Located) -> None:
        where = self.groups[0]
        if self.all and self.grouped:
            raise parser.error_at_previous("SELECT * cannot be used with GROUP BY")
        for name in sorted(self.assigned & where):
            raise parser.error_at_previous(f"?{name} is assigned in SELECT but bound in WHERE")
        if self.grouped or self.aggregated:
            plain = {n for n in self.projected if n not in self.assigned}
            loose = (plain | self.free) - self.grouped_by - self.assigned
            for name in sorted(loose):
                raise parser.error_at_previous(f"?{name} is neither grouped nor aggregated")

    def projected_or_all(self) -> set[str]:
        return set(self.groups[0]) if self.all else set(self.projected)
