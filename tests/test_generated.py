"""Every page type answers on generated tables (kg generate): the shape the benchmarks
scale to 100k and 1M facts, here at a small size."""

from __future__ import annotations

import pytest

from kg.build.generate import generate
from kg.build.pipeline import build
from kg.config import Config
from kg.export_site import AGGREGATES
from tests.test_words import one_of_each_kind
from web import create_app


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    generate(folder / "data", 5000)
    return build(Config(out=folder / "out", data=folder / "data"))


def test_every_page_type_answers_on_generated_tables(generated):
    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        client = app.test_client()
        kinds = one_of_each_kind(client)
        assert any("/measure/" in path for path in kinds)  # the generated plan has measures
        paths = [
            *AGGREGATES,
            *kinds,
            "/search?q=Pas%C4%81kums",
            "/workbench?example=03-structure-counts",
        ]
        failed = {}
        for path in paths:
            for lang in ("lv", "en"):
                joiner = "&" if "?" in path else "?"
                status = client.get(f"{path}{joiner}lang={lang}").status_code
                if status != 200:
                    failed[f"{path} ({lang})"] = status
        assert failed == {}
    finally:
        app.extensions["kg"]["pool"].close()
