"""The browser: a Flask app over the ``kg`` backends. ``web`` imports ``kg``, never the reverse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from kg.backends import Backend
from kg.backends import make_backend
from kg.config import check_base
from kg.config import from_env
from kg.config import setting
from kg.explore.common import LabelStore
from kg.explore.institutions import InstitutionTable
from kg.explore.plan import site
from kg.explore.search import SearchIndex
from kg.release import INSTITUTIONS
from kg.release import SEARCH_INDEX
from kg.release import Release
from web.cache import Memo
from web.proxies import TrustedProxies
from web.proxies import proxies_setting

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """App factory: defaults, then ``KG_*`` environment variables, then ``config``."""
    app = Flask(__name__)
    settings = from_env()
    app.config.from_mapping(
        BASE=settings.base,
        RELEASE=str(settings.dist),
        SPARQL_ENDPOINT=None,
        SPARQL_DEFAULT_GRAPH=None,
        DEFAULT_LANG="lv",
    )
    app.config.from_prefixed_env("KG")
    app.config.update(config or {})
    app.config["BASE"] = check_base(app.config["BASE"])
    # one release per process: the folder OUT/dist points to now, checked whole, so that a
    # build that swaps the link while this process serves changes none of its answers
    release = Path(app.config["RELEASE"]).resolve()
    files = Release(release)  # its SHA256SUMS and build-info.json, read once
    if setting("KG_RELEASE_VERIFIED", app.config) != release:  # kg serve checked it already
        files.verify()
    state: dict[str, Any] = {"release": release, "files": files}
    app.extensions["kg"] = state
    _check_settings(app)
    state["backend"] = _backend(app, release)
    state.update(
        {
            "search": SearchIndex.load(release / SEARCH_INDEX),
            "institutions": InstitutionTable.load(release / INSTITUTIONS),
            "site": site(state["backend"], app.config["BASE"]),
            # pages of single things (web.views._shared.memo); KG_PAGE_MEMO=0 keeps none
            "memo": Memo(setting("KG_PAGE_MEMO")),
            # the overview pages, a few per plan and language
            "overview_memo": Memo(min(256, setting("KG_PAGE_MEMO"))),
            "labels": LabelStore(),  # IRI -> {language: label}, shared by this process's requests
        }
    )
    _register(app)
    proxies = proxies_setting(setting("KG_TRUSTED_PROXIES", app.config))
    if proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, proxies)  # type: ignore[method-assign]
    return app


def _check_settings(app: Flask) -> None:
    """Every endpoint setting read now: a value out of range stops the app at its start,
    with its reason, never a first query with a traceback."""
    from web.query_service import settings

    settings(app)


def _backend(app: Flask, release: Path) -> Backend:
    """A SPARQL server's backend, or, on the embedded store, the query workers: their
    zygote holds the one copy of the store of this server process."""
    from kg.endpoint.pages import WorkerBackend
    from web.query_service import settings
    from web.query_service import start

    if app.config["SPARQL_ENDPOINT"]:
        return make_backend(
            release, app.config["SPARQL_ENDPOINT"], app.config["SPARQL_DEFAULT_GRAPH"]
        )
    app.extensions["kg"][
        "files"
    ].load_file()  # a clear error here, not a zygote that "did not start"
    return WorkerBackend(start(app), settings(app)["timeout_s"])


def _register(app: Flask) -> None:
    from web import assets
    from web import caching
    from web import discovery
    from web import errors
    from web import i18n
    from web import security
    from web import statuses
    from web.linking import register_filters
    from web.views import browse
    from web.views import catalog
    from web.views import dumps
    from web.views import releases
    from web.views import resource
    from web.views import sparql
    from web.views import vocabulary
    from web.views import void
    from web.views import workbench

    security.init_app(app)
    caching.init_app(app)
    assets.init_app(app)
    discovery.init_app(app)
    i18n.init_app(app)
    statuses.init_app(app)
    errors.init_app(app)
    register_filters(app)
    app.register_blueprint(browse.bp)
    app.register_blueprint(resource.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(catalog.bp)
    app.register_blueprint(vocabulary.bp)
    app.register_blueprint(void.bp)
    app.register_blueprint(releases.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(workbench.bp)
