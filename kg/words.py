"""Words for readers: one gettext catalogue per interface language.

The site's pages read ``web/translations/<lang>/LC_MESSAGES/messages.po`` and the generated
report ``kg/report/translations/…`` (:class:`Words` takes the folder). Each message's
``msgid`` is the key the templates and the code use (``t('dumps')``), its ``msgstr`` what a
reader sees. A translator edits them with any PO editor (Poedit, Lokalize, Weblate);
plurals follow the language's CLDR rules, written in the catalogue's ``Plural-Forms`` header
by Babel. The catalogues are read with Babel (``read_po``) and used through the standard
library's gettext (``babel.support.Translations``), so no compiled ``.mo`` file is kept
beside them.

A new language is its catalogue and its code in ``kg.config.LANGUAGES``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations


class MissingWordsError(KeyError):
    """A key no catalogue has: a template or the code asks for words nobody wrote."""


class Words:
    """The catalogues of ``languages`` (the first is the default, whose words stand in for
    a message another catalogue lacks)."""

    @dataclass(frozen=True)
    class Key:
        """Words not yet in a language: a message's key and its values (an error's
        description, said in the language of whoever reads it)."""

        key: str
        values: dict[str, object]

        def __str__(self) -> str:
            return self.key

    def __init__(self, languages: tuple[str, ...], folder: Path):
        self.languages = languages
        self.keys: dict[str, set[str]] = {}
        self.catalogues: dict[str, Translations] = {}
        for lang in languages:
            path = folder / lang / "LC_MESSAGES" / "messages.po"
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=None, domain="messages")
            self.keys[lang] = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            self.catalogues[lang] = Translations(compiled)

    def _language(self, lang: str, key: str) -> str:
        if key in self.keys.get(lang, ()):
            return lang
        default = self.languages[0]
        if key in self.keys[default]:
            return default
        raise MissingWordsError(key)

    def text(self, lang: str, key: str, **values: object) -> str:
        """The words of ``key`` in ``lang``, with ``{name}`` filled from ``values``."""
        words = self.catalogues[self._language(lang, key)].gettext(key)
        return words.format(**values) if values else words

    def plural(self, lang: str, key: str, quantity: int, **values: object) -> str:
        """The form of ``key`` the language takes after ``quantity`` (its CLDR plural rule),
        with ``{n}`` the quantity unless ``values`` give it written otherwise."""
        words = self.catalogues[self._language(lang, key)].ngettext(key, f"{key}_plural", quantity)
        return words.format(**{"n": quantity, **values})

    def has(self, lang: str, key: str) -> bool:
        return key in self.keys.get(lang, ()) or key in self.keys[self.languages[0]]
