"""Headless Chromium for the page tests: every network request refused (no name resolves and
the only proxy is a closed port; with ``loopback=True`` only 127.0.0.1 is reached directly,
for pages served by a local `kg serve`), and helpers that load a page and read it back. The
driver fixtures (in conftest.py) skip, with the reason, when chromium or chromedriver is not
installed."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
OFFLINE_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-default-apps", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves...
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # ...and nothing connects
    "--window-size=1400,900",
)


def start_driver(loopback: bool = False):
    """A Chrome webdriver with the offline flags, and its profile folder (remove it after).
    ``loopback``: requests to 127.0.0.1 go straight there (every other one still fails)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in OFFLINE_FLAGS:
        if loopback and flag.startswith("--proxy-bypass-list="):
            flag = "--proxy-bypass-list=127.0.0.1"
        if loopback and flag.startswith("--host-resolver-rules="):
            flag += ", EXCLUDE 127.0.0.1"
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(60)
    return drv, profile


def open_page(driver, path: Path, deadline_s: float = 120) -> list[dict]:
    """Load a page, wait until it has drawn, and return the browser log of the load."""
    driver.get_log("browser")  # drop what earlier pages logged
    deadline = time.monotonic() + deadline_s  # counted from the request, load included
    driver.get(path.resolve().as_uri())
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "1":
        assert time.monotonic() < deadline, f"the page did not draw within {deadline_s} s"
        time.sleep(0.1)
    time.sleep(0.3)  # one more frame
    return driver.get_log("browser")


def painted_pixels(driver) -> int:
    """Non-transparent pixels on the network's canvas."""
    return driver.execute_script("""
        const c = document.querySelector('#kg-canvas canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
        return n;""")


def search(driver, text: str) -> list[str]:
    """Type into the search box, read the results listed, press Enter (selects the first)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys(text)
    items = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#kg-results li")]
    box.send_keys(Keys.ENTER)
    time.sleep(0.6)
    return items


def errors(log: list[dict]) -> list[dict]:
    return [e for e in log if e.get("level") == "SEVERE"]


def drawn(driver) -> list[str]:
    """Ids of the nodes vis-network draws now."""
    return driver.execute_script("return window.kgNetwork.body.nodeIndices.slice()")


def info(driver) -> dict:
    """The page's nodeInfo (labels, classes, links of every node)."""
    return driver.execute_script("return window.kgPage.data.nodeInfo")
