"""The calculator in a real Chromium: the page must show exactly what calc returns."""

import pytest

import calc
from calc.view import NEXT_STEPS
from tests.browser.pagetools import (ARTICLE, assert_same_json, clear, fill, open_calculator, reveal, settle,
                                     shown_result, stalling_handler, watch_console)
from tests.helpers import errors_of, golden_cases

pytestmark = pytest.mark.browser
CASES = golden_cases()


@pytest.fixture(scope="module")
def shared_page(browser, site_url):
    """One page for many tests: Python boots once, and the form is cleared between tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.problems = watch_console(page)
        open_calculator(page, site_url)
        yield page
    finally:
        context.close()


@pytest.fixture
def calc_page(shared_page):
    clear(shared_page)
    shared_page.problems.clear()
    yield shared_page
    assert shared_page.problems == [], "the page logged errors"


def texts(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent.trim())")


def check_page_shows(page, expected):
    """The visible results are calc's display strings, in calc's order."""
    shown = expected["display"]
    assert page.text_content("#score-value") == shown["score_out_of"]
    assert page.text_content("#score-level") == shown["category"]
    assert shown["coverage"] in page.text_content("#score-coverage")
    for factor in shown["factors"]:
        row = f'[data-factor="{factor["key"]}"]'
        if factor["answered"] is None:
            assert not page.is_visible(row), factor["key"]
            continue
        assert page.text_content(f"{row} [data-points]") == factor["points"], factor["key"]
        assert page.is_visible(f"{row} .bar") == (factor["answered"] is True), factor["key"]  # no 0 bar for a blank
    if shown["bmi"] is None:
        assert not page.is_visible("#bmi-value")
    else:
        assert page.text_content("#bmi-value") == shown["bmi"]
    if shown["ost"] is None:
        assert not page.is_visible("#ost-value")
        assert page.is_visible("#ost-absent")
    else:
        assert page.text_content("#ost-category") == shown["ost"]["category"]
        assert page.text_content("#ost-index") == shown["ost"]["index"]
        assert page.text_content("#ost-meaning") == shown["ost"]["meaning"]
    if shown["headline"] is None:
        assert not page.is_visible("#qfracture-values")
        assert page.is_visible("#qfracture-absent")
    else:
        head = shown["headline"]
        assert page.text_content("#qfracture-sentence") == head["sentence"]
        assert page.text_content("#qfracture-typical") == head["typical"]
        assert page.text_content("#qfracture-hip") == head["hip"]
        assert page.locator("#people-you .hit").count() == head["of_100"]
        assert page.locator("#people-typical .hit").count() == head["typical_of_100"]
        assert calc.QFRACTURE_DISCLAIMER in page.text_content("#qfracture-disclaimer")
    codes = page.eval_on_selector_all("#findings li", "els => els.map(e => e.dataset.code)")
    assert codes == [f["code"] for f in expected["findings"]]
    next_steps = [r["code"] for r in expected["recommendations"] if r["code"] in NEXT_STEPS]
    assert page.eval_on_selector_all("#next-list li", "els => els.map(e => e.dataset.code)") == next_steps
    codes = page.eval_on_selector_all("#recommendations li", "els => els.map(e => e.dataset.code)")
    assert codes == [r["code"] for r in expected["recommendations"] if r["code"] not in NEXT_STEPS]
    codes = page.eval_on_selector_all("#what-if-list li", "els => els.map(e => e.dataset.code)")
    assert codes == [w["code"] for w in expected["what_if"]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(calc_page, case):
    fill(calc_page, case["input"])
    expected = calc.assess(case["input"])
    if not case["input"]:
        assert settle(calc_page) == "empty"
        return
    assert settle(calc_page) == "ready"
    assert_same_json(shown_result(calc_page), expected)
    check_page_shows(calc_page, expected)
    assert expected["score"] == case["expected"]["score"]  # and calc agrees with the hand-worked file


def test_empty_form(calc_page):
    assert calc_page.get_attribute("#result", "data-status") == "empty"
    assert calc_page.get_attribute("#result", "data-json") == ""
    assert not calc_page.is_visible("#result-body")
    assert "Answer any of the questions" in calc_page.text_content("#calc-status")


@pytest.mark.parametrize("key, value, unit, other_unit, points_unit, points_other", [
    ("vitamin_d", "40", "ng/mL", "nmol/L", 0, 10),      # 40 nmol/L = 16.03 ng/mL: 12 to under 20 (docs/model.md)
    ("crp", "0.5", "mg/L", "mg/dL", 0, 6),               # 0.5 mg/dL = 5 mg/L
])
def test_unit_toggles(calc_page, key, value, unit, other_unit, points_unit, points_other):
    fill(calc_page, {key: value, f"{key}_unit": unit})
    assert settle(calc_page) == "ready"
    assert shown_result(calc_page)["points"][key] == points_unit
    calc_page.check(f'[name="{key}_unit"][value="{other_unit}"]')
    assert settle(calc_page) == "ready"
    result = shown_result(calc_page)
    assert result["points"][key] == points_other
    assert_same_json(result, calc.assess({key: value, f"{key}_unit": other_unit}))


def test_no_unit_is_chosen_for_the_reader(calc_page):
    assert calc_page.eval_on_selector_all(".units input:checked", "els => els.length") == 0


def test_sex_specific_fields_appear_only_when_they_apply(calc_page):
    assert not calc_page.is_visible('[data-field="menopause"]')
    fill(calc_page, {"age": "60", "sex": "female", "menopause": "yes"})
    assert settle(calc_page) == "ready"
    assert shown_result(calc_page)["points"]["menopause"] == 8

    calc_page.check('[name="sex"][value="male"]')
    assert settle(calc_page) == "ready"  # the hidden answer is kept but not sent: no error
    assert not calc_page.is_visible('[data-field="menopause"]')
    assert shown_result(calc_page)["points"]["menopause"] == 0
    reveal(calc_page, "care_home")
    assert calc_page.is_visible('[data-field="care_home"]')
    assert not calc_page.is_visible('[data-field="hrt"]')

    calc_page.check('[name="sex"][value="female"]')
    assert settle(calc_page) == "ready"
    assert calc_page.is_checked('[name="menopause"][value="yes"]')  # nothing the reader typed is lost
    assert shown_result(calc_page)["points"]["menopause"] == 8
    assert not calc_page.is_visible('[data-field="care_home"]')


BAD_VALUES = [  # (what a reader typed, in which kind of field)
    ({"age": "65.5"}, "age"),                                  # whole number
    ({"age": "twelve"}, "age"),                                # not a number
    ({"weight": "3000", "weight_unit": "kg"}, "weight"),       # number out of range
    ({"exercise_minutes": "-10"}, "exercise_minutes"),         # below zero
    ({"vitamin_d": "500", "vitamin_d_unit": "ng/mL"}, "vitamin_d"),  # over the ng/mL range (fine in nmol/L)
    ({"vitamin_d": "50"}, "vitamin_d_unit"),                   # a lab value needs its unit
    ({"crp": "1e3", "crp_unit": "mg/L"}, "crp"),               # exponent
    ({"rankl_upper": "0"}, "rankl_upper"),                     # a lab limit must be above 0
    ({"type1_diabetes": "yes", "type2_diabetes": "yes"}, "type1_diabetes"),  # yes/no combination
]


@pytest.mark.parametrize("bad, field", BAD_VALUES, ids=[f for _, f in BAD_VALUES])
def test_a_bad_value_is_explained_next_to_its_field(calc_page, bad, field):
    good = {"age": "60", "sex": "female", "height": "165", "height_unit": "cm", "weight": "60", "weight_unit": "kg",
            "il6": "7,5"}
    good = {k: v for k, v in good.items() if k not in bad}
    fill(calc_page, good)
    assert settle(calc_page) == "ready"

    order = [f.key for f in calc.FIELDS]
    earlier = sorted(bad, key=order.index)[:-1]  # bad answers entered before the last one (each valid alone)
    if earlier:  # their answer on screen first: the last good result below does not depend on timing
        fill(calc_page, {k: bad[k] for k in earlier})
        assert settle(calc_page) == "ready"
    fill(calc_page, {k: v for k, v in bad.items() if k not in earlier})
    assert settle(calc_page) == "invalid"
    expected = {e["field"]: e["message"] for e in errors_of({**good, **bad})}
    assert calc_page.text_content(f"#f-{field}-error") == expected[field]
    assert calc_page.is_visible(f"#f-{field}-error")
    control = calc_page.locator(f'[name="{field}"]').first
    assert control.get_attribute("aria-invalid") == "true"
    if control.get_attribute("type") != "radio":
        assert f"f-{field}-error" in control.get_attribute("aria-describedby")
    n = len(expected)  # the live region gives the number of problems, not the whole panel
    assert (f"{n} answer needs checking" if n == 1 else f"{n} answers need checking") in calc_page.text_content("#calc-status")
    # the last good result stays, marked as not up to date, and nothing else the reader typed is lost
    assert_same_json(shown_result(calc_page), calc.assess({**good, **{k: bad[k] for k in earlier}}))
    assert calc_page.get_attribute("#result", "data-stale") == "true"
    assert calc_page.is_visible("#result-body") and calc_page.is_visible("#stale-note")
    # a wrong answer is not a change in progress: nothing says "updating" until it is corrected
    assert "correct the answer" in calc_page.text_content("#stale-note")
    assert "updating" not in calc_page.text_content("#stale-note").lower()
    assert calc_page.is_hidden("#pinned-updating")
    for key, value in good.items():
        if calc_page.locator(f'[name="{key}"]').first.get_attribute("type") not in ("radio", "checkbox"):
            assert calc_page.input_value(f'[name="{key}"]') == value

    # correcting the value brings the result back
    fixed = {k: "" for k in bad if not k.endswith("_unit")} if field != "type1_diabetes" else {"type2_diabetes": "no"}
    fill(calc_page, fixed)
    assert settle(calc_page) == "ready"
    assert calc_page.get_attribute("#result", "data-stale") is None
    assert not calc_page.is_visible(f"#f-{field}-error")
    assert calc_page.locator(f'[name="{field}"]').first.get_attribute("aria-invalid") is None


def test_typing_while_python_starts_is_computed_when_ready(watched_page, built_site, serve):
    # Python cannot start until the server lets pyodide.mjs go. (Held by a page.route, the
    # request could be seen before the route's handler had run: on a busy machine the test
    # then found nothing to release.)
    handler = stalling_handler("pyodide.mjs")
    handler.armed.set()
    url = serve(built_site, handler=handler).url
    page = watched_page()
    page.goto(url + ARTICLE)
    assert handler.arrived.wait(60)
    answers = {"age": "72", "sex": "male", "vitamin_d": "9", "vitamin_d_unit": "ng/mL"}
    fill(page, answers)
    assert page.get_attribute("#result", "data-status") == "loading"  # typed before Python was ready
    handler.release.set()
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(answers))
    assert page.problems == []


def test_python_starts_on_page_load_without_any_click(watched_page, site_url):
    page = watched_page()
    page.goto(site_url + ARTICLE)  # nothing clicked, typed or focused from here on
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    assert page.get_attribute("#calculator", "data-boot-mode") in ("snapshot", "standard")
    assert page.evaluate("performance.getEntriesByName('calc:python-ready').length") == 1
    assert page.evaluate("document.activeElement === document.body")  # the reader did nothing
    assert page.problems == []


def test_without_javascript_the_article_and_form_are_readable(watched_page, site_url):
    page = watched_page(java_script_enabled=False)
    page.goto(site_url + ARTICLE)
    assert page.is_visible("h1")
    assert page.is_visible('[name="age"]') and page.is_visible('[name="vitamin_d"]')
    assert "needs JavaScript" in page.text_content(".noscript")


def test_print_summary_for_a_doctor(watched_page, site_url):
    page = watched_page()
    problems = page.problems
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    open_calculator(page, site_url)
    fill(page, {"age": "70", "sex": "female", "vitamin_d": "40", "vitamin_d_unit": "nmol/L", "falls": "yes"})
    assert settle(page) == "ready"
    page.click("#print-summary")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert page.is_visible("#result") and page.is_visible("#print-answers")
    assert not page.is_visible(".article-header h1") and not page.is_visible("#calc-form")
    answers = page.text_content("#print-answers")
    assert "Age70" in answers.replace(" ", "") and "40 nmol/L" in answers and "Falls" in answers
    page.emulate_media(media="screen")
    assert problems == []
