"""Fixtures for /sparql: an app with small limits, and a live server for real clients."""

from __future__ import annotations

import pytest

from tests.web_fixtures import serving
from web import create_app

LIMITS = {
    "SPARQL_TIMEOUT": 2,
    "SPARQL_WORKERS": 2,
    "SPARQL_MAX_ROWS": 1000,
    "SPARQL_RATE": 1000,
    "SPARQL_BURST": 1000,
    "SPARQL_PER_CLIENT": 4,
}


@pytest.fixture(scope="session")
def endpoint_app(built):
    app = create_app({"TESTING": True, "RELEASE": str(built.release), **LIMITS})
    yield app
    if "pool" in app.extensions["kg"]:
        app.extensions["kg"]["pool"].close()


@pytest.fixture
def sparql(endpoint_app):
    return endpoint_app.test_client()


@pytest.fixture(scope="session")
def live_endpoint(endpoint_app):
    with serving(endpoint_app) as url:
        yield f"{url}/sparql"
