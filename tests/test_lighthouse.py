"""Lighthouse (pinned 12.2.3, from the npm registry) audits home, an institution and the
workbench with a result in Debian's Chromium, as issue 21 asks: accessibility, best
practices and SEO at 95 or more (the workbench may stay closed to crawlers: its SEO is
exempt). Performance depends on the machine's load, so it is printed, not asserted: tests
never assert a wall-clock figure (benchmarks/ measure)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tests.web_fixtures import serving
from web import create_app

LIGHTHOUSE = Path(__file__).parent / "browser" / "node_modules" / ".bin" / "lighthouse"
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
COUNTS = (
    "SELECT ?status (COUNT(*) AS ?n) WHERE { ?r lvp:implementationStatus ?status } GROUP BY ?status"
)
PAGES = {
    "home": "/",
    "institution": "/doc/org/kulturas-ministrija",
    "workbench": "/workbench?" + urllib.parse.urlencode({"query": COUNTS}),
}


@pytest.fixture(scope="module")
def site(real_built):
    if not LIGHTHOUSE.exists():
        pytest.fail(
            "Lighthouse is missing: `make test` installs it (npm ci --prefix tests/browser)"
        )
    with serving(create_app({"RELEASE": str(real_built.release)})) as url:
        yield url


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores_95_or_more(site, name, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing"
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            site + PAGES[name],
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={FLAGS} --user-data-dir={tmp_path / 'profile'}",
        ],
        env={"CHROME_PATH": chromium, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    audit = json.loads(report.read_text(encoding="utf-8"))
    scores = {k: round(v["score"] * 100) for k, v in audit["categories"].items()}
    lcp = audit["audits"]["largest-contentful-paint"]["displayValue"]
    print(f"lighthouse {name}: {scores}, LCP {lcp}")  # the performance figure, not asserted
    for category in ("accessibility", "best-practices", "seo"):
        if name == "workbench" and category == "seo":
            continue  # the workbench is closed to crawlers on purpose (robots)
        failed = [
            a["id"]
            for a in audit["audits"].values()
            if a.get("score") is not None
            and a["score"] < 1
            and a.get("scoreDisplayMode") == "binary"
        ]
        assert scores[category] >= 95, (category, scores, failed)
