"""The predicates and classes the mappers emit, as pyoxigraph terms."""

from __future__ import annotations

import functools

import pyoxigraph as ox

from kg.namespaces import CV
from kg.namespaces import DCAT
from kg.namespaces import ELI
from kg.namespaces import LVP
from kg.namespaces import ORG
from kg.namespaces import PREFIXES
from kg.namespaces import PROV
from kg.namespaces import QB
from kg.namespaces import SDMX_ATTR
from kg.namespaces import SDMX_DIM
from kg.namespaces import SDMX_MEASURE
from kg.namespaces import VOID


def _n(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


@functools.cache
def lvp(name: str) -> ox.NamedNode:
    return _n(getattr(LVP, name))  # raises AttributeError on a term not in the ontology


SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]
RDFS = PREFIXES["rdfs"]
FOAF = PREFIXES["foaf"]

TYPE = _n(PREFIXES["rdf"] + "type")
LABEL = _n(RDFS + "label")
SEE_ALSO = _n(RDFS + "seeAlso")
PREF = _n(SKOS + "prefLabel")
ALT = _n(SKOS + "altLabel")
NOTATION = _n(SKOS + "notation")
DEFINITION = _n(SKOS + "definition")
EDNOTE = _n(SKOS + "editorialNote")
IN_SCHEME = _n(SKOS + "inScheme")
TOP_CONCEPT_OF = _n(SKOS + "topConceptOf")
HAS_TOP_CONCEPT = _n(SKOS + "hasTopConcept")
BROADER = _n(SKOS + "broader")
CLOSE_MATCH = _n(SKOS + "closeMatch")
CONCEPT = _n(SKOS + "Concept")
SCHEME = _n(SKOS + "ConceptScheme")

DCT_DATE = _n(DCT + "date")
DCT_ISSUED = _n(DCT + "issued")
DCT_PUBLISHER = _n(DCT + "publisher")
DCT_TITLE = _n(DCT + "title")
DCT_ALTERNATIVE = _n(DCT + "alternative")
DCT_TYPE = _n(DCT + "type")
DCT_DESCRIPTION = _n(DCT + "description")
DCT_TEMPORAL = _n(DCT + "temporal")
DCT_IS_PART_OF = _n(DCT + "isPartOf")
DCT_IDENTIFIER = _n(DCT + "identifier")
DCT_LICENSE = _n(DCT + "license")
DCT_SOURCE = _n(DCT + "source")
DCT_CONFORMS_TO = _n(DCT + "conformsTo")
DCT_FORMAT = _n(DCT + "format")
DCT_CITATION = _n(DCT + "bibliographicCitation")
DCT_LANGUAGE = _n(DCT + "language")
DCT_MODIFIED = _n(DCT + "modified")
DCT_SPATIAL = _n(DCT + "spatial")
DCT_LOCATION = _n(DCT + "Location")
DCT_MEDIA_TYPE = _n(DCT + "MediaType")
DCT_STANDARD = _n(DCT + "Standard")
DCT_LINGUISTIC = _n(DCT + "LinguisticSystem")
DCT_MEDIA_OR_EXTENT = _n(DCT + "MediaTypeOrExtent")
DCT_LICENSE_DOCUMENT = _n(DCT + "LicenseDocument")
CC_BY = _n("https://creativecommons.org/licenses/by/4.0/")
PERIOD_OF_TIME = _n(DCT + "PeriodOfTime")
FOAF_DOCUMENT = _n(FOAF + "Document")
FOAF_PAGE = _n(FOAF + "page")
FOAF_PRIMARY_TOPIC = _n(FOAF + "primaryTopic")
FOAF_HOMEPAGE = _n(FOAF + "homepage")
FOAF_AGENT = _n(FOAF + "Agent")
FOAF_NAME = _n(FOAF + "name")

START_DATE = _n(DCAT.startDate)
END_DATE = _n(DCAT.endDate)
DCAT_DATASET = _n(DCAT.Dataset)
DCAT_DISTRIBUTION = _n(DCAT.Distribution)
DCAT_DIST = _n(DCAT.distribution)
DCAT_DOWNLOAD = _n(DCAT.downloadURL)
DCAT_MEDIA_TYPE = _n(DCAT.mediaType)
DCAT_VERSION = _n(DCAT.version)
VOID_DATASET = _n(VOID.Dataset)
VOID_URI_SPACE = _n(VOID.uriSpace)
VOID_VOCABULARY = _n(VOID.vocabulary)
VOID_DUMP = _n(VOID.dataDump)

DERIVED_FROM = _n(PROV.wasDerivedFrom)
ATTRIBUTED_TO = _n(PROV.wasAttributedTo)
PRIMARY_SOURCE = _n(PROV.hadPrimarySource)  # a fact (or fact graph) -> the passage it was read from
# W3C Web Annotation: a quoted passage of a source and the selector that finds it there
OA = PREFIXES["oa"]
OA_SPECIFIC_RESOURCE = _n(OA + "SpecificResource")
OA_TEXT_QUOTE_SELECTOR = _n(OA + "TextQuoteSelector")
OA_HAS_SOURCE = _n(OA + "hasSource")
OA_HAS_SELECTOR = _n(OA + "hasSelector")
OA_EXACT = _n(OA + "exact")
OA_PREFIX = _n(OA + "prefix")
OA_SUFFIX = _n(OA + "suffix")
ORG_ORGANIZATION = _n(ORG.Organization)
ORG_FORMAL = _n(ORG.FormalOrganization)
ORG_CLASSIFICATION = _n(ORG.classification)
ORG_SUB_OF = _n(ORG.subOrganizationOf)
PUBLIC_ORGANISATION = _n(CV.PublicOrganisation)

ELI_LEGAL_RESOURCE = _n(ELI.LegalResource)
ELI_LEGAL_EXPRESSION = _n(ELI.LegalExpression)
ELI_TYPE_DOCUMENT = _n(ELI.type_document)
ELI_NUMBER = _n(ELI.number)
ELI_DATE_DOCUMENT = _n(ELI.date_document)
ELI_PASSED_BY = _n(ELI.passed_by)
ELI_REALIZED_BY = _n(ELI.is_realized_by)
ELI_TITLE = _n(ELI.title)
ELI_LANGUAGE = _n(ELI.language)
ELI_PUBLISHED_IN = _n(ELI.published_in)
ELI_DATE_PUBLICATION = _n(ELI.date_publication)
LANGUAGE_LAV = _n("http://publications.europa.eu/resource/authority/language/LAV")

QB_OBSERVATION = _n(QB.Observation)
QB_DATASET_CLASS = _n(QB.DataSet)
QB_DATASET = _n(QB.dataSet)
QB_STRUCTURE = _n(QB.structure)
OBS_VALUE = _n(SDMX_MEASURE.obsValue)
REF_PERIOD = _n(SDMX_DIM.refPeriod)
UNIT_MEASURE = _n(SDMX_ATTR.unitMeasure)
OBS_STATUS = _n(SDMX_ATTR.obsStatus)
SDMX_CODE = "http://purl.org/linked-data/sdmx/2009/code#"
