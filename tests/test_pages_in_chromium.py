"""Every page type of the real data, looked at as a person would (issue 12): in headless
Chromium at phone width (390 px) and at desktop width (1300 px), in Latvian and in English,
nothing scrolls sideways and axe-core finds no WCAG 2.1 A/AA violation; with the keyboard
alone, the first Tab reaches the skip link and Tab reaches every control of the page.
And the readers' tasks, each done in at most three clicks."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.page_text import CAMEL
from tests.page_text import ISO_DATE
from tests.page_text import PREFIXED
from tests.test_words import PAGES
from tests.test_words import one_of_each_kind
from tests.web_fixtures import serving
from web import create_app

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1300)
# WCAG 2.0–2.2 A and AA, and axe's best practices (issue 21: landmarks named apart, one h1, …)
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# what the keyboard must reach: every visible control and link
CONTROLS = """
return Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'))
  .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0
          && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden]'))
"""


@pytest.fixture(scope="module")
def site(real_built):
    with serving(create_app({"RELEASE": str(real_built.release)})) as url:
        yield url


@pytest.fixture(scope="module")
def page_types(real_built) -> list[str]:
    client = create_app({"RELEASE": str(real_built.release)}).test_client()
    pages = [p for p in PAGES if p != "/doc/no/such/thing"] + one_of_each_kind(client)
    counts = (
        "SELECT ?status (COUNT(*) AS ?n) WHERE { ?r lvp:implementationStatus ?status } "
        "GROUP BY ?status"
    )
    workbench = "/workbench?" + urllib.parse.urlencode({"query": counts})
    embed = "/workbench/embed?" + urllib.parse.urlencode({"query": counts})
    return [*pages, workbench, embed, "/search?q=SIF", "/doc/no/such/thing"]


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci --prefix tests/browser)")
    return AXE.read_text(encoding="utf-8")


def _open(browser, site: str, path: str, lang: str) -> None:
    separator = "&" if "?" in path else "?"
    browser.get(f"{site}{path}{separator}lang={lang}")


def _violations(browser, axe: str) -> list[str]:
    browser.execute_script(axe)
    found = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ' ' + v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' ') + ' ' + n.html.slice(0, 90)).join(' | '))))"
        ".catch(e => done(['axe failed: ' + e]));",
        RULES,
    )
    return list(found)


def _codes_shown(browser) -> list[str]:
    """Prefixed names, local names and ISO dates in the text Chromium renders (code shown
    as code, the editor and scripts left out): what tests/test_words.py checks in the HTML,
    here as the reader sees it."""
    text = browser.execute_script(
        "var copy = document.body.cloneNode(true);"
        "copy.querySelectorAll('code, pre, textarea, script, .CodeMirror')"
        ".forEach(e => e.remove());"
        "document.body.appendChild(copy); copy.hidden = false;"
        "var text = copy.innerText; copy.remove(); return text;"
    )
    return sorted(set(PREFIXED.findall(text) + CAMEL.findall(text) + ISO_DATE.findall(text)))


def _sideways(browser) -> list[str]:
    """What sticks out of the page's width (empty when nothing scrolls sideways)."""
    return browser.execute_script(
        "var w = document.documentElement.clientWidth;"
        "if (document.documentElement.scrollWidth <= w) { return []; }"
        "return Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll'))"
        ".slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);"
    ) or ["(the page is wider than the window)"]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_page_type_fits_a_phone_and_passes_axe(browser, site, page_types, axe, lang):
    problems: dict[str, list[str]] = {}
    for width in WIDTHS:
        browser.set_window_size(width, 900)
        for path in page_types:
            _open(browser, site, path, lang)
            found = [f"axe {v}" for v in _violations(browser, axe)]
            found += [f"code in the text: {c}" for c in _codes_shown(browser)]
            if browser.execute_script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
            ):
                found += [f"sideways {e}" for e in _sideways(browser)]
            if found:
                problems[f"{path} {lang} {width}px"] = found
    assert problems == {}
    assert len(page_types) > 40


def test_the_keyboard_reaches_every_control(browser, site, page_types):
    """From the top of each page, Tab goes first to the skip link and then, without being
    trapped, to every visible control and link; Shift+Tab comes back."""
    browser.set_window_size(1300, 900)
    problems: dict[str, str] = {}
    for path in page_types:
        _open(browser, site, path, "lv")
        controls = browser.execute_script(CONTROLS)
        browser.execute_script(
            "window.reached = [];"
            "document.addEventListener('focusin', e => window.reached.push(e.target), true);"
        )
        # real Tab presses, all in one go: the page records where the focus went
        ActionChains(browser).send_keys(Keys.TAB * (len(controls) + 2)).perform()
        reached = browser.execute_script("return window.reached;")
        if not reached or reached[0].get_attribute("class") != "skip":
            first = reached[0].get_attribute("outerHTML")[:80] if reached else "nothing"
            problems[path] = f"the first Tab reached {first}"
            continue
        seen = {element.id for element in reached}
        missing = [c.get_attribute("outerHTML")[:80] for c in controls if c.id not in seen]
        if missing:
            problems[path] = f"Tab did not reach {len(missing)} of {len(controls)}: {missing[:3]}"
    assert problems == {}


def wait(browser, condition, seconds: float = 10):
    return WebDriverWait(browser, seconds).until(condition)


class Clicks:
    """Counts the clicks of a task: a task a reader can do in at most three."""

    def __init__(self, browser):
        self.browser, self.count = browser, 0

    def on(self, element, arrives: str | None = None) -> None:
        """Click ``element``; where it leads to a page, wait until ``arrives`` is in its URL."""
        self.count += 1
        element.click()
        if arrives is not None:
            wait(self.browser, ec.url_contains(arrives))


def _start(browser, site: str, path: str = "/", lang: str = "lv") -> Clicks:
    browser.delete_all_cookies()
    browser.set_window_size(1300, 900)
    _open(browser, site, path, lang)
    return Clicks(browser)


def test_task_which_activities_did_sif_take_part_in(browser, site):
    clicks = _start(browser, site, "/", "en")
    clicks.on(browser.find_element(By.LINK_TEXT, "Institutions × activities"), "/matrix")
    clicks.on(browser.find_element(By.LINK_TEXT, "Society Integration Foundation"))
    wait(browser, ec.url_contains("/doc/org/sabiedribas-integracijas-fonds"))
    activities = browser.find_element(By.TAG_NAME, "main").text
    assert "Activities" in activities and "NGO" in activities
    assert clicks.count <= 3


def test_task_where_does_491_000_come_from(browser, site):
    clicks = _start(browser, site, "/", "lv")
    clicks.on(browser.find_element(By.LINK_TEXT, "Skaitļi"), "/figures")
    row = browser.find_element(By.XPATH, "//tr[td[contains(., '491\u00a0000')]]")
    clicks.on(row.find_element(By.PARTIAL_LINK_TEXT, "7. slaids"))
    wait(browser, ec.url_contains("/slide/7"))
    text = browser.find_element(By.CSS_SELECTOR, "blockquote.source-text").text
    assert "491 tūkstoši unikālo apmeklētāju" in text
    assert clicks.count <= 3


def test_task_which_measures_got_no_funding(browser, site):
    clicks = _start(browser, site, "/", "en")
    clicks.on(browser.find_element(By.PARTIAL_LINK_TEXT, "not funded"))
    wait(browser, ec.url_contains("/unidentified/not-funded"))
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "10 unidentified measures" in text and "no source reached identifies" in text
    assert clicks.count <= 3


def test_task_run_an_example_and_download_csv(browser, site):
    clicks = _start(browser, site, "/workbench", "en")
    clicks.on(browser.find_elements(By.CSS_SELECTOR, "a.example")[0])
    wait(browser, ec.presence_of_element_located((By.ID, "results")))
    csv_link = browser.find_element(By.LINK_TEXT, "CSV")
    href = csv_link.get_attribute("href")
    clicks.on(csv_link)  # the download: the browser saves it; its answer is checked below
    answer = browser.execute_async_script(
        "var done = arguments[1]; fetch(arguments[0]).then(r => r.text().then("
        "t => done([r.status, r.headers.get('content-type'), t.split('\\n')[0]])));",
        href,
    )
    assert answer[0] == 200 and answer[1].startswith("text/csv") and answer[2].strip()
    assert clicks.count <= 3


def test_task_switch_language_and_keep_my_place(browser, site):
    clicks = _start(browser, site, "/search?q=LSM", "lv")
    clicks.on(browser.find_element(By.ID, "lang-switch"))
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert "q=LSM" in browser.current_url
    assert browser.find_element(By.ID, "q").get_attribute("value") == "LSM"
    assert browser.find_elements(By.CSS_SELECTOR, "#hits li a")
    assert clicks.count <= 3


def test_the_typeahead_is_a_combobox_the_arrow_keys_drive(browser, site):
    _start(browser, site, "/", "en")
    box = browser.find_element(By.ID, "q")
    assert box.get_attribute("role") == "combobox"
    box.send_keys("Society Integ")
    wait(browser, lambda b: box.get_attribute("aria-expanded") == "true")
    box.send_keys(Keys.ARROW_DOWN)
    chosen = box.get_attribute("aria-activedescendant")
    option = browser.find_element(By.ID, chosen)
    assert (
        option.get_attribute("role") == "option" and option.get_attribute("aria-selected") == "true"
    )
    # the chosen option is seen, not only announced: its background is not the list's
    others = browser.find_elements(By.CSS_SELECTOR, "#suggestions [aria-selected=false]")
    if others:
        assert option.value_of_css_property("background-color") != others[0].value_of_css_property(
            "background-color"
        )
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(browser, ec.url_contains("/doc/org/sabiedribas-integracijas-fonds"))


def test_the_editor_is_labelled_and_tab_leaves_it(browser, site):
    _start(browser, site, "/workbench", "en")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    field = browser.execute_script(
        "return document.querySelector('.CodeMirror').CodeMirror.getInputField();"
    )
    assert field.get_attribute("aria-label") == "SPARQL query"
    field.send_keys(Keys.TAB)
    assert browser.switch_to.active_element != field  # the focus moved on: no keyboard trap


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_pa11y_finds_no_error_on_any_page_type(site, page_types, lang):
    """A second engine beside axe: pa11y with HTML_CodeSniffer (WCAG 2 AA), in Debian's
    Chromium, on every page type at phone and desktop width."""
    import json
    import subprocess

    script = Path(__file__).parent / "browser" / "pa11y-pages.js"
    urls = [f"{site}{p}{'&' if '?' in p else '?'}lang={lang}" for p in page_types]
    problems: dict[str, list[str]] = {}
    for width in WIDTHS:
        done = subprocess.run(
            ["node", str(script), str(width), *urls],
            capture_output=True,
            text=True,
            timeout=1200,
            cwd=script.parent,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        found = json.loads(done.stdout)
        assert set(found) == set(urls)  # every page was checked
        problems.update({f"{url} {width}px": errors for url, errors in found.items() if errors})
    assert problems == {}
