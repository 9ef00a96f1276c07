"""What every table mapper shares: the fact set, the ids seen so far, and the problems."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import TypeVar

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.facts import Citation
from kg.mapping.facts import FactSet
from kg.mapping.facts import parse_citations
from kg.printed import numbers_in
from kg.printed import reads_as
from kg.slugs import is_id
from kg.tables.read import Problems
from kg.tables.read import Row
from kg.terms import Ids
from kg.terms import Term
from kg.terms import text

T = TypeVar("T")


@dataclass
class Context:
    ids: Ids
    facts: FactSet
    problems: Problems
    # kind ("source", "org", "activity:<plan>", …) -> id -> IRI
    known: dict[str, dict[str, ox.NamedNode]] = field(default_factory=lambda: defaultdict(dict))
    # (plan, status code) -> measures the tables enumerate with that status
    measures_by_status: Counter[tuple[str, str]] = field(default_factory=Counter)
    # "scheme/code" -> (Latvian label, English label), from concepts.csv
    concept_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the English name of each institution and document by id: how an editorial note names it
    names: dict[str, str] = field(default_factory=dict)
    names_lv: dict[str, str] = field(default_factory=dict)
    # each source's titles (lv, en)
    source_titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    # IRI -> (Latvian, English) label of indicators and periods, for the observations' labels
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (file, line) -> the row's node and citations: what quotes.csv can quote (kg.mapping.quotes)
    quotable: dict[tuple[str, int], Quotable] = field(default_factory=dict)

    def may_quote(self, row: Row, node: ox.NamedNode, cites: list[Citation]) -> None:
        """Record that ``row``'s facts are about ``node``, under ``cites``: quotes.csv gives
        the words each citation states them in (the first node named for a row counts)."""
        self.quotable.setdefault((row.file, row.line), Quotable(row, node, cites))

    def problem(self, row: Row, column: str | None, message: str) -> None:
        self.problems.add(row.file, row.line, column, message)

    def check_printed(self, row: Row) -> None:
        """A stated figure's ``value`` must be a number its ``printed`` form prints
        (kg.printed): a number changed on one side only is a problem naming both."""
        printed, value = row["printed"], row["value"]
        if row["basis"] != "stated" or not printed or not value or reads_as(value, printed):
            return
        shown = ", ".join(sorted(str(n) for n in numbers_in(printed))) or "no number"
        self.problem(
            row,
            "value",
            f"{value} is not a number the printed form {printed!r} gives (it gives {shown}): "
            "correct the value or the printed form",
        )

    def convert(self, row: Row, column: str, fn: Callable[[str], T]) -> T | None:
        """Apply ``fn`` to a cell; on ValueError record the problem and return None."""
        try:
            return fn(row[column])
        except ValueError as exc:
            self.problem(row, column, str(exc))
            return None

    def register(
        self, row: Row, kind: str, key: str, node: ox.NamedNode, column: str = "id"
    ) -> bool:
        """Record a new id; refuse malformed or duplicated ones."""
        if not is_id(key):
            self.problem(row, column, f"id {key!r} is not a lower-case ASCII slug")
            return False
        if key in self.known[kind]:
            self.problem(row, column, f"duplicate {kind} id {key!r}")
            return False
        self.known[kind][key] = node
        self.facts.origins.setdefault(node.value, (row.file, row.line))
        return True

    def ref(self, row: Row, column: str, *kinds: str, required: bool = True) -> ox.NamedNode | None:
        """Resolve a reference to an id defined in an earlier table (or this one)."""
        key = row[column]
        if not key:
            if required:
                self.problem(row, column, "a value is required")
            return None
        for kind in kinds:
            if key in self.known[kind]:
                return self.known[kind][key]
        choices = sorted({k for kind in kinds for k in self.known[kind]})
        wanted = " or ".join(_describe(kind) for kind in kinds)
        hint = f": one of {', '.join(choices)}" if 0 < len(choices) <= 25 else ""
        self.problem(row, column, f"{key!r} is not {wanted}{hint}")
        return None

    def in_plan(
        self, row: Row, column: str, plan_column: str = "plan", required: bool = True
    ) -> ox.NamedNode | None:
        """A thing of a planning document, always named with its document: the document of
        ``plan_column`` itself where ``column`` is empty, else its measure (by number) or its
        result (by id). Two plans may both number a measure 1.1.1."""
        if not row[plan_column]:
            if row[column]:
                self.problem(row, plan_column, f"name the plan that {row[column]!r} belongs to")
            elif required:
                self.problem(row, plan_column, "a value is required")
            return None
        document = self.ref(row, plan_column, "doc:plan", "doc:guidelines")
        if document is None or not row[column]:
            return document
        found = self.known[f"activity:{row[plan_column]}"].get(row[column])
        if found is None:
            self.problem(
                row, column, f"{row[plan_column]} has no measure or result {row[column]!r}"
            )
        return found

    def cites(self, row: Row, column: str = "source") -> list[Citation]:
        """The row's citations; each must name a source of sources.csv."""
        try:
            citations = parse_citations(row[column])
        except ValueError as exc:
            self.problem(row, column, str(exc))
            return []
        for citation in citations:
            if citation.source not in self.known["source"]:
                self.problem(
                    row, column, f"{citation.source!r} is not a source (an id of sources.csv)"
                )
                return []
        return citations

    def basis(
        self, row: Row, column: str = "basis", allowed: tuple[str, ...] = ("stated", "inferred")
    ) -> str | None:
        value = row[column]
        if value not in allowed:
            self.problem(row, column, f"must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return value

    def choice(self, row: Row, column: str, allowed: dict[str, T]) -> T | None:
        value = row[column]
        if value not in allowed:
            self.problem(row, column, f"must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return allowed[value]

    def about(self, row: Row, node: ox.NamedNode, cites: list[Citation], basis: str) -> Subject:
        """What ``row`` says about ``node``, under its citations and basis."""
        self.may_quote(row, node, cites)
        return Subject(self, row, node, cites, basis)


@dataclass(frozen=True)
class Quotable:
    """A row whose facts a quote can support: the node they are about, and its citations."""

    row: Row
    node: ox.NamedNode
    cites: list[Citation]


TABLE_OF = {
    "org": "an institution (an id of institutions.csv)",
    "doc": "a document (an id of documents.csv)",
    "source": "a source (an id of sources.csv)",
    "period": "a period (an id of periods.csv)",
    "indicator": "an indicator (an id of indicators.csv)",
    "observation": "an observation (an id of observations.csv)",
    "programme": "a programme (an id of programmes.csv)",
}


def _describe(kind: str) -> str:
    """A reference kind in a clerk's words: which table, or which code list, it names."""
    if kind in TABLE_OF:
        return TABLE_OF[kind]
    prefix, _, rest = kind.partition(":")
    if prefix == "concept":
        return f"a code of the list '{rest}' (concepts.csv)"
    if prefix == "doc":
        return f"a document of class '{rest}' (documents.csv)"
    if prefix in ("direction", "goal"):
        return f"a {prefix} of {rest} (structure.csv)"
    return f"a known {kind}"


@dataclass
class Subject:
    """One row's facts about one node: the mappers' shared idiom (an optional column,
    converted or resolved, becomes a fact; English text and notes are editorial; the node
    is derived from the locations the row cites)."""

    ctx: Context
    row: Row
    node: ox.NamedNode
    cites: list[Citation]
    basis: str

    def fact(self, predicate: ox.NamedNode, value: Term, basis: str | None = None) -> None:
        self.ctx.facts.fact(self.node, predicate, value, self.cites, basis or self.basis)

    def _from(self, column: str, predicate: ox.NamedNode) -> None:
        self.ctx.facts.columns.setdefault((self.node.value, predicate.value), column)

    def converted(
        self, column: str, predicate: ox.NamedNode, convert: Callable[[str], Term]
    ) -> None:
        """A fact from an optional column, if its value converts (else a problem)."""
        self._from(column, predicate)
        if self.row[column]:
            value = self.ctx.convert(self.row, column, convert)
            if value is not None:
                self.fact(predicate, value)

    def referenced(
        self, column: str, predicate: ox.NamedNode, *kinds: str, basis: str | None = None
    ) -> None:
        """A fact from an optional reference to an id of ``kinds``, if it resolves (under
        its own ``basis`` where the row gives one for it)."""
        self._from(column, predicate)
        if self.row[column]:
            target = self.ctx.ref(self.row, column, *kinds)
            if target is not None:
                self.fact(predicate, target, basis)

    def listed(self, column: str, predicate: ox.NamedNode, kind: str) -> None:
        """One fact per id of a ``;``-separated list of references to ``kind``."""
        self._from(column, predicate)
        for key in filter(None, (k.strip() for k in self.row[column].split(";"))):
            target = self.ctx.known[kind].get(key)
            if target is None:
                self.ctx.problem(self.row, column, f"unknown {kind} {key!r}")
            else:
                self.fact(predicate, target)

    def english(self, column: str, predicate: ox.NamedNode) -> None:
        """The project's English text, if any: editorial, never a sourced fact."""
        if self.row[column]:
            self.ctx.facts.editorial(self.node, predicate, text(self.row[column], "en"))

    def note(self) -> None:
        """The project's editorial note in English (``note``) and Latvian (``note_lv``)."""
        self.english("note", P.EDNOTE)
        if self.row["note_lv"]:
            self.ctx.facts.editorial(self.node, P.EDNOTE, text(self.row["note_lv"], "lv"))

    def sourced(self, basis: str | None = None) -> None:
        """``prov:wasDerivedFrom`` each cited location (kg.mapping.sources)."""
        from kg.mapping.sources import derived_from

        derived_from(self.ctx, self.node, self.cites, basis or self.basis)
