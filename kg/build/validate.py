"""SHACL validation of the graph, with a readable and a machine-readable report.

Two engines with one API: pyshacl-turbo (default; Rust, 16–29× faster at scale, see the
benchmark) and pyshacl (the reference: tests check the two agree). Only violations fail;
warnings and information (what the sources leave out) are reported, never hidden.
"""

from __future__ import annotations

import codecs
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from kg.build.memory import give_back
from kg.build.serialize import CHUNK
from kg.build.serialize import line_chunks
from kg.config import DEFAULT_BASE
from kg.terms import serialized

SEVERITIES = ("Violation", "Warning", "Info")
ENGINES = ("turbo", "pyshacl")


@dataclass(frozen=True, order=True)
class Finding:
    severity: str
    focus: str
    path: str
    value: str
    message_lv: str
    message_en: str
    shape: str
    component: str


@dataclass
class Report:
    engine: str
    seconds: float
    findings: list[Finding]
    triples: int

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {s: counted.get(s, 0) for s in SEVERITIES}


def load_shapes(shapes_dir: Path, base: str = DEFAULT_BASE) -> rdflib.Graph:
    """Merge every ``*.ttl`` of ``shapes_dir``; instance IRIs follow the configured base."""
    from kg.rdfio import read_quads

    graph = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        triples = [q.triple for q in read_quads(path, publishable=True)]
        text = serialized(triples, ox.RdfFormat.N_TRIPLES).decode()
        if base != DEFAULT_BASE:
            text = text.replace(f"<{DEFAULT_BASE}id/", f"<{base}id/")
        graph.parse(data=text, format="nt")
    return graph


def union_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """All facts in the default graph: shapes see the union of the named graphs."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return store


def to_rdflib(store: ox.Store) -> rdflib.Graph:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return rdflib.Graph().parse(data=data, format="nt")


def validate_store(store: ox.Store, shapes: rdflib.Graph, engine: str = "turbo") -> Report:
    """Validate the default graph of ``store``; never follows owl:imports."""
    if engine == "turbo":
        # what pyshacl-turbo would do with the store (dump it, twice), done once here
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return validate_lines(lines or b"", shapes, engine)
    return _validate(lambda: to_rdflib(store), shapes, engine, len(store))


def validate_lines(ntriples: bytes | Path, shapes: rdflib.Graph, engine: str = "turbo") -> Report:
    """Validate a graph given as N-Triples (the build's sorted lines): pyshacl-turbo reads
    them itself, in Rust, so no store is loaded and dumped again to validate (at 1M
    triples that was 3 s; issue 23). It lets go of the GIL while it validates, so a build
    writes its dumps meanwhile. ``ntriples`` is the lines, or the file holding them."""
    if engine == "turbo":
        # pyshacl_turbo.rdf.Input is how its own validate passes a pyoxigraph store's dump
        # to the Rust engine; pinned in pyproject.toml, and tests/test_shapes.py checks
        # the two engines agree
        from pyshacl_turbo.rdf import Input

        text = ascii_lines(ntriples)
        return _validate(
            lambda: Input(text, "nquads", None, {}, preserve_ids=True),
            shapes,
            engine,
            text.count("\n"),
        )
    data = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples

    def graph() -> rdflib.Graph:
        return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")

    return _validate(graph, shapes, engine, data.count(b"\n"))


def ascii_lines(ntriples: bytes | Path, size: int = CHUNK) -> str:
    """The N-Triples with every character past ASCII written as ``\\uXXXX`` (or
    ``\\UXXXXXXXX``), the same triples to any N-Triples reader.

    Why: Python holds a text with any Latvian letter at two bytes a character, and the
    Rust engine is handed a UTF-8 copy beside it: at 1M triples 290 + 153 MB, where an
    ASCII text is 154 MB, handed over as it is (issue 23). Escaped a chunk of whole lines
    at a time, so the two-byte text is never made whole."""
    parts: list[str] = []
    for chunk in line_chunks(ntriples, size):
        if not chunk.isascii():
            chunk = chunk.decode().encode("ascii", _ESCAPES)
        parts.append(chunk.decode("ascii"))  # an ASCII text: one byte a character
    text = "".join(parts)
    del parts
    give_back()
    return text


def _escape(error: UnicodeError) -> tuple[str, int]:
    """An encoding error handler: N-Triples' escapes for the characters ASCII has not
    (Python's own ``backslashreplace`` writes ``\\xe9``, which N-Triples has not)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(
        f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}" for c in text
    ), error.end


_ESCAPES = "kg-ntriples-escape"
codecs.register_error(_ESCAPES, _escape)


def _validate(data: Callable[[], Any], shapes: rdflib.Graph, engine: str, triples: int) -> Report:
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (use {' or '.join(ENGINES)})")
    start = time.perf_counter()
    options: dict[str, Any] = dict(
        shacl_graph=shapes,
        allow_infos=True,
        allow_warnings=True,
        do_owl_imports=False,
        inference="none",
    )
    if engine == "turbo":
        import pyshacl_turbo

        _, results, _ = pyshacl_turbo.validate(data(), **options)
    else:
        import pyshacl

        _, results, _ = pyshacl.validate(data(), **options)
    findings = report_findings(results, shapes)
    return Report(engine, time.perf_counter() - start, findings, triples)


def report_findings(results: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    """The findings of a SHACL validation report graph, whichever engine wrote it."""
    return sorted(_findings(results, _templates(shapes), _parents(shapes)))


def _templates(shapes: rdflib.Graph) -> list[tuple[re.Pattern[str], str]]:
    """Each ``sh:message`` as a pattern, to tell the language of a filled-in message.

    Engines drop the language tag when they substitute ``{?var}`` into a message, so the
    language is recovered by matching the message against the shapes' templates.
    """
    templates = []
    for literal in set(shapes.objects(None, SH.message)):
        if isinstance(literal, rdflib.Literal) and literal.language:
            parts = re.split(r"\{[?$]\w+\}", str(literal))
            pattern = re.compile("^" + "(.*?)".join(re.escape(p) for p in parts) + "$", re.S)
            templates.append((pattern, literal.language))
    return templates


def _parents(shapes: rdflib.Graph) -> dict[str, str]:
    """Anonymous property shape (by path and messages) → the named shape that holds it.

    Engines return their own blank nodes for anonymous shapes, so they are matched by
    what they say, not by identity.
    """
    parents = {}
    for owner, prop in shapes.subject_objects(SH.property):
        if isinstance(prop, rdflib.BNode) and isinstance(owner, rdflib.URIRef):
            parents[_shape_key(shapes, prop)] = str(owner)
    return parents


def _shape_key(graph: rdflib.Graph, shape: rdflib.term.Node) -> str:
    path = graph.value(shape, SH.path)
    messages = sorted(str(m) for m in graph.objects(shape, SH.message))
    return f"{path}|{'|'.join(messages)}"


def _language(message: rdflib.Literal, templates: list[tuple[re.Pattern[str], str]]) -> str:
    if message.language:
        return message.language
    for pattern, lang in templates:
        if pattern.match(str(message)):
            return lang
    return ""


def _findings(
    results: rdflib.Graph, templates: list[tuple[re.Pattern[str], str]], parents: dict[str, str]
) -> Iterable[Finding]:
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        messages = {
            _language(m, templates): str(m)
            for m in results.objects(result, SH.resultMessage)
            if isinstance(m, rdflib.Literal)
        }
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        if isinstance(shape, rdflib.BNode):
            shape_name = parents.get(_shape_key(results, shape), "")
        else:
            shape_name = _text(shape)
        yield Finding(
            severity=str(severity).rsplit("#", 1)[-1],
            focus=_text(results.value(result, SH.focusNode)),
            path=_text(results.value(result, SH.resultPath)),
            value=_text(results.value(result, SH.value)),
            message_lv=messages.get("lv", messages.get("", "")),
            message_en=messages.get("en", messages.get("", "")),
            shape=shape_name,
            component=_text(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
        )


def _text(term: object) -> str:
    if term is None or isinstance(term, rdflib.BNode):
        return ""
    return str(term)


def report_text(
    report: Report, lang: str = "en", origin: Callable[[str, str], str | None] | None = None
) -> str:
    """A report a person can read: counts first, then each finding, worst first, with the
    table or sheet, row and column it comes from where ``origin`` knows them."""
    counts = report.counts()
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines = [
        f"SHACL ({report.engine}, {report.triples} triples, {report.seconds:.2f} s): "
        f"the graph {verdict}.",
        "  " + ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items()),
    ]
    for severity in SEVERITIES:
        for finding in (f for f in report.findings if f.severity == severity):
            message = finding.message_lv if lang == "lv" else finding.message_en
            where = finding.focus + (f"  ({finding.path})" if finding.path else "")
            cell = origin(finding.focus, finding.path) if origin is not None else None
            at = f"\n    at {cell}" if cell else ""
            lines.append(f"[{severity}] {where}{at}\n    {message or finding.component}")
    return "\n".join(lines) + "\n"


def report_json(report: Report) -> str:
    payload = {
        "conforms": report.conforms,
        "engine": report.engine,
        "triples": report.triples,
        # no timings: the same input must give the same bytes
        "counts": report.counts(),
        "results": [asdict(f) for f in report.findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
