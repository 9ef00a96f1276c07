"""Releases you can cite: the ones a build folder keeps are listed, downloadable, and
compared: facts added and removed by graph, and an RDF Patch of the change."""

from __future__ import annotations

import pytest

from kg.build.pipeline import build
from kg.config import Config
from tests.page_text import visible_text
from tests.release_fixtures import rename_in_english
from web import create_app


def test_two_releases_are_listed_compared_and_downloadable(data_copy, tmp_path):
    out = tmp_path / "out"
    first = build(Config(out=out, data=data_copy)).release
    # an institution no editorial note names (a note names things by their English name)
    rename_in_english(data_copy, "latvijas-pilsoniska-alianse", "Civic Alliance – Latvia (LPA)")
    second = build(Config(out=out, data=data_copy)).release
    assert first != second
    client = create_app({"TESTING": True, "RELEASE": str(out / "dist")}).test_client()
    listed = client.get("/releases.json").get_json()["releases"]
    assert [r["id"] for r in listed] == [second.name, first.name]
    assert listed[0]["current"] and not listed[1]["current"]
    changes = client.get(f"/releases/{first.name}/diff/{second.name}.json").get_json()
    assert changes["counts"] == {"added": 1, "removed": 1}
    [graph] = changes["graphs"]
    assert graph["graph"].endswith("/graph/editorial") and graph["added"] == graph["removed"] == 1
    assert '"Civic Alliance – Latvia (LPA)"@en' in changes["added"][0]
    patch = client.get(f"/releases/{first.name}/diff/{second.name}.rdfp")
    lines = patch.get_data(as_text=True).splitlines()
    assert patch.mimetype == "application/rdf-patch" and lines[2] == "TX ." and lines[-1] == "TC ."
    assert [line[0] for line in lines[3:-1]] == ["D", "A"]
    with client.get(f"/releases/{first.name}/dumps/kg.nq") as old:
        assert old.data == (first / "kg.nq").read_bytes()
    assert client.get(f"/releases/{first.name}/dumps/../../etc/passwd").status_code == 404
    assert client.get("/releases/nope/diff/other.json").status_code == 404
    page = client.get("/releases?lang=en").get_data(as_text=True)
    assert "compare with the current one" in page
    # the change in words: the thing by its name, the property by its label, was → now
    in_english = client.get(f"/releases/{first.name}/diff/{second.name}.json?lang=en")
    [thing] = in_english.get_json()["things"]
    assert thing["ref"]["iri"].endswith("/org/latvijas-pilsoniska-alianse")
    [changed] = thing["properties"]
    assert [v["value"] for v in changed["added"]] == ["Civic Alliance – Latvia (LPA)"]
    assert len(changed["removed"]) == 1
    words = visible_text(
        client.get(f"/releases/{first.name}/diff/{second.name}?lang=en").get_data(as_text=True)
    )
    assert f"{thing['ref']['label']} " in words and "was " in words
    assert "now Civic Alliance – Latvia (LPA)" in words and "RDF Patch" in words
    assert "<https://" not in words  # no raw N-Quads on the page
    # a diff costs like a query: it counts against the client's budget
    limited = create_app(
        {"TESTING": True, "RELEASE": str(out / "dist"), "SPARQL_RATE": 0.01, "SPARQL_BURST": 3}
    ).test_client()
    statuses = [
        limited.get(f"/releases/{first.name}/diff/{second.name}.json").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    refused = limited.get(f"/releases/{first.name}/diff/{second.name}.rdfp")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_a_query_runs_on_a_named_release(data_copy, tmp_path):
    """A cited result is reproduced on the release it came from, after a newer build."""
    from tests.conftest import run_kg

    out = tmp_path / "out"
    first = build(Config(out=out, data=data_copy)).release
    table = data_copy / "institutions.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace(",Ministry of Culture,", ",Ministry X,", 1),
        encoding="utf-8",
    )
    build(Config(out=out, data=data_copy))
    question = (
        "SELECT ?n WHERE { <https://w3id.org/lvpolicy/id/org/kulturas-ministrija> "
        'skos:prefLabel ?n FILTER (lang(?n) = "en") }'
    )
    now = run_kg("query", "-", "--out", str(out), "--format", "csv", input_text=question)
    then = run_kg(
        "query",
        "-",
        "--out",
        str(out),
        "--release",
        first.name,
        "--format",
        "csv",
        input_text=question,
    )
    assert "Ministry X" in now.stdout and "Ministry of Culture" in then.stdout, then.stderr
    missing = run_kg("query", "-", "--out", str(out), "--release", "nope", input_text=question)
    assert missing.returncode == 2 and "No release 'nope'" in missing.stderr


def test_a_release_cut_short_is_refused(built, tmp_path):
    """A dump whose bytes do not match SHA256SUMS (a copy cut short) is never served."""
    import shutil

    from tests.conftest import run_kg
    from web import create_app

    copy = tmp_path / "out" / "releases" / "copy"
    shutil.copytree(built.release, copy)
    (tmp_path / "out" / "dist").symlink_to(copy)
    dump = copy / "kg.ttl"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with pytest.raises(ValueError, match="kg.ttl"):
        create_app({"TESTING": True, "RELEASE": str(tmp_path / "out" / "dist")})
    result = run_kg("serve", "--out", str(tmp_path / "out"), "--port", "0")
    assert result.returncode != 0 and "kg.ttl" in result.stderr and "Traceback" not in result.stderr


def test_a_build_while_serving_changes_no_answer_of_the_running_server(built, tmp_path):
    """The server answers from the release OUT/dist pointed to when it started, pages,
    /sparql and downloads alike, while a new build swaps the link."""
    import shutil

    from kg.build.pipeline import build
    from kg.config import Config
    from tests.conftest import FIXTURE_DATA
    from web import create_app

    out = tmp_path / "out"
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    first = build(Config(out=out, data=data))
    app = create_app({"TESTING": True, "RELEASE": str(out / "dist")})
    try:
        client = app.test_client()
        with client.get("/dumps/kg.nq") as response:
            before = response.data
        with (data / "periods.csv").open("a", encoding="utf-8") as handle:
            handle.write("p-new,Jauns periods,New period,2031,2032\n")
        second = build(Config(out=out, data=data))
        assert second.release != first.release and (out / "dist").resolve() == second.release
        with client.get("/dumps/kg.nq") as response:
            assert response.data == before  # the downloads did not switch
        asked = "ASK { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> 'New period'@en }"
        answer = client.post("/sparql", data={"query": asked}).get_json()
        assert answer["boolean"] is False  # nor did /sparql
    finally:
        app.extensions["kg"]["pool"].close()


def test_releases_say_when_they_were_published(client):
    """Two releases of one version are told apart by when the build published them."""
    import datetime

    listed = client.get("/releases.json").get_json()["releases"]
    assert listed
    for release in listed:
        moment = datetime.datetime.fromisoformat(release["published"])
        assert moment.tzinfo is not None and moment.year >= 2026
    html = client.get("/releases?lang=lv").get_data(as_text=True)
    assert f'<time datetime="{listed[0]["published"]}">' in html and "UTC" in html
