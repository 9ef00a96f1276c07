"""Every format the project reads or writes, tabled once: media type, suffix, the writers'
names for it, and the W3C name of it (http://www.w3.org/ns/formats/).

The dumps, content negotiation of pages, the endpoint's results, the service description,
``kg query`` and the readers of RDF files all take their formats from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    label: str  # as people name it
    media: str  # IANA media type
    suffix: str  # file suffix, without the dot; also the `format=` value of /sparql
    engine: ox.RdfFormat  # pyoxigraph's reader and writer
    rdflib: str  # rdflib's serializer
    w3c: str  # the name under http://www.w3.org/ns/formats/
    quads: bool = False  # holds named graphs
    prefixed: bool = False  # its writer uses prefixes (and a base IRI)
    eu: str = ""  # its code in the EU file-type vocabulary (DCAT-AP's dct:format)

    @property
    def dump(self) -> str:
        """The release's file in this format."""
        return f"kg.{self.suffix}"


R = ox.RdfFormat
RDF_FORMATS = (  # the order of the dumps
    RdfFormat("TriG", "application/trig", "trig", R.TRIG, "trig", "TriG", True, True, "RDF_TRIG"),
    RdfFormat(
        "N-Quads",
        "application/n-quads",
        "nq",
        R.N_QUADS,
        "nquads",
        "N-Quads",
        True,
        eu="RDF_N_QUADS",
    ),
    RdfFormat(
        "Turtle", "text/turtle", "ttl", R.TURTLE, "turtle", "Turtle", False, True, "RDF_TURTLE"
    ),
    RdfFormat(
        "N-Triples",
        "application/n-triples",
        "nt",
        R.N_TRIPLES,
        "nt",
        "N-Triples",
        eu="RDF_N_TRIPLES",
    ),
    RdfFormat(
        "JSON-LD", "application/ld+json", "jsonld", R.JSON_LD, "json-ld", "JSON-LD", eu="JSON_LD"
    ),
    RdfFormat(
        "RDF/XML", "application/rdf+xml", "rdf", R.RDF_XML, "xml", "RDF_XML", False, True, "RDF_XML"
    ),
)
RDF_BY_MEDIA = {f.media: f for f in RDF_FORMATS}
RDF_BY_SUFFIX = {f.suffix: f for f in RDF_FORMATS}
# file suffixes that are read too (the ontology world writes RDF/XML as .owl or .xml)
READ_SUFFIXES = {**RDF_BY_SUFFIX, "owl": RDF_BY_SUFFIX["rdf"], "xml": RDF_BY_SUFFIX["rdf"]}


@dataclass(frozen=True)
class ResultFormat:
    """A SPARQL 1.1 query results format."""

    label: str
    media: str
    suffix: str  # file suffix, and the `format=` value of /sparql and `kg query --format`
    content_type: str  # what is sent: text formats say their charset
    engine: ox.QueryResultsFormat
    w3c: str
    boolean: bool  # can carry an ASK answer


RESULT_FORMATS = (
    ResultFormat(
        "JSON",
        "application/sparql-results+json",
        "json",
        "application/sparql-results+json",
        ox.QueryResultsFormat.JSON,
        "SPARQL_Results_JSON",
        True,
    ),
    ResultFormat(
        "XML",
        "application/sparql-results+xml",
        "xml",
        "application/sparql-results+xml",
        ox.QueryResultsFormat.XML,
        "SPARQL_Results_XML",
        True,
    ),
    ResultFormat(
        "CSV",
        "text/csv",
        "csv",
        "text/csv; charset=utf-8",
        ox.QueryResultsFormat.CSV,
        "SPARQL_Results_CSV",
        False,
    ),
    ResultFormat(
        "TSV",
        "text/tab-separated-values",
        "tsv",
        "text/tab-separated-values; charset=utf-8",
        ox.QueryResultsFormat.TSV,
        "SPARQL_Results_TSV",
        False,
    ),
)
RESULTS_BY_MEDIA = {f.media: f for f in RESULT_FORMATS}
RESULTS_BY_SUFFIX = {f.suffix: f for f in RESULT_FORMATS}
# plain JSON is what many clients ask for: it gets the SPARQL JSON results
RESULTS_BY_MEDIA["application/json"] = RESULTS_BY_SUFFIX["json"]
