"""The graph page at hundreds of entities, in real headless Chromium (network refused): a
graph built from 32 articles (tests/data/dev2) opens on its linked entities only, drawn and
still within 10 s; a switch shows the entities without links, and search finds one of them;
the event and group pickers centre and highlight; the people at several events are listed
with their post at each event; figures are optional nodes, charted over the years; and the
same view sits inside another page. These tests check what the page does, not how many
entities the extraction finds."""
from __future__ import annotations

import time

import pytest
from browser import drawn, errors, info, open_page, painted_pixels, search
from vizdata import figures_graph, forums_graph

from kg.network import project
from kg.viz import page_data, view_parts, write_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _select(driver, select_id: str, value: str) -> None:
    driver.execute_script(
        "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
        "s.dispatchEvent(new Event('change'));", select_id, value)
    time.sleep(0.7)  # the view's animation


def _faded(driver) -> set[str]:
    return set(driver.execute_script(
        "return window.kgNetwork.body.data.nodes.get().filter(n => n.opacity < 1).map(n => n.id)"))


def _in_view(driver, node: str) -> bool:
    return driver.execute_script(
        "const net = window.kgNetwork, id = arguments[0];"
        "const p = net.canvasToDOM(net.getPositions([id])[id]);"
        "const r = document.querySelector('#kg-canvas canvas').getBoundingClientRect();"
        "return p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height", node)


@pytest.fixture(scope="module")
def dev2_page(dev2_graph):
    """The page `kg build` wrote beside the dev2 graph."""
    _, ttl = dev2_graph
    return ttl.with_suffix(".html")


def test_first_view_draws_linked_entities_only_and_is_still_within_10_s(driver, dev2_page):
    log = open_page(driver, dev2_page, deadline_s=10)
    assert errors(log) == []
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert driver.execute_script("return window.kgNetwork.physics.physicsEnabled") is False
    nodes = info(driver)
    entities = {k: v for k, v in nodes.items() if v["cls"] != "figure"}
    unlinked = {k for k, v in entities.items() if v["degree"] == 0}
    assert len(entities) >= 100 and unlinked, "the fixture should give a graph with entities without links"
    shown = set(drawn(driver))
    assert shown and not shown & unlinked
    assert shown == set(entities) - unlinked
    before = driver.execute_script("return window.kgNetwork.getPositions()")
    time.sleep(1.0)
    assert driver.execute_script("return window.kgNetwork.getPositions()") == before  # nothing moves
    assert painted_pixels(driver) > 5000
    labels = driver.execute_script("return document.getElementById('kg-canvas').dataset.labels")
    assert labels == "all" or int(labels) >= 5  # the always-shown labels are drawn
    status = driver.find_element("id", "kg-status").text
    assert f"{len(unlinked)} entities without links are hidden" in status


def test_switch_shows_the_unlinked_entities(driver, dev2_page):
    open_page(driver, dev2_page)
    entities = {k for k, v in info(driver).items() if v["cls"] != "figure"}
    switch = driver.find_element("id", "kg-show-unlinked")
    assert not switch.is_selected()
    switch.click()
    assert set(drawn(driver)) == entities
    assert "hidden" not in driver.find_element("id", "kg-status").text
    switch.click()
    assert len(drawn(driver)) < len(entities)


def test_search_finds_an_unlinked_entity_and_shows_it_alone(driver, dev2_page):
    open_page(driver, dev2_page)
    nodes = info(driver)
    names = [v["label"].lower() for v in nodes.values() if v["cls"] != "figure"]
    target = next(k for k, v in sorted(nodes.items(), key=lambda kv: kv[1]["label"])
                  if v["cls"] != "figure" and v["degree"] == 0 and len(v["label"]) > 4
                  and sum(v["label"].lower() in n for n in names) == 1)  # one match only
    label = nodes[target]["label"]
    found = search(driver, label)
    assert found and found[0].startswith(label) and "no links" in found[0]
    assert driver.execute_script("return window.kgNetwork.getSelectedNodes()") == [target]
    shown = set(drawn(driver))
    assert target in shown
    assert not {k for k, v in nodes.items() if v["degree"] == 0 and k != target} & shown
    details = driver.find_element("id", "kg-details").text
    assert label in details
    assert _in_view(driver, target)
    from selenium.webdriver.common.keys import Keys

    driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)  # back to the first view
    assert target not in set(drawn(driver))
    assert driver.find_element("id", "kg-details").text.startswith("Click a node")


def test_event_picker_centres_and_highlights_the_event(driver, dev2_page):
    open_page(driver, dev2_page)
    nodes = info(driver)
    options = driver.execute_script(
        "return [...document.getElementById('kg-event').options].map(o => [o.value, o.text])")
    events = [v for v, _ in options if v]
    assert set(events) == {k for k, v in nodes.items() if v["cls"] == "event"}
    busiest = max(events, key=lambda k: (nodes[k]["degree"], k))
    _select(driver, "kg-event", busiest)
    assert driver.execute_script("return window.kgNetwork.getSelectedNodes()") == [busiest]
    assert _in_view(driver, busiest)
    neighbours = set(driver.execute_script("return window.kgNetwork.getConnectedNodes(arguments[0])", busiest))
    faded = _faded(driver)
    assert busiest not in faded and not neighbours & faded
    assert faded  # the rest of the graph steps back
    assert nodes[busiest]["label"] in driver.find_element("id", "kg-details").text
    unlinked_events = [k for k in events if nodes[k]["degree"] == 0]
    if unlinked_events:  # an event without links is shown when picked
        _select(driver, "kg-event", unlinked_events[0])
        assert unlinked_events[0] in set(drawn(driver))
        assert _in_view(driver, unlinked_events[0])


def test_component_picker_highlights_one_group(driver, dev2_page):
    open_page(driver, dev2_page)
    nodes = info(driver)
    _select(driver, "kg-component", "0")
    members = {k for k, v in nodes.items() if v["comp"] == 0}
    assert len(members) >= 2
    faded = _faded(driver)
    assert not members & faded
    assert set(drawn(driver)) - members <= faded


def test_people_at_several_events_with_their_post_at_each(driver, tmp_path):
    write_page(forums_graph(), tmp_path / "forums.html")
    open_page(driver, tmp_path / "forums.html")
    items = driver.find_elements("css selector", "#kg-bridges > li")
    texts = [li.text for li in items]
    assert [t.splitlines()[0] for t in texts] == ["Fang Hanting", "Li Wei"]
    assert ("2023 China Science and Technology Finance Forum (2023-06-01): doctoral supervisor, "
            "Zhejiang University" in texts[0])
    assert "Pujiang Innovation Forum (2023-09-09): official, Science and Technology Daily" in texts[0]
    assert "2023 China Science and Technology Finance Forum (2023-06-01): no post named" in texts[1]
    untitled = driver.execute_script(  # a post the article names no title for
        "const b = window.kgPage.data.bridges[0], ev = b.events[0];"
        "return window.kgPage.atEventText({id: ev.id, posts: [{title: '', org: ev.posts[0].org}]})")
    assert untitled == "2023 China Science and Technology Finance Forum (2023-06-01): Zhejiang University"
    items[0].click()
    time.sleep(0.7)
    nodes = info(driver)
    bright = {nodes[k]["label"] for k in drawn(driver)} - {nodes[k]["label"] for k in _faded(driver)}
    assert {"Fang Hanting", "Zhejiang University", "Science and Technology Daily", "Pujiang Innovation Forum",
            "2023 China Science and Technology Finance Forum"} <= bright
    assert "Zhou Min" not in bright
    details = driver.find_element("id", "kg-details").text
    assert "At 2 events:" in details
    border = driver.execute_script(
        "const n = window.kgNetwork.body.data.nodes.get().find(n => n.label === 'Fang Hanting');"
        "return [n.borderWidth, n.color.border]")
    assert border[0] == 3  # people at several events wear a dark ring
    driver.find_element("id", "kg-bridges-all").click()
    time.sleep(0.7)
    bright = {nodes[k]["label"] for k in drawn(driver)} - {nodes[k]["label"] for k in _faded(driver)}
    assert {"Fang Hanting", "Li Wei", "Chinese Academy of Science and Technology for Development"} <= bright


def test_figures_are_optional_nodes_and_a_series_is_charted(driver, tmp_path):
    write_page(figures_graph(), tmp_path / "figures.html")
    open_page(driver, tmp_path / "figures.html")
    nodes = info(driver)
    figures = {k for k, v in nodes.items() if v["cls"] == "figure"}
    assert len(figures) == 4 and not figures & set(drawn(driver))
    driver.find_element("id", "kg-show-figures").click()
    assert figures <= set(drawn(driver))
    search(driver, "Shenzhen")
    chart = driver.execute_script(
        "const c = document.querySelector('#kg-details .kg-chart-box');"
        "return c && [c.querySelector('figcaption').textContent, c.querySelectorAll('rect').length,"
        " [...c.querySelectorAll('text')].map(t => t.textContent)]")
    assert chart is not None, "no chart in Shenzhen's panel"
    caption, bars, texts = chart
    assert caption == "venture capital (CNY)" and bars == 3
    assert {"2021", "2022", "2023", "90 billion", "120.5 billion", "150 billion"} <= set(texts)
    assert len(driver.find_elements("css selector", "#kg-details .kg-chart-box")) == 1  # one year only: no chart
    lone = search(driver, "Lone Reporter")
    assert lone[0].startswith("Lone Reporter")


def test_focus_page_uses_the_same_view(driver, tmp_path):
    write_page(forums_graph(), tmp_path / "focus.html", focus="Li Wei", depth=1)
    open_page(driver, tmp_path / "focus.html", deadline_s=10)
    assert driver.find_elements("id", "kg-show-unlinked") == []  # everything is linked to the focus
    assert driver.find_element("id", "kg-title").text.startswith("Li Wei")
    labels = driver.execute_script("return window.kgPage.data.labelled.map(id => window.kgPage.data.nodeInfo[id].label)")
    assert labels[0] == "Li Wei"


def test_the_view_sits_inside_another_page(driver, tmp_path):
    """What a workbench page does: its own header, the view below it."""
    data = page_data(project(forums_graph()), title="Graph", note="", total_nodes=12)
    parts = view_parts(data)
    page = tmp_path / "workbench.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>workbench</title>" + str(parts.head) +
        "<style>body{margin:0} header{height:48px} #frame{position:absolute;top:48px;bottom:0;left:0;right:0}"
        "</style></head><body><header>kg workbench</header><div id='frame'>" + str(parts.body) +
        "</div></body></html>", encoding="utf-8")
    log = open_page(driver, page)
    assert errors(log) == []
    assert driver.execute_script(
        "return document.getElementById('kg-view').getBoundingClientRect().top") == 48
    assert painted_pixels(driver) > 1000
    assert search(driver, "fang")[0].startswith("Fang Hanting")

