"""A GitHub Pages project site lives under a path (/REPO/): everything must still work there."""

import pytest

import build
import calc
from tests.browser.pagetools import assert_same_json, fill, settle, shown_result

pytestmark = pytest.mark.browser


def test_the_calculator_and_offline_use_work_under_a_base_path(watched_page, serve, tmp_path):
    root = tmp_path / "host"
    build.build(root / "bones", base_url="https://example.github.io/bones/")
    url = serve(root).url
    page = watched_page()
    page.goto(url + "bones/")
    page.click("text=How inflammation drives bone loss")
    assert page.url == url + "bones/inflammation-and-bone-loss/"
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    fill(page, {"age": "66", "sex": "female", "crp": "5", "crp_unit": "mg/L"})
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess({"age": "66", "sex": "female", "crp": "5", "crp_unit": "mg/L"}))
    page.wait_for_selector("#offline-status[data-state=ready]", timeout=90_000)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == url + "bones/"
    assert page.problems == []
