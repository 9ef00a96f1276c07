"""The DCAT-AP 3.0.1 catalogue that data portals harvest (data.gov.lv, data.europa.eu): a
catalogue, the dataset, one distribution per dump, the SPARQL service, the publisher and a
contact point, in graph/meta.

The values from the EU vocabularies (languages, themes, file types, the country) are
declared with the scheme they belong to, as the official shapes check. A dump's byte size
and checksum cannot be inside the dump itself: the web app adds them to ``/catalog`` from
the release's SHA256SUMS (web.views.catalog).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.formats import RDF_FORMATS
from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.tables.read import Row
from kg.terms import date_like
from kg.terms import text

EU = "http://publications.europa.eu/resource/authority/"
# labels of the EU vocabularies' concepts used here (our shapes want a Latvian label on
# every concept of the graph)
EU_LABELS = {
    "language/LAV": ("latviešu valoda", "Latvian"),
    "language/ENG": ("angļu valoda", "English"),
    "data-theme/SOCI": ("Iedzīvotāji un sabiedrība", "Population and society"),
    "data-theme/GOVE": ("Valdība un sabiedriskais sektors", "Government and public sector"),
    "country/LVA": ("Latvija", "Latvia"),
    "planned-availability/AVAILABLE": ("pieejams", "available"),
}
ADMS = "http://purl.org/adms/"
LICENCE_TYPE = f"{ADMS}licencetype/Attribution"
PUBLISHER_TYPE = f"{ADMS}publishertype/NonProfitOrganisation"
SCHEMES = {  # the vocabularies a value must be declared in, with their labels
    f"{EU}data-theme": ("Datu tēmas", "Data themes"),
    f"{ADMS}licencetype/1.0": ("Licenču veidi", "Licence types"),
    f"{ADMS}publishertype/1.0": ("Izdevēju veidi", "Publisher types"),
}
EU_LABELS["licencetype/Attribution"] = ("atsauce uz autoru", "attribution")
EU_LABELS["publishertype/NonProfitOrganisation"] = (
    "bezpeļņas organizācija",
    "non-profit organisation",
)
LANGUAGES = {"lv": "LAV", "en": "ENG"}
THEMES = ("SOCI", "GOVE")  # population and society; government and public sector
COUNTRY = "LVA"
AVAILABILITY = f"{EU}planned-availability/AVAILABLE"
DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def describe_catalog(ctx: Context, row: Row, dataset: ox.NamedNode) -> None:
    meta = ctx.facts.meta
    base = ctx.ids.base
    catalog, service = ctx.ids.id("catalog"), ctx.ids.id("service/sparql")
    publisher, contact = ctx.ids.id("agent/publisher"), ctx.ids.id("agent/publisher/contact")
    meta(catalog, P.TYPE, _n(DCAT + "Catalog"))
    for lang in ("lv", "en"):
        meta(catalog, P.DCT_TITLE, text(row[f"site_title_{lang}"], lang))
        meta(catalog, P.DCT_DESCRIPTION, text(row[f"description_{lang}"], lang))
    meta(catalog, P.DCT_PUBLISHER, publisher)
    meta(catalog, _n(DCAT + "dataset"), dataset)
    meta(catalog, _n(DCAT + "service"), service)
    meta(catalog, P.FOAF_HOMEPAGE, _n(base))
    meta(catalog, P.DCT_LICENSE, P.CC_BY)
    meta(P.CC_BY, P.TYPE, P.DCT_LICENSE_DOCUMENT)
    meta(catalog, _n(DCAT + "themeTaxonomy"), _n(f"{EU}data-theme"))
    _agent(ctx, row, publisher, contact)
    _dates(ctx, row, catalog)
    for node in (catalog, dataset):
        for code in LANGUAGES.values():
            language = _concept(ctx, f"{EU}language/{code}", f"{EU}language", P.DCT_LINGUISTIC)
            meta(node, P.DCT_LANGUAGE, language)
    _dataset(ctx, row, dataset, publisher, contact)
    for fmt in RDF_FORMATS:
        _distribution(ctx, dataset, fmt)
    _tables_distribution(ctx, dataset)
    _service(ctx, row, service, dataset, publisher, contact)
    meta(catalog, P.DCT_SPATIAL, _n(f"{EU}country/{COUNTRY}"))
    meta(P.CC_BY, P.DCT_TYPE, _concept(ctx, LICENCE_TYPE, f"{ADMS}licencetype/1.0"))
    meta(publisher, P.DCT_TYPE, _concept(ctx, PUBLISHER_TYPE, f"{ADMS}publishertype/1.0"))
    for scheme, (lv, en) in SCHEMES.items():
        node = _n(scheme)
        meta(node, P.TYPE, P.SCHEME)
        for predicate in (P.PREF, P.DCT_TITLE):
            meta(node, predicate, text(lv, "lv"))
            meta(node, predicate, text(en, "en"))


def _concept(ctx: Context, iri: str, scheme: str, kind: ox.NamedNode | None = None) -> ox.NamedNode:
    """A concept of an EU vocabulary, declared with its scheme and the class DCAT-AP's
    range shapes expect, labelled where it is a skos:Concept."""
    node = _n(iri)
    meta = ctx.facts.meta
    meta(node, P.IN_SCHEME, _n(scheme))
    meta(node, P.TYPE, kind or P.CONCEPT)
    labels = EU_LABELS.get(iri.removeprefix(EU).removeprefix(ADMS))
    if labels is not None:
        meta(node, P.PREF, text(labels[0], "lv"))
        meta(node, P.PREF, text(labels[1], "en"))
    return node


def _document(ctx: Context, iri: str, titles: tuple[str, str]) -> ox.NamedNode:
    node = _n(iri)
    ctx.facts.meta(node, P.TYPE, P.FOAF_DOCUMENT)
    ctx.facts.meta(node, P.DCT_TITLE, text(titles[0], "lv"))
    ctx.facts.meta(node, P.DCT_TITLE, text(titles[1], "en"))
    return node


def _agent(ctx: Context, row: Row, publisher: ox.NamedNode, contact: ox.NamedNode) -> None:
    meta = ctx.facts.meta
    meta(publisher, P.TYPE, P.FOAF_AGENT)
    for lang in ("lv", "en"):
        meta(publisher, P.FOAF_NAME, text(row[f"publisher_{lang}"], lang))
    meta(contact, P.TYPE, _n(VCARD + "Kind"))
    meta(contact, P.TYPE, _n(VCARD + "Organization"))
    meta(contact, _n(VCARD + "fn"), text(row["publisher_en"], "en"))
    meta(contact, _n(VCARD + "hasURL"), _n(ctx.ids.base))


def _dates(ctx: Context, row: Row, node: ox.NamedNode) -> None:
    for column, predicate in (("issued", P.DCT_ISSUED), ("modified", P.DCT_MODIFIED)):
        value = ctx.convert(row, column, date_like) if row[column] else None
        if value is not None:
            ctx.facts.meta(node, predicate, value)


def _dataset(
    ctx: Context, row: Row, dataset: ox.NamedNode, publisher: ox.NamedNode, contact: ox.NamedNode
) -> None:
    meta = ctx.facts.meta
    meta(dataset, P.DCT_PUBLISHER, publisher)
    meta(dataset, _n(DCAT + "contactPoint"), contact)
    titles = (row["site_title_lv"], row["site_title_en"])
    meta(dataset, _n(DCAT + "landingPage"), _document(ctx, ctx.ids.base, titles))
    _dates(ctx, row, dataset)
    _keywords(ctx, row, dataset)
    for theme in THEMES:
        meta(
            dataset, _n(DCAT + "theme"), _concept(ctx, f"{EU}data-theme/{theme}", f"{EU}data-theme")
        )
    country = _concept(ctx, f"{EU}country/{COUNTRY}", f"{EU}country")
    meta(dataset, P.DCT_SPATIAL, country)
    meta(country, P.TYPE, P.DCT_LOCATION)
    if row["temporal_start"] or row["temporal_end"]:
        period = ctx.ids.id("dataset/kg/temporal")
        meta(dataset, P.DCT_TEMPORAL, period)
        meta(period, P.TYPE, P.PERIOD_OF_TIME)
        years = [row[c][:4] for c in ("temporal_start", "temporal_end") if row[c]]
        meta(period, P.PREF, text(".–".join(years) + ". gads", "lv"))
        meta(period, P.PREF, text("–".join(years), "en"))
        for column, predicate in (("temporal_start", P.START_DATE), ("temporal_end", P.END_DATE)):
            value = ctx.convert(row, column, date_like) if row[column] else None
            if value is not None:
                meta(period, predicate, value)


def _distribution(ctx: Context, dataset: ox.NamedNode, fmt) -> None:
    meta = ctx.facts.meta
    node = ctx.ids.id(f"dataset/kg/distribution/{fmt.dump.replace('.', '-')}")
    url = _n(f"{ctx.ids.base}dumps/{fmt.dump}")
    meta(dataset, P.DCAT_DIST, node)
    meta(dataset, P.VOID_DUMP, url)
    meta(node, P.TYPE, P.DCAT_DISTRIBUTION)
    meta(node, _n(DCAT + "accessURL"), _n(f"{ctx.ids.base}dumps"))
    meta(node, P.DCAT_DOWNLOAD, url)
    media = _n(IANA + fmt.media)
    meta(node, P.DCAT_MEDIA_TYPE, media)
    meta(media, P.TYPE, P.DCT_MEDIA_TYPE)
    file_type = f"{EU}file-type/{fmt.eu}"
    meta(node, P.DCT_FORMAT, _concept(ctx, file_type, f"{EU}file-type", P.DCT_MEDIA_OR_EXTENT))
    meta(node, P.DCT_LICENSE, P.CC_BY)
    meta(
        node, _n(DCATAP + "availability"), _concept(ctx, AVAILABILITY, f"{EU}planned-availability")
    )
    meta(node, P.DCT_TITLE, text(fmt.dump, "en"))
    graphs = "ar nosauktajiem grafiem" if fmt.quads else "visu grafu apvienojums"
    meta(node, P.DCT_DESCRIPTION, text(f"Zināšanu grafs, {fmt.label} ({graphs})", "lv"))
    what = "with its named graphs" if fmt.quads else "the union of its graphs"
    meta(node, P.DCT_DESCRIPTION, text(f"The knowledge graph as {fmt.label} ({what})", "en"))


def _tables_distribution(ctx: Context, dataset: ox.NamedNode) -> None:
    """The source tables as CSV on the Web: their metadata, which names every table file
    beside it (kg.build.tables)."""
    from kg.release import TABLES_METADATA as METADATA
    from kg.release import TABLES_METADATA_MEDIA as METADATA_MEDIA

    meta = ctx.facts.meta
    node = ctx.ids.id("dataset/kg/distribution/tables")
    url = _n(f"{ctx.ids.base}dumps/{METADATA}")
    meta(dataset, P.DCAT_DIST, node)
    meta(node, P.TYPE, P.DCAT_DISTRIBUTION)
    meta(node, _n(DCAT + "accessURL"), _n(f"{ctx.ids.base}dumps"))
    meta(node, P.DCAT_DOWNLOAD, url)
    media = _n(IANA + METADATA_MEDIA)
    meta(node, P.DCAT_MEDIA_TYPE, media)
    meta(media, P.TYPE, P.DCT_MEDIA_TYPE)
    file_type = f"{EU}file-type/JSON"
    meta(node, P.DCT_FORMAT, _concept(ctx, file_type, f"{EU}file-type", P.DCT_MEDIA_OR_EXTENT))
    standard = _n("http://www.w3.org/TR/tabular-metadata/")
    meta(node, P.DCT_CONFORMS_TO, standard)
    meta(standard, P.TYPE, P.DCT_STANDARD)
    meta(node, P.DCT_LICENSE, P.CC_BY)
    meta(
        node, _n(DCATAP + "availability"), _concept(ctx, AVAILABILITY, f"{EU}planned-availability")
    )
    meta(node, P.DCT_TITLE, text(METADATA, "en"))
    meta(node, P.DCT_DESCRIPTION, text("Avota tabulas CSV formātā ar to shēmu (CSVW)", "lv"))
    meta(node, P.DCT_DESCRIPTION, text("The source tables as CSV, with their schema (CSVW)", "en"))


def _service(
    ctx: Context,
    row: Row,
    service: ox.NamedNode,
    dataset: ox.NamedNode,
    publisher: ox.NamedNode,
    contact: ox.NamedNode,
) -> None:
    meta = ctx.facts.meta
    endpoint = _n(f"{ctx.ids.base}sparql")
    meta(service, P.TYPE, _n(DCAT + "DataService"))
    meta(service, P.DCT_TITLE, text("SPARQL 1.1 galapunkts", "lv"))
    meta(service, P.DCT_TITLE, text("SPARQL 1.1 endpoint", "en"))
    meta(service, P.DCT_DESCRIPTION, text("Tikai lasīšanai; pieprasījumi tiek ierobežoti.", "lv"))
    meta(service, P.DCT_DESCRIPTION, text("Read-only; queries have time and size limits.", "en"))
    meta(service, _n(DCAT + "endpointURL"), endpoint)
    meta(service, _n(DCAT + "endpointDescription"), endpoint)
    meta(service, _n(DCAT + "servesDataset"), dataset)
    meta(service, P.DCT_CONFORMS_TO, _n(SPARQL_PROTOCOL))
    meta(_n(SPARQL_PROTOCOL), P.TYPE, P.DCT_STANDARD)
    meta(service, P.DCT_LICENSE, P.CC_BY)
    meta(service, P.DCT_PUBLISHER, publisher)
    meta(service, _n(DCAT + "contactPoint"), contact)
    workbench = ("SPARQL darbgalds", "SPARQL workbench")
    meta(service, _n(DCAT + "landingPage"), _document(ctx, f"{ctx.ids.base}workbench", workbench))
    _keywords(ctx, row, service)
    for theme in THEMES:
        meta(service, _n(DCAT + "theme"), _n(f"{EU}data-theme/{theme}"))


def _keywords(ctx: Context, row: Row, node: ox.NamedNode) -> None:
    for lang in ("lv", "en"):
        for keyword in filter(None, (k.strip() for k in row[f"keywords_{lang}"].split(";"))):
            ctx.facts.meta(node, _n(DCAT + "keyword"), text(keyword, lang))
