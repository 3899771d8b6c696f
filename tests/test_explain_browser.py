"""The explain page in a real browser: headless Chromium driven through every step.

Skipped when selenium, chromium or chromedriver is missing (``.ci/run`` installs
Debian's ``chromium`` and ``chromium-driver``; selenium is in the test extra).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import examples, topo_order
from autograd.explanation import Explanation, explain

webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.slow  # starts a browser: about 15 s

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)

STATE = """
var lit = Array.prototype.map.call(document.querySelectorAll("#graph .cg-lit"), function(g){
  return g.querySelector("title").textContent.trim(); });
function shown(prefix){
  var out = {};
  Array.prototype.forEach.call(document.querySelectorAll("#graph g.node"), function(g){
    Array.prototype.forEach.call(g.querySelectorAll("text"), function(t){
      if (t.textContent.indexOf(prefix) === 0 && !t.classList.contains("cg-hidden"))
        out[g.querySelector("title").textContent.trim()] = t.textContent.slice(prefix.length);
    });
  });
  return out;
}
var labels = Array.prototype.map.call(document.querySelectorAll("text.cg-elabel"), function(t){
  return [t.getAttribute("data-edge"), t.textContent, t.classList.contains("cg-current")]; });
return JSON.stringify({step: Number(document.body.getAttribute("data-step")),
  phase: document.body.getAttribute("data-phase"), lit: lit, data: shown("data "),
  grad: shown("grad "), labels: labels,
  formula: document.getElementById("formula").textContent,
  counter: document.getElementById("counter").textContent,
  nextDisabled: document.getElementById("next").disabled});
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    try:
        drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except Exception as exc:  # a broken install: skip rather than fail the suite
        pytest.skip(f"cannot start headless chromium: {exc}")
    try:
        yield drv
    finally:
        drv.quit()


def state(driver: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(driver.execute_script(STATE))
    return result


def requests_made(driver: Any, page_url: str) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url != page_url and url != "about:blank":
                urls.append(url)
    return urls


def walk(driver: Any, expl: Explanation, path: Path) -> list[dict[str, Any]]:
    """Open the page, press Next through every step; check each step; return the states."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    expl.save(path)
    url = path.resolve().as_uri()
    driver.get("about:blank")
    driver.get_log("performance")  # drop what the browser did before our page
    driver.get(url)
    steps = expl.page_steps()
    first = state(driver)
    assert first["step"] == -1
    assert first["lit"] == []
    assert first["data"] == {}
    assert first["grad"] == {}
    next_button = driver.find_element(By.ID, "next")
    body = driver.find_element(By.TAG_NAME, "body")
    states = []
    for i, expected in enumerate(steps):
        if i % 2:  # alternate the button and the arrow key
            next_button.click()
        else:
            body.send_keys(Keys.ARROW_RIGHT)
        s = state(driver)
        states.append(s)
        assert s["step"] == i
        assert s["phase"] == expected["phase"]
        assert s["formula"] == expected["formula"]
        assert set(s["lit"]) == set(expected["lit"]) | set(expected["litEdges"])
        for node in expected["showData"]:
            assert node in s["data"]
        if expected["phase"] == "forward":
            assert s["data"][expected["node"]] == expected["value"]
            assert s["grad"] == {}
        elif expected["value"]:  # the node's last use: its grad fills in
            assert s["grad"][expected["node"]] == expected["value"]
        else:
            assert expected["node"] not in s["grad"]
        current = [label for label in s["labels"] if label[2]]
        assert [[e["edge"], e["text"]] for e in expected["edgeLabels"]] == [c[:2] for c in current]
    # pressing Next past the end does nothing
    last = state(driver)
    assert last["nextDisabled"]
    next_button.click()
    body.send_keys(Keys.ARROW_RIGHT)
    assert state(driver) == last
    # Prev goes back one step
    body.send_keys(Keys.ARROW_LEFT)
    assert state(driver)["step"] == len(steps) - 2
    # no network request of any kind, and nothing in the document points elsewhere
    assert requests_made(driver, url) == []
    refs = driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('[src],[href]'),"
        " function(e){ return e.getAttribute('src') || e.getAttribute('href'); });"
    )
    assert all(r.startswith(("data:", "#")) for r in refs), refs
    return states


def test_apple_price_page(driver: Any, tmp_path: Path) -> None:
    expl = explain(examples.apple_price().root)
    states = walk(driver, expl, tmp_path / "apple.html")
    # the textbook's numbers appear as the grads fill in: 1.1, 200, 2.2, 110
    final = states[-1]["grad"]
    assert sorted(final.values()) == sorted(["1", "1.1", "200", "2.2", "110"])
    forward_end = states[len(expl.forward) - 1]
    assert forward_end["data"]["v4"] == "220"
    # every backward edge carried its contribution: partial times upstream
    texts = [c[1] for s in states for c in s["labels"] if c[2]]
    assert "100 \u00d7 1.1 = 110" in texts
    assert "2 \u00d7 1.1 = 2.2" in texts


def test_toy_model_page_in_korean(driver: Any, tmp_path: Path) -> None:
    expl = explain(examples.toy_model().root, lang="ko")
    states = walk(driver, expl, tmp_path / "toy.html")
    assert states[0]["counter"].startswith("순전파")
    assert states[-1]["counter"].startswith("역전파")
    # at the end every box shows its grad, the folded products and f3 - y included
    assert len(states[-1]["grad"]) == len(topo_order(expl.root)) == len(expl.forward) + 5


def test_fan_out_page_fills_the_grad_after_both_uses(driver: Any, tmp_path: Path) -> None:
    expl = explain(examples.fan_out().root)
    states = walk(driver, expl, tmp_path / "fan.html")
    x_steps = [s for s in states if s["phase"] == "backward" and "v0" in s["lit"]]
    assert len(x_steps) == 2
    assert "v0" not in x_steps[0]["grad"]
    assert x_steps[1]["grad"]["v0"] == "6"
    assert x_steps[1]["formula"].endswith("5 + 1 = 6")


def test_the_network_check_sees_a_request(driver: Any, tmp_path: Path) -> None:
    """The detector itself: a page that loads an image is caught."""
    page = explain(examples.fan_out().root).html()
    path = tmp_path / "leaky.html"
    path.write_text(page.replace("<h1>", '<img src="http://127.0.0.1:9/x.png"><h1>'), "utf-8")
    url = path.resolve().as_uri()
    driver.get("about:blank")
    driver.get_log("performance")
    driver.get(url)
    assert requests_made(driver, url) == ["http://127.0.0.1:9/x.png"]
