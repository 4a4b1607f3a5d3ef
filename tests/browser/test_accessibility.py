"""Accessibility: axe-core finds nothing on any page, in any calculator state,
and the calculator can be completed with the keyboard alone."""

import pytest

import calc
from tests.browser.pagetools import (ARTICLE, PAGES, assert_same_json, axe_violations, fill, settle, shown_result,
                                     tab_to)

pytestmark = pytest.mark.browser


@pytest.fixture
def axe_page(watched_page):
    # axe is injected as a script; the site's CSP would rightly refuse it otherwise
    return watched_page(bypass_csp=True, service_workers="block")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "index" for p in PAGES])
def test_every_page(axe_page, site_url, path, scheme):
    page = axe_page
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + path)
    if page.locator("#calculator").count():
        page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    assert axe_violations(page) == []


def fill_some(page):
    fill(page, {"age": "68", "sex": "female", "menopause": "yes", "height": "160", "height_unit": "cm",
                "weight": "60", "weight_unit": "kg", "vitamin_d": "15", "vitamin_d_unit": "ng/mL", "falls": "yes"})


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_calculator_loading(axe_page, site_url, scheme, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 844})
    page.emulate_media(color_scheme=scheme)
    for wasm in ("**/*.wasm", "**/*.wasm.gz"):  # the gzipped wasm the worker fetches, and the plain one
        page.route(wasm, lambda route: None)  # never answered: Python stays "loading"
    with page.expect_request("**/*.wasm*"):  # the worker has started and is waiting for the runtime
        page.goto(site_url + ARTICLE)
    assert page.get_attribute("#result", "data-status") == "loading"
    if width == 390:  # the start-up progress is pinned where a phone reader is looking
        page.locator('[name="age"]').scroll_into_view_if_needed()
        page.locator("#pinned").wait_for(state="visible")
        assert "Starting the calculator" in page.text_content("#pinned")
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calculator_ready_and_invalid(axe_page, site_url, scheme):
    page = axe_page
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    fill_some(page)
    page.click("#share-answers")
    assert settle(page) == "ready"
    assert axe_violations(page) == []
    fill(page, {"weight": "heavy"})
    assert settle(page) == "invalid"
    assert axe_violations(page) == []


def test_calculator_error(axe_page, site_url):
    page = axe_page
    for wasm in ("**/*.wasm", "**/*.wasm.gz"):  # the gzipped wasm the worker fetches, and the plain one
        page.route(wasm, lambda route: route.abort())
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=error]", timeout=60_000)
    assert axe_violations(page) == []


def focus_is_visible(page):
    return page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    }""")


def test_the_calculator_can_be_completed_by_keyboard_alone(watched_page, site_url):
    page = watched_page()
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)

    tab_to(page, '[name="age"]')
    assert focus_is_visible(page)
    page.keyboard.type("72")
    tab_to(page, '[name="sex"]')  # a radio group takes one Tab; arrows move within it
    page.keyboard.press("Space")  # the first choice, female
    assert focus_is_visible(page)
    page.keyboard.press("ArrowRight")  # male
    tab_to(page, '[name="height_unit"]')
    page.keyboard.press("Space")  # the first unit, cm: none is chosen for the reader
    tab_to(page, '[name="height"]')
    page.keyboard.type("175")
    tab_to(page, '[name="weight_unit"]')
    page.keyboard.press("Space")  # kg
    tab_to(page, '[name="weight"]')
    page.keyboard.type("70")
    tab_to(page, '[name="smoking"]')
    page.keyboard.press("ArrowDown")  # never smoked
    page.keyboard.press("ArrowDown")  # used to smoke
    tab_to(page, '[name="prior_fracture"]')
    page.keyboard.press("Space")  # yes
    tab_to(page, '[name="care_home"]')
    page.keyboard.press("Space")
    assert settle(page) == "ready"
    expected = calc.assess({"age": "72", "sex": "male", "height": "175", "height_unit": "cm", "weight": "70",
                            "weight_unit": "kg",
                            "smoking": "ex", "prior_fracture": "yes", "care_home": "yes"})
    assert_same_json(shown_result(page), expected)
    assert page.problems == []


def test_touch_targets_are_at_least_24_pixels(watched_page, site_url):
    page = watched_page(viewport={"width": 360, "height": 800}, service_workers="block")
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    for details in page.query_selector_all("details"):
        details.evaluate("d => d.open = true")
    small = page.evaluate("""() => [...document.querySelectorAll(
            '#calculator input, #calculator select, #calculator button, #calculator summary, #calculator label')]
        .filter(el => el.offsetParent !== null && el.type !== 'hidden')
        .map(el => {
            const box = (el.type === 'radio' || el.type === 'checkbox') && el.closest('label')
                ? el.closest('label').getBoundingClientRect() : el.getBoundingClientRect();
            return [el.name || el.id || el.textContent.trim().slice(0, 30), box.width, box.height];
        })
        .filter(([, w, h]) => w < 24 || h < 24)""")
    assert small == []
