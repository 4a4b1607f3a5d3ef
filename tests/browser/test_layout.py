"""Every page lays out without horizontal scrolling, on a phone and on a desktop."""

import pytest

from tests.browser.pagetools import PAGES, fill, settle

pytestmark = pytest.mark.browser
WIDTHS = {"phone": 360, "desktop": 1280}


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("path", PAGES, ids=[p or "index" for p in PAGES])
def test_no_horizontal_scrolling(watched_page, site_url, path, width):
    # No service worker: saving the whole site for offline use is not what is measured here.
    page = watched_page(viewport={"width": WIDTHS[width], "height": 800}, service_workers="block")
    page.goto(site_url + path)
    if page.locator("#calculator").count():
        page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
        # with results showing, the widest the page gets
        fill(page, {"age": "67", "sex": "female", "menopause": "yes", "height": "160", "height_unit": "cm",
                    "weight": "55", "weight_unit": "kg",
                    "vitamin_d": "18", "vitamin_d_unit": "ng/mL", "crp": "4", "crp_unit": "mg/L",
                    "rankl": "25", "rankl_unit": "pg/mL", "falls": "yes"})
        assert settle(page) == "ready"
    assert horizontal_overflow(page) <= 0
    assert page.problems == []
