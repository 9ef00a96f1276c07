"""The reader's language (the default, or a choice remembered in a cookie set by
?lang=), its words (web.words: gettext catalogues) and how it writes numbers, dates,
sizes and amounts (Babel, CLDR)."""

from __future__ import annotations

import datetime
import functools
import re
from pathlib import Path

from babel import Locale
from babel import UnknownLocaleError
from babel.numbers import format_decimal
from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request

from kg.config import LANGUAGES
from kg.explore.common import site_name
from kg.formats import RDF_BY_MEDIA
from kg.formats import RESULTS_BY_MEDIA
from web.words import FOLDER
from web.words import Words

LANGS = LANGUAGES  # one list: kg.config


def _words() -> Words:
    return current_app.extensions["words"]


def language() -> str:
    return g.get("lang") or LANGS[0]


def t(key: str, **values: object) -> str:
    """The words of ``key`` in the reader's language, from its catalogue (web.words)."""
    return _words().text(language(), key, **values)


def tn(key: str, quantity: int, **values: object) -> str:
    """The form of ``key`` the reader's language takes after ``quantity``: ``{n} fakts``."""
    return _words().plural(language(), key, quantity, **values)


def _locale() -> str:
    """The reader's language as Babel knows it (a language Babel does not know is written
    as the default one writes numbers)."""
    return _babel_language(language())


@functools.cache
def _babel_language(lang: str) -> str:
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return LANGS[0]
    return lang


def switch_url(**changes: str) -> str:
    """The current page with ``changes`` to its query (``?lang=en``), keeping the rest of
    the path and the query: switching the language does not lose a search or a query."""
    from urllib.parse import urlencode

    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    args += sorted((k, v) for k, v in changes.items() if v != "")  # "" removes a parameter
    return f"{request.path}?{urlencode(args)}" if args else request.path


def number(value: object) -> str:
    """A number as the reader's language writes it (Babel, CLDR): ``491 000`` (lv),
    ``491,000`` (en); a fraction with two decimals, ``2,50`` (lv)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    whole = isinstance(value, int) or value.is_integer()
    pattern = "#,##0" if whole else "#,##0.00"
    return format_decimal(value, format=pattern, locale=_locale())


XSD = "http://www.w3.org/2001/XMLSchema#"
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def moment_text(value: str | None) -> str:
    """An ISO date and time (UTC) as the reader's language writes the date (date_text, the
    catalogue's month names), then the time and its zone: ``2026. gada 7. decembrī
    12:30:05 UTC``."""
    if not value:
        return ""
    try:
        moment = datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
    except ValueError:
        return value
    return f"{date_text(moment.date().isoformat())} {t('time_utc', time=f'{moment:%H:%M:%S}')}"


def date_text(value: str | None) -> str:
    """``2018-07-18`` → ``2018. gada 18. jūlijā`` (lv), ``18 July 2018`` (en); a year and
    month alone → ``2018. gada jūlijā``, ``July 2018``. Anything else is returned as it is."""
    if not value:
        return ""
    if found := DATE.match(value):
        year, month, day = int(found[1]), int(found[2]), int(found[3])
        if 1 <= month <= 12:
            return t("date_day", year=year, day=day, month=t(f"month_{month}"))
    if found := YEAR_MONTH.match(value):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            return t("date_month", year=year, month=t(f"month_{month}"))
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
    key = f"language_{code}"
    return t(key) if code and _words().has(language(), key) else ""


def amount(value: object, unit: dict | None = None) -> str:
    """A figure with its currency where its unit is the euro: ``191 000 €`` (lv), ``€191,000``
    (en); other figures as :func:`number` writes them."""
    text = number(value)
    if text and unit and str(unit.get("iri", "")).endswith("/unit/eur"):
        return t("amount_eur", n=text)
    return text


def format_name(media_type: str | None) -> str:
    """``application/n-quads`` → ``N-Quads``: a file format as people name it."""
    media = (media_type or "").split(";")[0].strip()
    known = RDF_BY_MEDIA.get(media) or RESULTS_BY_MEDIA.get(media)
    if known is not None:
        return known.label
    names = {
        "application/json": "JSON",
        "text/csv": "CSV",
        "application/csvm+json": "CSVW",
        "application/gzip": "gzip",
    }
    return t("plain_text") if media == "text/plain" else names.get(media, media)


def file_size(size: object) -> str:
    """``1573704`` → ``1,6 MB`` (lv), ``1.6 MB`` (en)."""
    if not isinstance(size, int):
        return ""
    for key, scale in (("size_mb", 1_000_000), ("size_kb", 1_000)):
        if size >= scale:
            return t(key, n=format_decimal(round(size / scale, 1), format="0.#", locale=_locale()))
    return t("size_b", n=size)


def facts_word(n: int) -> str:
    """ "1 fakts", "21 fakts", "5 fakti" / "1 fact", "5 facts"."""
    return tn("n_facts", n, n=number(n))


def items_word(n: int) -> str:
    """ "1 pasākums vai rezultāts", "5 pasākumi un rezultāti" / "5 measures and results"."""
    return tn("n_linked_items", n, count=number(n))


def rows_word(n: int) -> str:
    """ "1 rinda", "2 rindas" / "1 row", "2 rows"."""
    return tn("rows_word", n)


def site_title() -> str:
    """The site's short title in the reader's language, as the data gives it."""
    titles = current_app.extensions["kg"]["site"]["titles"]
    lang = language()
    return titles.get(lang) or next((titles[o] for o in LANGS if titles.get(o)), None) or t("site")


def init_app(app: Flask) -> None:
    languages = tuple(app.config.get("LANGUAGES") or LANGS)
    app.extensions["words"] = Words(languages, Path(app.config.get("TRANSLATIONS") or FOLDER))

    @app.before_request
    def choose_language() -> None:
        asked = request.args.get("lang")
        cookie = request.cookies.get("lang")
        g.lang = asked if asked in languages else cookie if cookie in languages else languages[0]
        g.languages = languages
        shown = request.args.get("inferred")
        g.inferred = (
            (shown != "0") if shown in ("0", "1") else request.cookies.get("inferred") != "0"
        )
        g.remember = {
            k: v
            for k, v in (("lang", asked), ("inferred", shown))
            if v is not None and (v in languages or v in ("0", "1"))
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
    app.jinja_env.globals["tn"] = tn  # the form a word takes after a number: tn('results_after', n)
    app.jinja_env.globals["other_languages"] = other_languages
    app.jinja_env.globals["site_title"] = site_title
    app.jinja_env.globals["switch_url"] = switch_url
    app.jinja_env.globals["rows_word"] = rows_word
    app.jinja_env.globals["items_word"] = items_word
    app.jinja_env.globals["facts_word"] = facts_word
    app.jinja_env.filters["site_name"] = site_name
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["date_text"] = date_text
    app.jinja_env.filters["moment_text"] = moment_text
    app.jinja_env.filters["amount"] = amount
    app.jinja_env.filters["format_name"] = format_name
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["literal_text"] = literal_text
    app.jinja_env.filters["language_name"] = language_name


def other_languages() -> list[tuple[str, str]]:
    """The languages a reader may switch to, each named in itself (``English``)."""
    words = _words()
    return [
        (lang, words.text(lang, "language_self")) for lang in words.languages if lang != language()
    ]
