"""Many requests at once give the pages one request at a time gives.

A fresh server's first requests all need labels at once. A label is known only once its
fetch has answered: a request that needs a label another is fetching waits for it, so that
no page shows a code where a word belongs, and no page memo keeps one. Checked on the
embedded store, an Oxigraph server and Virtuoso."""

from __future__ import annotations

import concurrent.futures

import pytest

from kg.explore.common import Labeller
from kg.explore.common import LabelStore
from kg.export_site import AGGREGATES
from kg.export_site import pages
from tests.page_text import visible_text
from tests.processes import await_state
from tests.virtuoso import UNION
from tests.web_fixtures import close_app
from web import create_app

THREADS = 8


def _app(built, request, engine: str):
    settings = {
        "TESTING": True,
        "RELEASE": str(built.release),
        "SPARQL_WORKERS": 4,
        "SPARQL_RATE": 10_000,
        "SPARQL_BURST": 10_000,
        "SPARQL_PER_CLIENT": 100,
    }
    if engine == "oxigraph":
        settings["SPARQL_ENDPOINT"] = request.getfixturevalue("oxigraph_server") + "/query"
    elif engine == "virtuoso":  # a row cap no page reaches: the pages are whole
        settings["SPARQL_ENDPOINT"] = request.getfixturevalue("roomy_virtuoso")
        settings["SPARQL_DEFAULT_GRAPH"] = UNION
    return create_app(settings)


def _pages(app) -> list[str]:
    """The overview pages and a page of each kind of thing, in both languages."""
    every = pages(app.extensions["kg"]["backend"], app.config["BASE"])
    kinds: dict[str, str] = {}
    for path in every:
        if path.startswith("/doc/"):
            kinds.setdefault(path.split("/")[2], path)
    paths = [*AGGREGATES, *sorted(kinds.values())]
    return [f"{p}?lang={lang}" for p in paths for lang in ("lv", "en")]


@pytest.mark.parametrize("engine", ["embedded", "oxigraph", "virtuoso"])
def test_concurrent_first_requests_give_the_pages_one_at_a_time_gives(built, request, engine):
    one = _app(built, request, engine)
    try:
        client = one.test_client()
        paths = _pages(one)
        expected = {path: visible_text(client.get(path).get_data(as_text=True)) for path in paths}
    finally:
        close_app(one)
    many = _app(built, request, engine)  # fresh: nothing fetched, nothing remembered
    try:

        def fetch(path: str) -> str:
            return visible_text(many.test_client().get(path).get_data(as_text=True))

        with concurrent.futures.ThreadPoolExecutor(THREADS) as executor:
            first = dict(zip(paths, executor.map(fetch, paths), strict=True))
        again = {path: fetch(path) for path in paths}  # what the page memo kept
    finally:
        close_app(many)
    assert len(paths) > 20
    assert [p for p in paths if first[p] != expected[p]] == []
    assert [p for p in paths if again[p] != expected[p]] == []


class _Failing:
    """A backend whose label query fails once, then answers."""

    def __init__(self):
        self.calls = 0

    def select(self, text: str) -> list[dict]:
        self.calls += 1
        if self.calls == 1:
            raise OSError("the store did not answer")
        return []


def test_a_failed_label_fetch_leaves_nothing_behind():
    store = LabelStore()
    iri = "https://w3id.org/lvpolicy/id/org/x"
    backend = _Failing()
    labeller = Labeller(backend, "https://w3id.org/lvpolicy/", "lv", store)  # type: ignore[arg-type]
    with pytest.raises(OSError):
        labeller.fetch([iri])
    assert store.get(iri) is None  # not "known to have no label"
    labeller.fetch([iri])
    assert store.get(iri) == {} and backend.calls == 2


def test_two_processes_give_each_url_the_same_bytes_and_etag(built):
    """/plan and /plans/<focus>/tree show one plan, but each links to itself: asked in
    either order, each URL gives the same bytes and ETag in two separate apps."""
    apps = [create_app({"TESTING": True, "RELEASE": str(built.release)}) for _ in range(2)]
    try:
        focus = str(apps[0].extensions["kg"]["site"]["focus"]).rsplit("/", 1)[-1]
        urls = [
            "/plan?lang=en",
            f"/plans/{focus}/tree?lang=en",
            "/?lang=lv",
            f"/plans/{focus}?lang=lv",
        ]
        answers = []
        for app, order in zip(apps, (urls, urls[::-1]), strict=True):
            client = app.test_client()
            got = {}
            for url in order:
                response = client.get(url)
                assert response.status_code == 200, url
                got[url] = (response.headers["ETag"], response.data)
            answers.append(got)
        assert all(answers[0][url] == answers[1][url] for url in urls)
        tree = answers[0][f"/plans/{focus}/tree?lang=en"][1].decode()
        assert f'href="/plans/{focus}/tree?lang=lv"' in tree  # the switch stays on the page
    finally:
        for app in apps:
            close_app(app)


def test_a_page_the_server_cut_is_a_503_that_says_why(built, virtuoso_server):
    """Virtuoso cuts every answer at its ResultSetMaxRows (50 here): a page whose query
    passes it is never drawn from part of its answer, nor a 500, but a 503 that says why."""
    app = create_app(
        {
            "TESTING": True,
            "RELEASE": str(built.release),
            "SPARQL_ENDPOINT": virtuoso_server,
            "SPARQL_DEFAULT_GRAPH": UNION,
        }
    )
    client = app.test_client()
    statuses = {path: client.get(f"{path}?lang=en").status_code for path in AGGREGATES}
    cut = [path for path, status in statuses.items() if status == 503]
    assert cut and set(statuses.values()) <= {200, 503}, statuses
    page = client.get(f"{cut[0]}?lang=en").get_data(as_text=True)
    assert "cut its answer at its own row limit" in page
    answer = client.get(cut[0], headers={"Accept": "application/json"}).get_json()
    assert answer["error"] == "answer_cut" and "ResultSetMaxRows" in answer["message"]


def test_a_page_out_of_time_is_a_503_and_is_not_computed_again(built):
    """A page whose queries run out of time is a 503 that says so (it was a 500), and is
    remembered a minute: the next visit is refused at once, stopping no query worker."""
    app = create_app({"TESTING": True, "RELEASE": str(built.release)})
    pool = app.extensions["kg"]["pool"]
    try:
        client = app.test_client()
        app.extensions["kg"]["backend"].timeout_s = 0.0  # every page query is out of time
        first = client.get("/dashboard?lang=en")
        assert first.status_code == 503 and first.headers["Retry-After"] == "60"
        assert "could not be computed in the time" in first.get_data(as_text=True)
        await_state(lambda: len(pool.pids) >= pool.limits.workers, "no worker replaced")
        before = set(pool.pids)
        again = client.get("/dashboard?lang=en")
        assert again.status_code == 503
        assert set(pool.pids) == before  # no query ran: no worker was stopped and replaced
        answer = client.get("/matrix", headers={"Accept": "application/json"})
        assert answer.status_code == 503 and answer.get_json()["error"] == "timeout"
    finally:
        pool.close()


def test_a_crawl_of_things_never_evicts_the_overview_pages(built):
    """The overview pages have a memo of their own: a crawl of many institution pages,
    more than the things' memo holds, leaves /plan computed once."""
    app = create_app({"TESTING": True, "RELEASE": str(built.release)})
    try:
        state = app.extensions["kg"]
        state["memo"].size = 3  # the things' memo, small enough to overflow here
        client = app.test_client()
        client.get("/plan?lang=en")
        computed = state["overview_memo"].misses
        institutions = [p for p in pages(state["backend"], app.config["BASE"]) if "/org/" in p]
        assert len(institutions) > 2 * state["memo"].size
        for path in institutions:
            assert client.get(f"{path}?lang=en").status_code == 200
        assert state["memo"].misses > state["memo"].size  # the things' memo did overflow
        misses = state["overview_memo"].misses
        assert client.get("/plan?lang=en").status_code == 200
        assert state["overview_memo"].misses == misses  # /plan came from its memo
        assert computed >= 1
    finally:
        state["pool"].close()
