"""The graph page in a real headless Chromium with every network request refused: it draws,
logs no error, shows the right counts, its search works, and names that carry HTML or script
stay text. Skipped (with the reason) only when chromium or chromedriver is not installed."""
from __future__ import annotations

import time

import pytest
from browser import drawn, errors, info, open_page, painted_pixels, search
from vizdata import PAYLOADS, forums_graph, hostile_graph

from kg.network import project
from kg.viz import build_page, write_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_page_draws_offline_counts_and_search(driver, tmp_path):
    kg = forums_graph()
    report = write_page(kg, tmp_path / "forums.html")
    log = open_page(driver, tmp_path / "forums.html")
    assert errors(log) == []
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert painted_pixels(driver) > 2000
    count = driver.execute_script("const c = document.getElementById('kg-count');"
                                  "return [c.dataset.nodes, c.dataset.edges, c.textContent,"
                                  " window.kgNetwork.body.data.nodes.length]")
    assert int(count[0]) == report.nodes == 12 == count[3]
    assert int(count[1]) == report.edges
    assert count[2].startswith("12 entities")
    assert driver.execute_script("return window.kgNetwork.physics.physicsEnabled") is False
    found = search(driver, "fang")
    assert any(item.startswith("Fang Hanting") for item in found)
    selected = driver.execute_script("return window.kgNetwork.getSelectedNodes()"
                                     ".map(id => window.kgNetwork.body.data.nodes.get(id).label)")
    assert selected == ["Fang Hanting"]
    details = driver.execute_script("return document.getElementById('kg-details').textContent")
    assert "doctoral supervisor, Zhejiang University" in details
    assert "pujiang.txt" in details
    faded = "return window.kgNetwork.body.data.nodes.get().filter(n => n.opacity < 1).length"
    assert driver.execute_script(faded) == 12 - 5  # Fang Hanting and his four neighbours stay
    from selenium.webdriver.common.keys import Keys

    driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)
    assert driver.execute_script(faded) == 0
    assert search(driver, "CASTED")[0].startswith("Chinese Academy of Science and Technology for Development")
    assert errors(driver.get_log("browser")) == []


def test_filter_by_class_hides_nodes(driver, tmp_path):
    write_page(forums_graph(), tmp_path / "filter.html")
    open_page(driver, tmp_path / "filter.html")
    visible = "return window.kgNetwork.body.nodeIndices.length"
    assert driver.execute_script(visible) == 12
    driver.find_element("id", "kg-show-person").click()
    assert driver.execute_script(visible) == 9
    driver.find_element("id", "kg-show-person").click()
    assert driver.execute_script(visible) == 12


def test_seeds_page_draws_offline(driver, seeds_graph, tmp_path):
    kg, _, _ = seeds_graph
    report = write_page(kg, tmp_path / "seeds.html")
    log = open_page(driver, tmp_path / "seeds.html")
    assert errors(log) == []
    assert report.nodes == project(kg).number_of_nodes() > 0  # no cap on two articles
    assert painted_pixels(driver) > 1000
    linked = sum(1 for i in info(driver).values() if i["cls"] != "figure" and i["degree"] > 0)
    assert len(drawn(driver)) == linked  # the entities without links wait for the switch
    assert any(item.startswith("Fang Hanting") for item in search(driver, "hanting"))


def test_focus_page(driver, tmp_path):
    report = write_page(forums_graph(), tmp_path / "focus.html", focus="FANG HANTING", depth=1)
    log = open_page(driver, tmp_path / "focus.html")
    assert errors(log) == []
    assert driver.execute_script("return window.kgNetwork.body.data.nodes.length") == report.nodes == 5
    assert driver.find_element("id", "kg-title").text.startswith("Fang Hanting")


def test_hostile_names_stay_text(driver, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    kg = hostile_graph()
    html, _ = build_page(kg)
    page = tmp_path / "hostile.html"
    page.write_text(html, encoding="utf-8")
    log = open_page(driver, page)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - no alert() ran
    assert driver.execute_script("return window.__kgPwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img, a, b, u, i').length") == 0
    assert driver.execute_script("return document.scripts.length") == 3  # data, vis-network, page
    assert errors(log) == []
    person, img, org, _ = PAYLOADS
    assert person in search(driver, "<script>")[0]
    details = driver.execute_script("return document.getElementById('kg-details').textContent")
    assert person in details and org in details
    assert "<u>chief</u> officer, " + org in details
    assert "<i>evil</i>.txt" in details
    assert img in search(driver, "onerror")[0]
    labels = driver.execute_script("return window.kgNetwork.body.data.nodes.get().map(n => n.label)")
    assert set(labels) >= {person, img, org}
    tooltip = driver.execute_script(
        "const n = window.kgNetwork.body.data.nodes.get().find(n => n.label.startsWith('<script'));"
        "return [n.title instanceof HTMLElement, n.title.textContent]")
    assert tooltip[0] is True and person in tooltip[1]
    assert driver.execute_script("return window.__kgPwned === undefined")


def test_hostile_tooltip_on_hover(driver, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    write_page(hostile_graph(), tmp_path / "hover.html", focus="<script>alert(1)</script>", depth=1)
    open_page(driver, tmp_path / "hover.html")
    assert driver.find_element("id", "kg-title").text.startswith(PAYLOADS[0])
    x, y = driver.execute_script(
        "const net = window.kgNetwork;"
        "const id = net.body.data.nodes.get().find(n => n.label.startsWith('<script')).id;"
        "const p = net.canvasToDOM(net.getPositions([id])[id]);"
        "const r = document.querySelector('#kg-canvas canvas').getBoundingClientRect();"
        "return [Math.round(p.x - r.width / 2), Math.round(p.y - r.height / 2)]")
    canvas = driver.find_element("css selector", "#kg-canvas canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, x, y).perform()
    deadline = time.monotonic() + 5
    text = ""
    while time.monotonic() < deadline and PAYLOADS[0] not in text:
        ActionChains(driver).move_by_offset(1, 0).move_by_offset(-1, 0).perform()
        time.sleep(0.3)
        text = driver.execute_script("const t = document.querySelector('div.vis-tooltip');"
                                     "return t && t.style.visibility !== 'hidden' ? t.textContent : ''")
    assert PAYLOADS[0] in text
    assert driver.execute_script("return document.querySelectorAll('div.vis-tooltip script').length") == 0
    assert driver.execute_script("return window.__kgPwned === undefined")


def test_capped_large_page_stays_usable(driver, tmp_path):
    from test_viz import _big_graph

    report = write_page(_big_graph(40, 3000), tmp_path / "big.html")
    log = open_page(driver, tmp_path / "big.html", deadline_s=10)  # drawn, still, within 10 s
    assert driver.execute_script("return window.kgNetwork.physics.physicsEnabled") is False
    assert errors(log) == []
    assert report.nodes == 1500
    assert driver.execute_script("return window.kgNetwork.body.data.nodes.length") == 1500
    note = driver.find_element("id", "kg-note")
    assert note.is_displayed() and "1,540 less connected ones are left out" in note.text
    assert "(of 3040 entities)" in driver.find_element("id", "kg-count").text
    assert painted_pixels(driver) > 5000
    assert search(driver, "forum 39")[0].startswith("Forum 39")


HOSTILE_ARTICLE = """Forum on finance <script>alert(1)</script> opens in Shanghai

SHANGHAI, June 2 (Xinhua) -- Fang Hanting, an official with Science and Technology Daily, spoke \
at the Pujiang Innovation Forum <script>window.__kgPwned=1</script> on Friday.

Wang Hongwei <img src=x onerror="window.__kgPwned=2;alert(2)">, chairman of Acme "Quoted" \
Capital & Co <a href="javascript:window.__kgPwned=3">Ltd</a>, attended the Pujiang Innovation Forum.
"""


def test_article_with_html_in_it_builds_a_harmless_page(driver, tmp_path):
    """A real article through the real pipeline (`kg build` writes the page): whatever the
    extractor keeps of the markup in names and sentences shows as text and never runs."""
    from selenium.common.exceptions import NoAlertPresentException

    from kg.build import build

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    out = tmp_path / "graph" / "kg.ttl"
    build([tmp_path / "articles"], out)
    log = open_page(driver, out.with_suffix(".html"))
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return window.__kgPwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img, a').length") == 0
    assert errors(log) == []
    # every sentence of the article carries markup: find what the page quotes and read it back
    quoted = driver.execute_script(
        "const info = JSON.parse(document.getElementById('kg-data').textContent).nodeInfo;"
        "for (const [id, n] of Object.entries(info)) {"
        "  const s = n.sources.find(s => s.sentence.includes('<'));"
        "  if (s) { return [n.label, s.sentence]; } }"
        "return null")
    assert quoted is not None, "the page quotes no sentence of the article"
    label, sentence = quoted
    search(driver, label)
    details = driver.execute_script("return document.getElementById('kg-details').textContent")
    assert " ".join(sentence.split()) in " ".join(details.split())
    assert "<" in details
    assert driver.execute_script("return window.__kgPwned === undefined")


def test_empty_graph_page_says_so(driver, tmp_path):
    from rdflib import Graph

    from kg.graphs import KnowledgeGraph

    write_page(KnowledgeGraph(asserted=Graph()), tmp_path / "empty.html")
    log = open_page(driver, tmp_path / "empty.html")
    assert errors(log) == []
    assert "no entities" in driver.find_element("id", "kg-status").text
