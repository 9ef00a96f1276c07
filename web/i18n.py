"""Latvian (default) and English: the reader's choice is a cookie set by ?lang=."""

from __future__ import annotations

import re

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request

from kg.cells import ENGLISH_MONTHS
from kg.cells import written_number
from kg.explore.common import site_name
from kg.explore.plan import statuses
from kg.formats import RDF_BY_MEDIA
from kg.formats import RESULTS_BY_MEDIA

LANGS = ("lv", "en")

TEXT = {
    "site": ("Zināšanu grafs", "Knowledge graph"),
    "skip": ("Pāriet uz saturu", "Skip to content"),  # only where the data gives no title
    "plans": ("Plāni un pamatnostādnes", "Plans and guidelines"),
    "guidelines": ("pamatnostādnes", "guidelines"),
    "plan_kind": ("plāns", "plan"),
    "implements": ("īsteno", "implements"),
    "structure_known": ("zināmi rīcības virzieni", "action directions known"),
    "unidentified": ("Neidentificēti pasākumi", "Unidentified measures"),
    "home": ("Sākums", "Home"),
    "plan": ("Plāna struktūra", "Plan tree"),
    "dashboard": ("Statusi", "Status dashboard"),
    "matrix": ("Institūcijas × darbības", "Institutions × activities"),
    "figures": ("Skaitļi", "Figures"),
    "sources": ("Avoti", "Sources"),
    "dumps": ("Lejupielādes", "Downloads"),
    "search": ("Meklēt", "Search"),
    "approved_by": ("Apstiprināts ar", "Approved by"),
    "passed_by": ("pieņēma", "passed by"),
    "coordinator": ("Koordinē", "Coordinated by"),
    "reported": ("Ziņots", "Reported"),
    "enumerated": ("Grafā uzskaitīti", "Enumerated in the graph"),
    "measures": ("pasākumi", "measures"),
    "results": ("ziņotie rezultāti", "reported results"),
    "of_reported": ("no ziņotajiem", "of those reported"),
    "missing_measures": (
        "Neviens šī plāna pasākums grafā nav uzskaitīts: plāna pasākumu tabula nav pieejama.",
        "No measure of this plan is enumerated in the graph: its measure table could not be "
        "retrieved.",
    ),
    "count_not_given": (
        "Cik pasākumu plānā ir, nav norādīts avotos, kas mums ir.",
        "How many measures the plan has is not given in the sources we hold.",
    ),
    "not_given": ("nav norādīts", "not given"),
    "missing_counted": (
        "Avots saskaita {n} pasākumus; grafā ir avotos minētie rezultāti, bet neviens numurēts "
        "pasākums.",
        "A source counts {n} measures; the graph holds the results the sources name, but no "
        "numbered measure.",
    ),
    "status": ("Statuss", "Status"),
    "measures_enumerated": ("Pasākumi grafā", "Measures in the graph"),
    "results_cap": ("Ziņotie rezultāti", "Reported results"),
    "institution": ("Institūcija", "Institution"),
    "reported_vs": ("Ziņots un uzskaitīts", "Reported and enumerated"),
    "reported_by_source": ("Avots ziņo", "The source reports"),
    "where_from": ("No kurienes", "Where it comes from"),
    "not_identified": ("Nav identificēti", "Not identified"),
    "dashboard_note": (
        "Avota skaitļi (ziņots) stāv blakus tam, ko grafs var uzskaitīt. Ziņotie rezultāti nav "
        "plāna pasākumi: vienam pasākumam var būt vairāki rezultāti, un neviens rezultāts nav "
        "saistīts ar pasākuma numuru.",
        "The source's counts (reported) stand beside what the graph can enumerate. Reported "
        "results are not the plan's measures: one measure may have several, and no result is "
        "tied to a measure number.",
    ),
    "direction": ("Rīcības virziens", "Action direction"),
    "goal": ("Mērķis", "Goal"),
    "institutions": ("Institūcijas", "Institutions"),
    "outcomes": ("Sasniegtais", "Outcomes"),
    "notes": ("Redakcijas piezīmes", "Editorial notes"),
    "source_of": ("Avots", "Source"),
    "inferred": ("secināts", "inferred"),
    "editorial": ("projekta teksts", "editorial"),
    "stated": ("nolasīts avotā", "stated"),
    "hide_inferred": ("Slēpt secinātos faktus", "Hide inferred facts"),
    "show_inferred": ("Rādīt secinātos faktus", "Show inferred facts"),
    "fallback": ("nosaukums citā valodā", "label in another language"),
    "yes": ("jā", "yes"),
    "about_data": ("Par datiem", "About the data"),
    "on_this_page": ("Šajā lapā", "On this page"),
    "about_holds": ("Kas ir grafā", "What the graph holds"),
    "about_basis": ("Nolasīts, secināts, projekta teksts", "Stated, inferred, editorial"),
    "about_missing": ("Kā trūkst un kāpēc", "What is missing, and why"),
    "about_cite": ("Kā citēt", "How to cite"),
    "about_counts": (
        "Grafā ir {facts} faktu no {sources} avotiem par {plans} plānošanas dokumentiem.",
        "The graph holds {facts} facts from {sources} sources about {plans} planning documents.",
    ),
    "basis_stated_word": ("bez zīmes", "no badge"),
    "about_stated": (
        "{n} fakti nolasīti avotā: katrs ir nosauktā grafā, kas norāda avotu un slaidu vai "
        "lappusi. Šādi fakti nav iezīmēti.",
        "{n} facts were stated in a source: each sits in a named graph that names the source "
        "and its slide or page. They carry no badge.",
    ),
    "about_inferred": (
        "{n} fakti ir redakcionāli secinājumi (piemēram, kuram mērķim rezultāts pieder, ja avots "
        "min tikai virzienu). Tos var paslēpt.",
        "{n} facts are editorial inferences (for example which goal a result belongs to when "
        "the source names only the direction). They can be hidden.",
    ),
    "about_editorial": (
        "{n} fakti ir projekta teksts: angliskie nosaukumi, piezīmes un klasifikācija. Tie nav "
        "avota apgalvojumi.",
        "{n} facts are the project's own text: English renderings, notes and classifications. "
        "They are not claims of a source.",
    ),
    "about_switch": ("Secinātie fakti šobrīd:", "Inferred facts are now:"),
    "about_shown": ("rādīti", "shown"),
    "about_hidden": ("paslēpti", "hidden"),
    "about_missing_intro": (
        "Grafā ir tikai tas, ko avoti apgalvo. Kur avots saskaita pasākumus, bet tos "
        "neuzskaita, grafs saglabā skaitu un saka, cik no tiem nav identificēti.",
        "The graph holds only what the sources state. Where a source counts measures without "
        "listing them, the graph keeps the count and says how many are not identified.",
    ),
    "about_reported": ("Avots ziņo par {n} pasākumiem", "A source reports {n} measures"),
    "about_no_count": (
        "Neviens avots nesaskaita šī dokumenta pasākumus.",
        "No source counts this document's measures.",
    ),
    "about_enumerated": (
        "Grafā uzskaitīti: {measures} pasākumi, {results} ziņotie rezultāti.",
        "Enumerated in the graph: {measures} measures, {results} reported results.",
    ),
    "about_why": (
        "Kāpēc: plāna pasākumu tabulu (ar numuriem, atbildīgajiem un termiņiem) nevarēja iegūt; "
        "avoti min tikai rezultātus un skaitus.",
        "Why: the plan's measure table (numbers, responsible institutions, deadlines) could "
        "not be retrieved; the sources give only results and counts.",
    ),
    "about_cite_note": (
        "Katrs laidiens paliek lejupielādējams ar savu identifikatoru:",
        "Every release stays downloadable under its identifier:",
    ),
    "timeline": ("Politikas cikls laikā", "The policy cycle over time"),
    "date_unknown": ("datums grafā nav zināms", "date not known in the graph"),
    "act_date": ("apstiprināšanas akts", "approving act"),
    "result": ("Rezultāts", "Result"),
    "download": ("Lejupielādēt", "Download"),
    "empty_result": (
        "Vaicājumam nav neviena rezultāta. Pārbaudiet nosaukumus un prefiksus, vai sāciet ar "
        "kādu no piemēriem.",
        "The query has no results. Check the names and prefixes, or start from one of the "
        "examples.",
    ),
    "ask_note": ("Atbilde uz jautājumu (ASK).", "The answer to the question (ASK)."),
    "first_rows": (
        "Rādītas pirmās {n} rindas; lejupielādē ir visas.",
        "The first {n} rows are shown; a download holds them all.",
    ),
    "notes_are_editorial": (
        "Projekta redakcionālās piezīmes: tās skaidro avotus un secinājumus, bet pašas nav "
        "avota apgalvojumi.",
        "The project's editorial notes: they explain the sources and the inferences, and are "
        "not claims of a source themselves.",
    ),
    "inferred_hidden": (
        "Secinātie fakti ir paslēpti: šajās lapās redzami tikai avotos nolasītie un projekta "
        "fakti.",
        "Inferred facts are hidden: these pages show only facts stated in sources and the "
        "project's own.",
    ),
    "other_languages": ("citās valodās ({n})", "in other languages ({n})"),
    "activity": ("Darbība", "Activity"),
    "role": ("Loma", "Role"),
    "basis": ("Pamatojums", "Basis"),
    "breadcrumbs": ("Atrašanās vieta", "You are here"),
    "filter_table": ("Atlasīt tabulas rindas", "Filter the table's rows"),
    "filter": ("Atlasīt", "Filter"),
    "clear_filter": ("Rādīt visas rindas", "Show all rows"),
    "download_csv": ("Lejupielādēt CSV", "Download CSV"),
    "filtered": (
        "Atlasītas {shown} no {total} rindām, kurās ir „{word}”.",
        "Showing {shown} of {total} rows that contain “{word}”.",
    ),
    "sort_by": ("kārtot pēc šīs kolonnas", "sort by this column"),
    "iri_column": ("IRI", "IRI"),
    "no_rows": ("Nav rindu.", "No rows."),
    "plain_text": ("teksts", "plain text"),
    "sources_intro": (
        "Katrs fakts grafā atsaucas uz avotu: dokumentu, tā slaidu vai lappusi. Šeit ir visi "
        "avoti un tas, cik faktu no katra nolasīts (vai secināts).",
        "Every fact in the graph cites a source: a document, or one of its slides or pages. "
        "Here are all the sources, with how many facts were read (or inferred) from each.",
    ),
    "blank_node": ("(nenosaukta vienība)", "(an unnamed node)"),
    "in_lv": ("Latviski", "In Latvian"),
    "in_en": ("Angliski", "In English"),
    "part_of": ("Ietilpst", "Part of"),
    "slide_n": ("{n}. slaids", "slide {n}"),
    "page_n": ("{n}. lappuse", "page {n}"),
    "held_copy": ("projekta kopija (teksts)", "the project's copy (text)"),
    "catalog_as": ("Katalogs kā dati:", "The catalogue as data:"),
    "media_type": ("Datņu tips", "Media type"),
    "slide_text": ("Slaida teksts", "The slide's text"),
    "source_facts": ("No šī avota nolasītie fakti", "Facts read from this source"),
    "held_words": ("Glabātie avota vārdi", "The source's words held"),
    "held_words_note": (
        "Projekts glabā lapas fragmentus, no kuriem nolasīti fakti: lapas mainās.",
        "The project holds the passages of the page that facts were read from: pages change.",
    ),
    "marked_note": (
        "Iezīmēti vārdi, no kuriem nolasīts kāds fakts.",
        "Marked: the words a fact was read from.",
    ),
    "quotes": ("Vārdi avotā", "Words in the source"),
    "quotes_note": (
        "Vārdi, no kuriem nolasīti šīs lapas apgalvotie fakti; saite ved uz tiem avota tekstā.",
        "The words this page's stated facts were read from; each link shows them in the source.",
    ),
    "slide_text_note": (
        "Prezentācijas teksta slānis, kā to satur projekta kopija (latviski); "
        "attēlos esošais teksts tajā nav.",
        "The text layer of the presentation as the project's copy holds it (in Latvian); "
        "text inside pictures is not in it.",
    ),
    "slide_no_text": (
        "Šim slaidam nav teksta slāņa (tas ir attēls).",
        "This slide has no text layer (it is a picture).",
    ),
    "slide_facts": ("No šī slaida nolasītie fakti", "Facts read from this slide"),
    "slide_no_facts": ("Neviens fakts neatsaucas uz šo slaidu.", "No fact cites this slide."),
    "as_data": ("Šī lapa kā dati (Turtle)", "This page as data (Turtle)"),
    "no": ("nē", "no"),
    "outbound": ("Īpašības", "Properties"),
    "inbound": ("Saites uz šo", "Links to this"),
    "page": ("Lapa", "Page"),
    "worked_with": ("Strādāja kopā ar", "Worked with"),
    "shared": ("kopīgas darbības", "shared activities"),
    "value": ("Vērtība", "Value"),
    "value_type": ("Vērtības veids", "Kind of value"),
    "deadline": ("Termiņš", "Deadline"),
    "catalog": ("Datu katalogs", "Data catalogue"),
    "catalog_note": (
        "DCAT-AP 3.0.1 katalogs, ko datu portāli (data.gov.lv, data.europa.eu) var ievākt.",
        "A DCAT-AP 3.0.1 catalogue for data portals (data.gov.lv, data.europa.eu) to harvest.",
    ),
    "format": ("Formāts", "Format"),
    "releases": ("Laidieni", "Releases"),
    "release": ("Laidiens", "Release"),
    "version": ("Versija", "Version"),
    "changes": ("Izmaiņas", "Changes"),
    "current": ("pašreizējais", "current"),
    "compare_current": ("salīdzināt ar pašreizējo", "compare with the current one"),
    "graph": ("Grafs", "Graph"),
    "added": ("Pievienoti fakti", "Facts added"),
    "removed": ("Izņemti fakti", "Facts removed"),
    "vocabulary": ("Vārdnīca (ontoloģija)", "Vocabulary (ontology)"),
    "vocabulary_note": (
        "Klases un īpašības, ko grafs lieto; vārdtelpa",
        "The classes and properties the graph uses; namespace",
    ),
    "terms_classes": ("Klases", "Classes"),
    "terms_object": ("Saišu īpašības", "Object properties"),
    "terms_data": ("Vērtību īpašības", "Datatype properties"),
    "domain": ("Attiecas uz", "Domain"),
    "range": ("Vērtības", "Range"),
    "super_terms": ("Plašāki termini", "Broader terms"),
    "sub_terms": ("Šaurāki termini", "Narrower terms"),
    "used_by": ("Lieto resursi", "Used by resources"),
    "example": ("piemērs", "example"),
    "service": ("SPARQL galapunkts", "SPARQL endpoint"),
    "workbench": ("Vaicājumu darbvieta", "Query workbench"),
    "deadlines": ("Izpildes termiņi", "Follow-up deadlines"),
    "programme": ("Programma", "Programme"),
    "unit": ("Mērvienība", "Unit"),
    "period": ("Periods", "Period"),
    "printed": ("Kā drukāts", "As printed"),
    "about": ("Par", "About"),
    "indicator": ("Rādītājs", "Indicator"),
    "facts": ("fakti", "facts"),
    "size": ("Izmērs", "Size"),
    "checksum": ("SHA-256", "SHA-256"),
    "file": ("Fails", "File"),
    "no_results": ("Nekas nav atrasts.", "Nothing found."),
    "not_found": ("Nav atrasts", "Not found"),
    "error": ("Kļūda", "Error"),
    "type": ("Veids", "Type"),
    "activities": ("Darbības", "Activities"),
    "network": ("Saišu tīkls", "Network"),
    "by_type": ("Pēc institūcijas veida", "By institution type"),
    "by_direction": ("Pēc rīcības virziena", "By action direction"),
    "by_goal": ("Pēc mērķa", "By goal"),
    "by_institution": ("Pēc institūcijas", "By institution"),
    "total": ("Kopā", "Total"),
    "language": ("English", "Latviski"),
}


def t(key: str, **values: object) -> str:
    lv, en = TEXT[key]
    text = en if g.get("lang") == "en" else lv
    return text.format(**values) if values else text


def switch_url(**changes: str) -> str:
    """The current page with ``changes`` to its query (``?lang=en``), keeping the rest of
    the path and the query: switching the language does not lose a search or a query."""
    from urllib.parse import urlencode

    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    args += sorted((k, v) for k, v in changes.items() if v != "")  # "" removes a parameter
    return f"{request.path}?{urlencode(args)}" if args else request.path


def number(value: object) -> str:
    """A number as the reader's language writes it: ``491 000`` (lv), ``491,000`` (en)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return written_number(value, g.get("lang", "lv"))


MONTHS = {
    "lv": (
        "janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā",
        "jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī",
    ),
    "en": ENGLISH_MONTHS,
}  # fmt: skip
LANGUAGE_NAMES = {
    "lv": {"lv": "latviski", "en": "angliski"},
    "en": {"lv": "in Latvian", "en": "in English"},
}
XSD = "http://www.w3.org/2001/XMLSchema#"
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def date_text(value: str | None) -> str:
    """``2018-07-18`` → ``2018. gada 18. jūlijā`` (lv), ``18 July 2018`` (en); a year and
    month alone → ``2018. gada jūlijā``, ``July 2018``. Anything else is returned as it is."""
    if not value:
        return ""
    lang = "en" if g.get("lang") == "en" else "lv"
    months = MONTHS[lang]
    if found := DATE.match(value):
        year, month, day = int(found[1]), int(found[2]), int(found[3])
        if 1 <= month <= 12:
            if lang == "lv":
                return f"{year}. gada {day}. {months[month - 1]}"
            return f"{day} {months[month - 1]} {year}"
    if found := YEAR_MONTH.match(value):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return (
                f"{year}. gada {months[month - 1]}"
                if lang == "lv"
                else f"{months[month - 1]} {year}"
            )
    return value


def literal_text(value: str, datatype: str | None) -> str:
    """A literal as a reader reads it: dates and numbers written as the language writes
    them, booleans as words; other values unchanged."""
    kind = (datatype or "").removeprefix(XSD)
    if kind in ("date", "gYearMonth"):
        return date_text(value)
    if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        try:
            return number(int(value))
        except ValueError:
            return value
    if kind in ("decimal", "double", "float"):
        try:
            return number(float(value))
        except ValueError:
            return value
    if kind == "boolean":
        return t("yes") if value in ("true", "1") else t("no")
    return value


def language_name(code: str | None) -> str:
    """``en`` → ``angliski`` on a Latvian page: a language as a word, never its tag."""
    names = LANGUAGE_NAMES["en" if g.get("lang") == "en" else "lv"]
    return names.get(code or "", "")


def amount(value: object, unit: dict | None = None) -> str:
    """A figure with its currency where its unit is the euro: ``191 000 €`` (lv), ``€191,000``
    (en); other figures as :func:`number` writes them."""
    text = number(value)
    if text and unit and str(unit.get("iri", "")).endswith("/unit/eur"):
        return f"€{text}" if g.get("lang") == "en" else f"{text}\u00a0€"
    return text


def format_name(media_type: str | None) -> str:
    """``application/n-quads`` → ``N-Quads``: a file format as people name it."""
    media = (media_type or "").split(";")[0].strip()
    known = RDF_BY_MEDIA.get(media) or RESULTS_BY_MEDIA.get(media)
    if known is not None:
        return known.label
    return {"application/json": "JSON", "text/plain": t("plain_text"), "text/csv": "CSV"}.get(
        media, media
    )


def file_size(size: object) -> str:
    """``1573704`` → ``1,6 MB`` (lv), ``1.6 MB`` (en)."""
    if not isinstance(size, int):
        return ""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            text = f"{size / scale:.1f}".removesuffix(".0")
            return (text.replace(".", ",") if g.get("lang") != "en" else text) + f"\u00a0{unit}"
    return f"{size}\u00a0B"


def _status_list() -> dict:
    """The data's implementation statuses, read once per process: their words by language
    and their order in the code list."""
    state = current_app.extensions["kg"]
    if "statuses" not in state:
        from kg.queries import query

        base = current_app.config["BASE"]
        words: dict[str, dict[str, str]] = {}
        for row in state["backend"].select(query("status-words", base)):
            code = str(row["status"]).rsplit("/", 1)[-1]
            words.setdefault(code, {})[row["label"].language or ""] = str(row["label"])
        codes = [str(s).rsplit("/", 1)[-1] for s in statuses(state["backend"], base)]
        state["statuses"] = {"words": words, "order": [c for c in codes if c != "all"]}
    return state["statuses"]


def status_place(code: str) -> int:
    """A status's place in the data's code list (1, 2, …; 0 if unknown): its badge colour,
    so that the data, not the stylesheet, says which status is which."""
    order = _status_list()["order"]
    return order.index(code) + 1 if code in order else 0


def status_word(code: str) -> str:
    """A status in the reader's language, as the data's code list names it."""
    labels = _status_list()["words"].get(code, {})
    return labels.get(g.get("lang", "lv")) or labels.get("lv") or code


def facts_word(n: int) -> str:
    """ "1 fakts", "21 fakts", "5 fakti" / "1 fact", "5 facts"."""
    if g.get("lang") == "en":
        return f"{n} fact" if n == 1 else f"{n} facts"
    return f"{n} fakts" if n % 10 == 1 and n % 100 != 11 else f"{n} fakti"


def rows_word(n: int) -> str:
    """ "1 rinda", "2 rindas" / "1 row", "2 rows"."""
    if g.get("lang") == "en":
        return "row" if n == 1 else "rows"
    return "rinda" if n % 10 == 1 and n % 100 != 11 else "rindas"


def site_title() -> str:
    """The site's short title in the reader's language, as the data gives it."""
    titles = current_app.extensions["kg"]["site"]["titles"]
    lang = g.get("lang", "lv")
    return titles.get(lang) or titles.get("lv") or titles.get("en") or t("site")


def init_app(app: Flask) -> None:
    @app.before_request
    def choose_language() -> None:
        asked = request.args.get("lang")
        cookie = request.cookies.get("lang")
        g.lang = asked if asked in LANGS else cookie if cookie in LANGS else "lv"
        shown = request.args.get("inferred")
        g.inferred = (
            (shown != "0") if shown in ("0", "1") else request.cookies.get("inferred") != "0"
        )
        g.remember = {
            k: v
            for k, v in (("lang", asked), ("inferred", shown))
            if v is not None and (v in LANGS or v in ("0", "1"))
        }

    @app.after_request
    def remember(response: Response) -> Response:
        for key, value in g.get("remember", {}).items():
            response.set_cookie(key, value, max_age=365 * 24 * 3600, samesite="Lax")
        if g.get("remember"):
            # a reader's own choice: for this reader's cache only, and asked again each time
            # (a 304 sets the cookie again, so a page from the cache never disagrees with it)
            response.headers["Cache-Control"] = "private, no-cache"
        return response

    app.jinja_env.globals["t"] = t
    app.jinja_env.globals["site_title"] = site_title
    app.jinja_env.globals["switch_url"] = switch_url
    app.jinja_env.globals["status_word"] = status_word
    app.jinja_env.globals["status_place"] = status_place
    app.jinja_env.globals["rows_word"] = rows_word
    app.jinja_env.globals["facts_word"] = facts_word
    app.jinja_env.filters["site_name"] = site_name
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["date_text"] = date_text
    app.jinja_env.filters["amount"] = amount
    app.jinja_env.filters["format_name"] = format_name
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["literal_text"] = literal_text
    app.jinja_env.filters["language_name"] = language_name
