"""Namespaces: our vocabulary as a closed DefinedNamespace, and the reused ones.

``LVP`` raises on a mistyped term instead of minting a new IRI; a test checks that every
term listed here is declared in ``ontology/lvp.ttl`` and the other way round.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import URIRef


class LVP(DefinedNamespace):
    _NS = Namespace("https://w3id.org/lvpolicy/def#")
    _fail = True

    # classes
    PolicyDocument: URIRef
    PolicyPlan: URIRef
    PolicyGuidelines: URIRef
    ImplementationReport: URIRef
    PlanComponent: URIRef
    PlanActivity: URIRef
    ActionDirection: URIRef
    Goal: URIRef
    Measure: URIRef
    ReportedResult: URIRef
    Outcome: URIRef
    Indicator: URIRef
    ReportedCount: URIRef
    StatusReport: URIRef
    UnidentifiedMeasures: URIRef
    Programme: URIRef
    FollowUpDeadline: URIRef
    SourceDocument: URIRef
    SourceLocation: URIRef
    FactGraph: URIRef
    # the monitoring cycle: a measure's status per reporting period
    statusOf: URIRef
    reportedStatus: URIRef
    evidence: URIRef
    # structure
    hasDirection: URIRef
    isDirectionOf: URIRef
    hasGoal: URIRef
    isGoalOf: URIRef
    hasMeasure: URIRef
    isMeasureOf: URIRef
    isStepOfPlan: URIRef
    reportedFor: URIRef
    reportedUnderDirection: URIRef
    contributesToGoal: URIRef
    unidentifiedMeasuresOf: URIRef
    measureCount: URIRef
    programme: URIRef
    setBy: URIRef
    dueDate: URIRef
    expects: URIRef
    # documents and acts
    approvedBy: URIRef
    precededBy: URIRef
    succeededBy: URIRef
    implementsGuidelines: URIRef
    reportsOn: URIRef
    presents: URIRef
    presentedTo: URIRef
    # institutions and roles
    coordinatingInstitution: URIRef
    leadInstitution: URIRef
    coResponsibleInstitution: URIRef
    involvedInstitution: URIRef
    responsibleInstitution: URIRef
    implementer: URIRef
    coImplementer: URIRef
    partner: URIRef
    commissioner: URIRef
    funder: URIRef
    # status, outcomes, figures
    implementationStatus: URIRef
    hasOutcome: URIRef
    outcomeOf: URIRef
    hasObservation: URIRef
    indicator: URIRef
    indicatorFor: URIRef
    valueType: URIRef
    countsMeasuresOf: URIRef
    refStatus: URIRef
    reportedValue: URIRef
    valuePrecision: URIRef
    # provenance
    basis: URIRef
    slideNumber: URIRef
    sourceText: URIRef
    pageNumber: URIRef
    quotedText: URIRef
    sha256: URIRef
    dateRead: URIRef
    Passage: URIRef
    position: URIRef


DCAT = Namespace("http://www.w3.org/ns/dcat#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CV = Namespace("http://data.europa.eu/m8g/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
VOID = Namespace("http://rdfs.org/ns/void#")
PPLAN = Namespace("http://purl.org/net/p-plan#")

# the roles an institution can have in an activity: the sub-properties of
# lvp:involvedInstitution, in the order pages list them (kg.explore.roles)
ROLES = (
    "responsibleInstitution",
    "implementer",
    "coImplementer",
    "commissioner",
    "funder",
    "partner",
    "involvedInstitution",
)

PREFIXES: dict[str, str] = {
    "lvp": str(LVP._NS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": str(DCAT),
    "eli": str(ELI),
    "cv": str(CV),
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTR),
    "void": str(VOID),
    "oa": "http://www.w3.org/ns/oa#",
}


def data_prefixes(base: str) -> dict[str, str]:
    """Prefixes for queries over the data, including the instance namespaces under ``base``."""
    return {
        **PREFIXES,
        "id": f"{base}id/",
        "st": f"{base}id/concept/implementation-status/",
        "graph": f"{base}graph/",
    }


def with_prefixes(query: str, base: str) -> str:
    """Prepend the project's prefixes that the query uses but does not declare."""
    declared = {
        line.split()[1].rstrip(":").lower()
        for line in query.splitlines()
        if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1
    }
    header = "".join(
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in data_prefixes(base).items()
        if p not in declared and f"{p}:" in query
    )
    return header + query
