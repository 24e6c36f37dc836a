"""The workbench of a real `kg serve` process (on the seeds, and on a graph whose names carry
markup) in real headless Chromium, every request but those to 127.0.0.1 refused: the query
library, the SPARQL editor (Ctrl+Enter, syntax errors, paging, downloads), an entity's page
with its sources, the search by alias, and names from articles shown as text on every page."""
from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest
from browser import errors
from serving import hostile_files, kg_serve
from vizdata import PAYLOADS

pytestmark = pytest.mark.slow  # headless Chromium

FANG = "/entity/person/fang-hanting"


@pytest.fixture(scope="module")
def seeds_url(seeds_graph):
    with kg_serve(seeds_graph[2]) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    with kg_serve(hostile_files(tmp_path_factory.mktemp("hostile-serve"))) as url:
        yield url


@pytest.fixture
def browser(loopback_driver):
    loopback_driver.get("about:blank")
    loopback_driver.get_log("browser")
    return loopback_driver


def wait_for(driver, script: str, seconds: float = 30):
    """The first true value of ``script`` (a JavaScript expression), polled."""
    deadline = time.monotonic() + seconds
    while True:
        value = driver.execute_script(f"return {script}")
        if value:
            return value
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        time.sleep(0.1)


def table(driver) -> list[list[str]]:
    """The results table as shown: its header, then its rows (the row number dropped)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#wb-table tr')).map("
        "  tr => Array.from(tr.children).slice(1).map(c => c.textContent))")


def answered(driver, what: str) -> int:
    """Wait until the status line says ``what`` was answered; its row count."""
    wait_for(driver, f"document.getElementById('wb-status').textContent.includes({json.dumps(what)})")
    wait_for(driver, "!document.getElementById('wb-run').disabled")
    return int(driver.find_element("id", "wb-status").get_attribute("data-rows"))


def type_query(driver, text: str) -> None:
    """Replace the editor's text by typing ``text``, then press Ctrl+Enter."""
    from selenium.webdriver.common.keys import Keys

    editor = driver.find_element("id", "wb-editor")
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(text)
    editor.send_keys(Keys.CONTROL, Keys.ENTER)


def blob_text(driver, element_id: str) -> str:
    """What a download link of the page holds (its blob URL fetched in the page)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"fetch(document.getElementById('{element_id}').href).then(r => r.text()).then(done);")


def test_cross_event_people_from_the_library(browser, seeds_url):
    browser.get(seeds_url + "/")
    browser.find_element("css selector", '[data-query="cross_event_people"] button').click()
    assert browser.find_element("id", "wb-query-title").text == "People at several events"
    browser.find_element("id", "wb-run-named").click()
    assert answered(browser, "cross_event_people") == 2
    head, *rows = table(browser)
    assert head == ["person", "event", "org", "title"]
    assert {r[0] for r in rows} == {"Fang Hanting"}
    assert {r[2] for r in rows} == {"Science and Technology Daily", "Zhejiang University"}
    assert "2 rows" in browser.find_element("id", "wb-status").text
    csv = blob_text(browser, "wb-csv").splitlines()
    assert csv[0] == "person,event,org,title" and len(csv) == 3
    assert errors(browser.get_log("browser")) == []


def test_a_named_query_with_a_parameter(browser, seeds_url):
    browser.get(seeds_url + "/")
    browser.find_element("css selector", '[data-query="person"] button').click()
    field = browser.find_element("css selector", '#wb-fields input[name="name"]')
    assert field.get_attribute("required") == "true"
    field.send_keys("Fang Hanting")
    browser.find_element("id", "wb-run-named").click()
    assert answered(browser, "person") > 0
    assert any("Zhejiang University" in cell for row in table(browser)[1:] for cell in row)


def test_a_free_query_runs_on_ctrl_enter_with_entity_links_and_pages(browser, seeds_url):
    browser.get(seeds_url + "/")
    limits = browser.find_element("id", "wb-limits").text
    assert "10 s" in limits and "10,000 rows" in limits
    type_query(browser, "SELECT ?s ?p WHERE { ?s ?p ?o\n"
                        "FILTER(STRSTARTS(STR(?s), 'https://kg.example.org/resource/')) }\n"
                        "ORDER BY ?s ?p ?o LIMIT 250")
    assert answered(browser, "your query") == 250
    assert browser.find_element("id", "wb-page").text == "Rows 1\u2013100 of 250"
    assert len(table(browser)) == 101
    browser.find_element("id", "wb-next").click()
    assert browser.find_element("id", "wb-page").text == "Rows 101\u2013200 of 250"
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#wb-table a')).map(a => a.getAttribute('href'))")
    assert len(links) == 100 and all(h.startswith("/entity/") for h in links)  # every ?s, none of ?p
    data = blob_text(browser, "wb-json")
    assert '"vars"' in data and data.count('"s"') >= 250
    first = browser.find_element("css selector", "#wb-table a")
    target = first.get_attribute("href")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    first.click()
    wait_for(browser, "document.getElementById('wb-name') !== null")
    assert browser.current_url == target


def test_a_construct_query_shows_triples_and_downloads_turtle(browser, seeds_url):
    browser.get(seeds_url + "/")
    type_query(browser, "PREFIX kgo: <https://kg.example.org/ontology#>\n"
                        "CONSTRUCT { ?post kgo:person ?who } WHERE { ?post kgo:person ?who }")
    n = answered(browser, "your query")
    assert n > 0 and "triples" in browser.find_element("id", "wb-status").text
    assert table(browser)[0] == ["subject", "predicate", "object"]
    assert len(blob_text(browser, "wb-nt").splitlines()) == n
    browser.find_element("id", "wb-ttl").click()
    assert int(wait_for(browser, "document.getElementById('wb-ttl').getAttribute('data-turtle')")) > 0


def test_a_broken_query_shows_its_error_where_it_is(browser, seeds_url):
    browser.get(seeds_url + "/")
    type_query(browser, "SELECT ?x WHERE {\n?x a ?y .\nFILTER(?x = \n}")
    wait_for(browser, "!document.getElementById('wb-error').hidden")
    message = browser.find_element("id", "wb-error-text").text
    assert message.startswith("Syntax error at line 3")
    assert "FILTER(?x =" in browser.find_element("id", "wb-error-where").text
    assert browser.execute_script("return document.querySelector('#wb-lines .wb-bad').textContent") == "3"
    assert browser.find_element("id", "wb-results").is_displayed() is False
    type_query(browser, "ASK { ?s ?p ?o }")  # the error goes when a query runs
    assert answered(browser, "your query") == 1
    assert not browser.find_element("id", "wb-error").is_displayed()


def test_fang_hantings_page_shows_both_posts_with_their_sentences(browser, seeds_url):
    browser.get(seeds_url + FANG)
    assert browser.find_element("id", "wb-name").text == "Fang Hanting"
    posts = browser.find_element("id", "posts").text
    assert "Science and Technology Daily" in posts and "Zhejiang University" in posts
    assert "said Fang Hanting, an official with Science and Technology Daily" in posts
    assert "Fang Hanting, Doctoral Supervisor of Zhejiang University" in posts
    assert "000_f62b4a445ef0a2d3.txt" in posts and "002_5ae6d4e89899da78.txt" in posts
    assert "Events and roles" in browser.find_element("id", "events").text
    assert "same-name" in browser.find_element("id", "merges").text
    wait_for(browser, "document.body.getAttribute('data-ready') === '1'")  # the neighbourhood drew
    assert browser.execute_script("return window.kgNetwork.body.data.nodes.length") >= 3
    browser.find_element("link text", "Zhejiang University").click()
    wait_for(browser, "document.getElementById('wb-name').textContent === 'Zhejiang University'")
    assert "Fang Hanting" in browser.find_element("id", "posts-here").text
    assert errors(browser.get_log("browser")) == []


def test_an_entity_is_found_by_an_alias(browser, seeds_url):
    with urllib.request.urlopen(seeds_url + "/queries/aliases?format=json", timeout=60) as r:
        row = json.load(r)["results"]["bindings"][0]
    name, alias = row["name"]["value"], row["alias"]["value"]
    browser.get(seeds_url + "/")
    box = browser.find_element("id", "wb-find")
    box.send_keys(alias.lower())
    box.submit()
    wait_for(browser, "document.getElementById('wb-hits') !== null")
    hit = browser.find_element("link text", name)
    assert f"also called {alias}" in hit.find_element("xpath", "..").text
    hit.click()
    wait_for(browser, "document.getElementById('wb-name') !== null")
    assert browser.find_element("id", "wb-name").text == name
    assert alias in browser.find_element("id", "wb-aliases").text


def _harmless(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - no alert() ran
    assert driver.execute_script("return window.__kgPwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img, b, u, i').length") == 0
    assert driver.execute_script(
        "return document.querySelectorAll('a[href^=\"javascript\"], [onerror]').length") == 0


def test_names_with_markup_are_text_on_every_page(browser, hostile_url):
    person, img, org, link = PAYLOADS
    browser.get(hostile_url + "/search?" + urllib.parse.urlencode({"q": "<"}))
    entities = browser.execute_script(
        "return Array.from(document.querySelectorAll('#wb-hits a')).map(a => a.href)")
    assert len(entities) == 5  # two people, an organisation, an event, the article
    hits = browser.find_element("id", "wb-hits").text
    assert person in hits and img in hits and org in hits
    _harmless(browser)
    seen = ""
    for url in entities:
        browser.get(url)
        wait_for(browser, "document.getElementById('wb-name') !== null")
        time.sleep(0.5)  # the neighbourhood's script has run
        _harmless(browser)
        seen += browser.execute_script("return document.querySelector('main').textContent")
    for payload in (person, img, org, "<u>chief</u> officer", "<i>evil</i>.txt"):
        assert payload in seen
    browser.get(hostile_url + "/")  # the Ask page, its tables full of the names
    browser.find_element("css selector", '[data-query="people"] button').click()
    browser.find_element("id", "wb-run-named").click()
    answered(browser, "people")
    names = {row[0] for row in table(browser)[1:]}
    assert {person, img} <= names
    type_query(browser, "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), '<')) }")
    assert answered(browser, "your query") > 0
    _harmless(browser)
    browser.get(hostile_url + "/graph")
    wait_for(browser, "document.body.getAttribute('data-ready') === '1'")
    _harmless(browser)
    assert errors(browser.get_log("browser")) == []
