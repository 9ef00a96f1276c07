"""The kg command: help texts, exit codes 0 / 1 / 2, reports, queries."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES
from tests.conftest import run_kg


@pytest.mark.parametrize(
    "command", ["build", "validate", "query", "slug", "generate", "serve", "load", "export-site"]
)
def test_every_command_has_help(command):
    result = run_kg(command, "--help")
    assert result.returncode == 0
    assert "Usage: python -m kg" in result.stdout


def test_validate_real_data_conforms_and_writes_json(tmp_path):
    report = tmp_path / "report.json"
    result = run_kg("validate", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "the graph conforms" in result.stdout
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["conforms"] is True
    assert payload["counts"]["Violation"] == 0
    shortfall = [
        r for r in payload["results"] if r["shape"].endswith("ReportedCountShortfallShape")
    ]
    assert any(
        "reports 49 measures with this status; the graph enumerates 0" in r["message_en"]
        for r in shortfall
    )


def test_validate_violating_file_exits_1_with_message(tmp_path):
    data = tmp_path / "bad.ttl"
    text = (FIXTURES / "conforming.ttl").read_text(encoding="utf-8")
    data.write_text(
        text.replace('lvp:quotedText "Sasniegti 5 tūkstoši."@lv ;', ""), encoding="utf-8"
    )
    result = run_kg("validate", str(data), "--report", str(tmp_path / "r.json"), "--lang", "lv")
    assert result.returncode == 1
    assert "Rezultāta apgalvojumam jābūt vienam citātam latviešu valodā." in result.stdout
    assert json.loads((tmp_path / "r.json").read_text())["conforms"] is False


def test_validate_missing_file_exits_2(tmp_path):
    result = run_kg("validate", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_build_then_query_from_stdin(tmp_path):
    out = tmp_path / "out"
    assert run_kg("build", "--out", str(out)).returncode == 0
    query = "SELECT ?v WHERE { ?c lvp:refStatus st:all ; sdmx-measure:obsValue ?v }"
    result = run_kg("query", "-", "--out", str(out), "--format", "csv", input_text=query)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["v", "49"]


def test_bad_query_exits_2(tmp_path):
    out = tmp_path / "out"
    run_kg("build", "--out", str(out))
    result = run_kg("query", "-", "--out", str(out), input_text="SELECT * WHERE { ?s ?p }")
    assert result.returncode == 2
    assert "Query failed" in result.stderr


def test_query_without_build_exits_2(tmp_path):
    result = run_kg("query", "-", "--out", str(tmp_path), input_text="ASK {}")
    assert result.returncode == 2
    assert "run 'kg build' first" in result.stderr


def test_slug_transliterates_latvian():
    assert (
        run_kg("slug", "Sabiedrības integrācijas fonds").stdout
        == "sabiedribas-integracijas-fonds\n"
    )


def test_bad_base_is_a_usage_error():
    result = run_kg("build", "--base", "ftp://x/")
    assert result.returncode == 2
    assert "base IRI must be http(s)" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "xml"])
def test_query_answers_the_same_on_a_sparql_server(built, oxigraph_server, fmt):
    """kg query runs on the backend seam: the release's store, or KG_SPARQL_ENDPOINT."""
    out = next(p for p in built.release.parents if (p / "dist").resolve() == built.release)
    query = (
        "SELECT ?status ?v WHERE { ?c lvp:refStatus ?status ; sdmx-measure:obsValue ?v } "
        "ORDER BY ?v"
    )
    local = run_kg("query", "-", "--out", str(out), "--format", fmt, input_text=query)
    remote = run_kg(
        "query",
        "-",
        "--out",
        str(out),
        "--format",
        fmt,
        input_text=query,
        env={"KG_SPARQL_ENDPOINT": f"{oxigraph_server}/query"},
    )
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert local.stdout == remote.stdout
    assert "49" in local.stdout
    construct = "CONSTRUCT WHERE { ?c lvp:refStatus ?status } ORDER BY ?c"
    graph = run_kg(
        "query",
        "-",
        "--out",
        str(out),
        input_text=construct,
        env={"KG_SPARQL_ENDPOINT": f"{oxigraph_server}/query"},
    )
    assert graph.returncode == 0 and "lvp:refStatus" in graph.stdout


def test_generate_writes_fictional_tables_that_build(tmp_path):
    result = run_kg("generate", str(tmp_path / "gen"), "--triples", "2000")
    assert result.returncode == 0, result.stderr
    titles = (tmp_path / "gen" / "documents.csv").read_text(encoding="utf-8")
    assert "Synthetic plan" in titles  # fictional, and it says so
    report = str(tmp_path / "report.json")
    checked = run_kg("validate", "--data", str(tmp_path / "gen"), "--report", report)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = run_kg("generate", "data")
    assert refused.returncode != 0 and "not synthetic" in refused.stderr
