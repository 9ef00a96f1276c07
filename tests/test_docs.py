"""The README stays true: every setting and command it names exists, and the other way round."""

from __future__ import annotations

import re

from kg.config import ROOT
from kg.config import SETTINGS
from kg.config import settings_table

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
SETTINGS_DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for name in SETTINGS:
        assert f"`{name}`" in SETTINGS_DOC, name


def test_docs_name_no_unknown_setting():
    named = set(re.findall(r"`(KG_[A-Z_]+)`", README + DOCS))
    # the test suite's own variables (tests/test_cross_backend.py), not the app's settings
    tests_own = {"KG_TEST_ENDPOINT", "KG_TEST_DEFAULT_GRAPH"}
    source = (ROOT / "tests" / "test_cross_backend.py").read_text(encoding="utf-8")
    assert all(name in source for name in tests_own)
    assert named - tests_own <= set(SETTINGS), named - tests_own - set(SETTINGS)


def test_settings_doc_table_is_the_settings_table():
    """Names, meanings and defaults: the docs show the one table the code reads."""
    assert settings_table() in SETTINGS_DOC


def test_readme_is_a_short_front_door_with_links_that_resolve():
    assert len(README.splitlines()) <= 130
    links = [(ROOT, t) for t in re.findall(r"\]\(([^)#:]+)\)", README)]
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        links += [(doc.parent, t) for t in re.findall(r"\]\(([^)#:]+)\)", text)]
    assert links
    for folder, target in links:
        assert (folder / target).exists(), (folder, target)


def test_every_case_code_in_a_test_name_is_in_the_threat_model():
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    listed = set()
    for low, high in re.findall(r"\| H(\d\d)(?:–H(\d\d))? \|", security):
        listed.update(range(int(low), int(high or low) + 1))
    listed.update(int(n) for n in re.findall(r"H(\d\d), H\d\d", security))
    listed.update(int(n) for n in re.findall(r", H(\d\d) \|", security))
    names = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    cited = {int(n) for n in re.findall(r"def test_h(\d\d)_", names)}
    assert cited <= listed, sorted(cited - listed)
    for check in set(re.findall(r"def test_(s\d)_", names)):
        assert f"| {check.upper()} |" in security, check


def test_readme_commands_exist_in_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_ci_runs_the_readme_test_command():
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_table_is_documented_from_its_schema():
    """docs/tables.md is what `kg tables docs` writes from data/csv-metadata.json: a
    column added to the schema is documented, or this fails."""
    from kg.mapping import MAPPERS
    from kg.tables.schema import load
    from kg.tables.schema import project_schema
    from kg.tables.schema_docs import tables_markdown

    schema = load(project_schema())
    page = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert page == tables_markdown(schema), "run: kg tables docs --out docs/tables.md"
    for name in MAPPERS:
        assert f"## `{name}`" in page, name
        for column in schema[name].columns:
            assert column.described("lv") != column.name, (name, column.name)  # words, in lv
            assert column.described("en") != column.name, (name, column.name)
