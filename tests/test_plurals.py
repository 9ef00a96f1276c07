"""Every plural the pages write, in each language, after the numbers where the forms differ:
Latvian takes the singular after 1 and 21 (not 11), the plural after 2 and after 10;
English the singular after 1 only."""

from __future__ import annotations

import pytest

from kg.config import LANGUAGES
from web.words import FOLDER
from web.words import Words

WORDS = Words(LANGUAGES, FOLDER)

FORMS = {  # key: (lv singular, lv plural, en singular, en plural)
    "measures_reported_after": (
        "pasākums, kā ziņo avots",
        "pasākumi, kā ziņo avots",
        "measure, as the source reports",
        "measures, as the source reports",
    ),
    "enumerated_after": (
        "uzskaitīts grafā",
        "uzskaitīti grafā",
        "enumerated in the graph",
        "enumerated in the graph",
    ),
    "results_after": ("rezultāts", "rezultāti", "result", "results"),
    "structure_known_after": (
        "zināms rīcības virziens",
        "zināmi rīcības virzieni",
        "action direction known",
        "action directions known",
    ),
    "shared_after": ("kopīga darbība", "kopīgas darbības", "shared activity", "shared activities"),
    "n_facts": ("1 fakts", None, "1 fact", None),
    "n_linked_items": (
        "{count} pasākums vai rezultāts",
        "{count} pasākumi un rezultāti",
        "{count} measure or result",
        "{count} measures and results",
    ),
}


@pytest.mark.parametrize("key", sorted(FORMS))
def test_latvian_plural(key):
    one, many, _, _ = FORMS[key]
    if many is None:  # a message with its number in it: checked at 1 only
        assert WORDS.plural("lv", key, 1, count="{count}") == one
        return
    for n in (1, 21, 101):
        assert WORDS.plural("lv", key, n, count="{count}") == one, n
    for n in (2, 5, 10, 11, 12, 19, 20, 0):
        assert WORDS.plural("lv", key, n, count="{count}") == many, n


@pytest.mark.parametrize("key", sorted(FORMS))
def test_english_plural(key):
    _, _, one, many = FORMS[key]
    assert WORDS.plural("en", key, 1, count="{count}") == one
    if many is not None:
        for n in (0, 2, 21):
            assert WORDS.plural("en", key, n, count="{count}") == many, n
