"""A real headless Chromium opens pages, switches language, searches and follows links."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web_fixtures import serving
from web import create_app


@pytest.fixture(scope="module")
def server(built):
    with serving(create_app({"RELEASE": str(built.release)})) as url:
        yield url


def wait(browser, condition, seconds: float = 10):
    return WebDriverWait(browser, seconds).until(condition)


def test_home_page(browser, server):
    browser.delete_all_cookies()
    browser.get(server + "/")
    assert "Nacionālās identitātes" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.ID, "reported-total").text == "49"
    assert browser.find_element(By.CSS_SELECTOR, "svg.chart").is_displayed()


def test_result_page_from_plan_tree(browser, server):
    browser.get(server + "/plan")
    browser.find_element(By.PARTIAL_LINK_TEXT, "LSM.LV").click()
    wait(browser, ec.url_contains("/doc/plan/nipsipp-2019-2020/result/d2-lsm"))
    # a Latvian page writes 491 000 (a no-break space between the thousands)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "491 000" in text.replace("\u00a0", " ")


def test_institution_page_and_link_to_partner(browser, server):
    browser.get(server + "/doc/org/latvijas-pilsoniska-alianse")
    assert "Latvijas Pilsoniskā alianse" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.LINK_TEXT, "Britu padome").click()
    wait(browser, ec.url_contains("/doc/org/britu-padome"))
    assert "Britu padome" in browser.find_element(By.TAG_NAME, "h1").text


def test_language_switch(browser, server):
    browser.delete_all_cookies()
    browser.get(server + "/doc/org/kulturas-ministrija")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Kultūras ministrija")
    browser.find_element(By.ID, "lang-switch").click()
    wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Ministry of Culture"))
    browser.get(server + "/")  # the choice is remembered
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "lang-switch").click()
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "lv")


def test_search_form_and_typeahead(browser, server):
    browser.delete_all_cookies()
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("kulturas")
    suggestion = wait(
        browser, ec.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li a"))
    )
    assert "Kultūras ministrija" in suggestion.text
    box.submit()
    wait(browser, ec.url_contains("/search?q=kulturas"))
    browser.find_element(By.CSS_SELECTOR, "#hits a").click()
    wait(browser, ec.url_contains("/doc/org/kulturas-ministrija"))


def test_no_console_errors_from_csp(browser, server):
    browser.get_log("browser")  # drop what earlier tests logged (an aborted typeahead fetch)
    for path in ("/matrix", "/", "/doc/org/kulturas-ministrija"):
        browser.get(server + path)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


@pytest.fixture(scope="module")
def endpoint_server(endpoint_app):
    with serving(endpoint_app) as url:
        yield url


def test_workbench_runs_an_example_with_highlighting(browser, endpoint_server):
    browser.delete_all_cookies()
    browser.get(endpoint_server + "/workbench")
    browser.find_elements(By.CSS_SELECTOR, "a.example")[5].click()
    wait(browser, ec.presence_of_element_located((By.ID, "results")))
    assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror")  # the vendored editor ran
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.results tr")) == 6
    browser.find_element(By.ID, "run").click()  # the editor's text is submitted again
    wait(browser, ec.url_contains("query="))  # the old page's #results would match at once
    wait(browser, ec.presence_of_element_located((By.ID, "results")))


def test_workbench_declares_project_prefixes_as_they_are_typed(browser, endpoint_server):
    browser.get(endpoint_server + "/workbench")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    value = browser.execute_script(
        "var cm = document.querySelector('.CodeMirror').CodeMirror;"
        "cm.setValue('SELECT ?g WHERE { ?g a lvp:Goal ; skos:notation \"x:y\" }');"
        "return cm.getValue();"
    )
    lines = value.splitlines()
    assert lines[0] == "PREFIX lvp: <https://w3id.org/lvpolicy/def#>"
    assert lines[1] == "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
    assert lines[2].startswith("SELECT")  # "x:" inside a string is not a prefix
    browser.find_element(By.ID, "run").click()
    wait(browser, ec.url_contains("query="))
    wait(browser, ec.presence_of_element_located((By.ID, "results")))
    assert not browser.find_elements(By.ID, "error")


def test_workbench_runs_with_ctrl_enter_and_shows_its_focus_stops(browser, endpoint_server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(endpoint_server + "/workbench?lang=en")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    browser.execute_script(
        "var cm = document.querySelector('.CodeMirror').CodeMirror;"
        "cm.setValue('SELECT ?s WHERE { ?s a lvp:PolicyPlan } LIMIT 1'); cm.focus();"
    )
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(
        Keys.CONTROL
    ).perform()
    wait(browser, ec.url_contains("query="))
    wait(browser, ec.presence_of_element_located((By.ID, "results")))
    # the editor's scroll box, a focus stop, is named and drawn with an outline when focused
    outline = browser.execute_script(
        "var s = document.querySelector('.CodeMirror-scroll'); s.focus();"
        "return [document.activeElement === s, s.getAttribute('aria-label'),"
        " getComputedStyle(s).outlineStyle];"
    )
    assert outline[0] and outline[1] and outline[2] != "none"


def test_workbench_completes_the_vocabularys_terms_as_they_are_typed(browser, endpoint_server):
    """Typing a prefixed name offers the terms it starts (a listbox the keys drive); Enter
    takes one; the prefix it uses is then declared."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(endpoint_server + "/workbench?lang=en")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror")))
    browser.execute_script(
        "var cm = document.querySelector('.CodeMirror').CodeMirror;"
        "cm.setValue('SELECT ?s WHERE { ?s a '); cm.focus(); cm.setCursor(cm.lineCount(), 0);"
    )
    ActionChains(browser).send_keys("lvp:Polic").perform()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".CodeMirror-hints")))
    hints = browser.find_element(By.CSS_SELECTOR, ".CodeMirror-hints")
    assert hints.get_attribute("role") == "listbox"
    offered = [h.text for h in hints.find_elements(By.CSS_SELECTOR, "[role=option]")]
    assert "lvp:PolicyPlan" in offered and all(o.startswith("lvp:Polic") for o in offered)
    active = hints.find_element(By.CSS_SELECTOR, ".CodeMirror-hint-active")
    assert active.value_of_css_property("background-color") == "rgba(11, 79, 138, 1)"
    while active.text != "lvp:PolicyPlan":
        ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
        active = hints.find_element(By.CSS_SELECTOR, ".CodeMirror-hint-active")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    value = browser.execute_script(
        "return document.querySelector('.CodeMirror').CodeMirror.getValue();"
    )
    assert "?s a lvp:PolicyPlan" in value
    assert value.startswith("PREFIX lvp: <https://w3id.org/lvpolicy/def#>")
    assert not browser.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints")
