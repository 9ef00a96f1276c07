"""Shared fixtures: the real data built once, the shapes, and helpers to run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.pipeline import build
from kg.build.validate import load_shapes
from kg.config import ROOT
from kg.config import Config
from kg.release import Release
from kg.tables.read import DataError

FIXTURES = Path(__file__).parent / "fixtures"
# the code tests' own tables (a frozen copy of data/): they survive new real data
FIXTURE_DATA = FIXTURES / "data"


@pytest.fixture(scope="session")
def shapes():
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The code tests' dataset, built and published once for the session."""
    out = tmp_path_factory.mktemp("build")
    return build(Config(out=out, data=FIXTURE_DATA))


@pytest.fixture(scope="session")
def real_built(tmp_path_factory):
    """The real data of data/, built once: only for tests/test_real_data.py."""
    out = tmp_path_factory.mktemp("real-build")
    return build(Config(out=out, data=ROOT / "data"))


@pytest.fixture(scope="session")
def store(built) -> ox.Store:
    return Release(built.release).load_store()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of the code tests' tables that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def build_refused(data: Path, out: Path) -> str:
    """Build ``data`` into ``out`` expecting a DataError; the error's text."""
    with pytest.raises(DataError) as caught:
        build(Config(out=out, data=data))
    return str(caught.value)


def run_kg(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kg`` in a fresh process, as a user would, on the code tests' tables
    unless ``--data`` or ``env`` says otherwise."""
    full_env = {**os.environ, "KG_DATA": str(FIXTURE_DATA), **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
        input=input_text,
    )


from tests.canary import canary  # noqa: E402,F401  (counts connections all session)
from tests.canary import canary_session  # noqa: E402,F401
from tests.endpoint_fixtures import endpoint_app  # noqa: E402,F401
from tests.endpoint_fixtures import live_endpoint  # noqa: E402,F401
from tests.endpoint_fixtures import sparql  # noqa: E402,F401
from tests.virtuoso import roomy_virtuoso  # noqa: E402,F401
from tests.virtuoso import virtuoso_server  # noqa: E402,F401
from tests.web_fixtures import app  # noqa: E402,F401  (fixtures shared by the web tests)
from tests.web_fixtures import browser  # noqa: E402,F401
from tests.web_fixtures import client  # noqa: E402,F401
from tests.web_fixtures import oxigraph_server  # noqa: E402,F401
