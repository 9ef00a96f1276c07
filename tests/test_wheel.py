"""`pip install` gives a working program: a wheel built from the repository, installed in a
fresh virtual environment, builds, validates and serves from a folder outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kg.config import ROOT
from tests.conftest import FIXTURE_DATA
from tests.web_fixtures import free_port
from tests.web_fixtures import wait_for


def _run(*command: str | Path, cwd: Path, timeout: float = 300) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if not k.startswith("KG_")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the wheel installed; the dependencies are the test venv's
    (a path entry, not an install: nothing is downloaded)."""
    home = tmp_path_factory.mktemp("wheel")
    source = home / "source"
    tracked = _run("git", "ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    tracked = [name for name in tracked.splitlines() if (ROOT / name).is_file()]
    for name in tracked:  # what a clone would hold, with the change at hand
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    wheels = home / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        wheels,
        source,
        cwd=home,
    )
    wheel = next(wheels.glob("lvpolicy_kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith("static/vendor/codemirror-5.65.18/codemirror.js") for n in names)
    assert any(n.endswith("share/lvpolicy-kg/ontology/lvp.ttl") for n in names)
    assert any(n.endswith("share/lvpolicy-kg/csv-metadata.json") for n in names)
    venv = home / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=home)
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        wheel,
        cwd=home,
    )
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=home
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_the_installed_program_builds_validates_and_serves(installed, tmp_path):
    kg = installed / "bin" / "kg"
    where = _run(
        installed / "bin" / "python", "-c", "import kg, web; print(kg.__file__)", cwd=tmp_path
    )
    assert where.startswith(str(installed)), where
    shutil.copytree(FIXTURE_DATA, tmp_path / "tables")
    built = _run(kg, "build", "--data", "tables", "--out", "release", cwd=tmp_path)
    assert "Published" in built and (tmp_path / "release" / "dist" / "kg.nq").is_file()
    validated = _run(kg, "validate", "--data", "tables", "--report", "report.json", cwd=tmp_path)
    assert "JSON report" in validated
    port = free_port()
    server = subprocess.Popen(
        [kg, "serve", "--port", str(port), "--out", "release", "--workers", "1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", seconds=60)
        for path in (
            "/",
            "/workbench",
            "/def",
            "/static/vendor/codemirror-5.65.18/codemirror.js",
            "/sparql?query=ASK%7B%7D",
        ):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200, path
    finally:
        os.killpg(server.pid, 15)
        server.wait(20)
