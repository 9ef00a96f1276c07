"""The README stays true: every setting and command it names exists, and the other way round."""

from __future__ import annotations

import re

from kg.config import ROOT
from kg.config import SETTINGS
from kg.config import settings_table

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for name in SETTINGS:
        assert f"`{name}`" in README, name


def test_readme_names_no_unknown_setting():
    assert set(re.findall(r"`(KG_[A-Z_]+)`", README)) == set(SETTINGS)


def test_readme_settings_table_is_the_settings_table():
    """Names, meanings and defaults: the README shows the one table the code reads."""
    assert settings_table() in README


def test_readme_commands_exist_in_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_ci_runs_the_readme_test_command():
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_table_is_documented():
    from kg.mapping import TABLES

    tables = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"`{name}`" in tables, name
