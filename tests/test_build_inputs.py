"""The build holds the ontology and shapes to the tables' standard, reports OS errors in one
line, refuses a second build on the same folder, and checks sizes before reading."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build.publish import locked
from kg.config import ROOT
from tests.conftest import FIXTURE_DATA

BAD_TERMS = {
    "javascript IRI": (
        "<https://w3id.org/lvpolicy/def#X> <http://xmlns.com/foaf/0.1/homepage> "
        "<javascript:alert(1)> .",
        "scheme 'javascript'",
    ),
    "ill-typed integer": (
        '<https://w3id.org/lvpolicy/def#X> <http://ex/n> "abc"^^'
        "<http://www.w3.org/2001/XMLSchema#integer> .",
        "'abc' is not a valid xsd:integer",
    ),
    "impossible date": (
        '<https://w3id.org/lvpolicy/def#X> <http://ex/d> "2024-13-45"^^'
        "<http://www.w3.org/2001/XMLSchema#date> .",
        "'2024-13-45' is not a valid xsd:date",
    ),
    "IRI with a space": ("<http://ex/a b> <http://ex/p> <http://ex/o> .", "line"),
    "IRI with a quote": ('<http://ex/a"x> <http://ex/p> <http://ex/o> .', "line"),
    "relative IRI": ("<a> <http://ex/p> <http://ex/o> .", "No scheme found"),
}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the program with its ontology, shapes and data, that a test may break."""
    for name in ("kg", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    shutil.copy(ROOT / "data" / "csv-metadata.json", tmp_path / "data")  # the tables' schema
    return tmp_path


def kg_in(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    for name in ("KG_DATA", "KG_OUT", "KG_BASE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("case", sorted(BAD_TERMS))
@pytest.mark.parametrize("folder", ["ontology/lvp.ttl", "shapes/outcome.ttl"])
def test_bad_terms_in_ontology_and_shapes_are_refused(project, case, folder):
    line, phrase = BAD_TERMS[case]
    target = project / folder
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\n" + line + "\n")
    result = kg_in(project, "build", "--out", str(project / "out"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert folder in result.stderr and phrase in result.stderr
    assert "line" in result.stderr
    assert not (project / "out" / "dist").exists()


def test_a_second_build_on_the_same_folder_is_refused(project):
    out = project / "out"
    with locked(out):
        result = kg_in(project, "build", "--out", str(out))
    assert result.returncode == 2
    assert "another kg build is writing there" in result.stderr
    assert "Traceback" not in result.stderr
    assert kg_in(project, "build", "--out", str(out)).returncode == 0


def test_an_os_error_is_one_line(project):
    (project / "blocker").write_text("a file where a folder should be")
    result = kg_in(project, "build", "--out", str(project / "blocker" / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "blocker" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_disk_is_one_line_and_publishes_nothing(project):
    disk = project / "small"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)])
    assert mounted.returncode == 0
    try:
        result = kg_in(project, "build", "--out", str(disk / "out"))
        assert result.returncode == 2
        assert "No space left on device" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (disk / "out" / "dist").exists()
        assert not list((disk / "out" / "releases").glob(".tmp-*"))
    finally:
        subprocess.run(["umount", str(disk)], check=True)


MEASURED = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(result.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.exit(result.returncode)
"""


def test_an_oversized_table_is_refused_before_it_is_read(project):
    table = project / "data" / "outcomes.csv"
    with table.open("r+b") as handle:
        handle.truncate(1536 * 1024 * 1024)  # 1.5 GiB, sparse: takes no disk
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, sys.executable, "-m", "kg", "build"]
        + ["--out", str(project / "out")],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=300,
    )
    assert result.returncode == 2
    assert "outcomes.csv" in result.stderr and "larger than" in result.stderr
    peak_mb = int(result.stdout.strip())
    assert peak_mb < 1024  # the whole file would be 1536 MB
