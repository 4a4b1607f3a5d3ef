"""The page, version 3 (issue 19): a reply shown after Start again, copies of
the answers left behind, scripts that stall, the keyboard's way to the results,
the one-page print on A4 and Letter, shared links, start-up words, the data
saver, the pinned line over a field's message, the lab limits' labels. Expected
values come from calc.assess (or calc's own errors), never from the page."""

import re
from urllib.parse import urlencode

import pytest

import calc
from tests.browser.pagetools import (ARTICLE, RECORD_BOOT_STEPS, RECORD_WORKER_MESSAGES, assert_same_json,
                                     check_reads_as_calc_says, expected_blocks, fill, open_calculator, pdf_pages,
                                     settle, shown_result, stalling_handler, tab_to, visible_blocks, with_timeout)
from tests.helpers import errors_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def link(answers):
    return "#share?" + urlencode(answers)


def open_link(page, site_url, query):
    page.goto(site_url + ARTICLE + "#share?" + query)
    page.wait_for_selector("#result:not([data-status=loading])", timeout=60_000)
    return settle(page)


# --- the red team's race: a reply for answers already cleared

def test_a_reply_to_answers_cleared_by_start_again_is_never_shown(watched_page, site_url):
    page = watched_page(viewport={"width": 360, "height": 780}, has_touch=True, service_workers="block")
    page.add_init_script(RECORD_WORKER_MESSAGES)
    open_calculator(page, site_url)
    fill(page, {"age": "70", "sex": "female"})
    assert settle(page) == "ready"
    replies = page.evaluate("window.__workerMessages.filter(t => t === 'reply').length")
    # typing in Age sends a request; Start again is tapped before its reply comes
    page.evaluate("""() => {
        const age = document.querySelector('[name=age]');
        age.value = '71';
        age.dispatchEvent(new Event('input', {bubbles: true}));
        document.querySelector('#clear-data').click();
    }""")
    page.wait_for_function("n => window.__workerMessages.filter(t => t === 'reply').length > n", arg=replies)
    assert settle(page) == "empty"
    assert page.get_attribute("#result", "data-json") == ""
    assert not page.is_visible("#result-body")
    assert page.text_content("#pinned-text") == ""
    assert page.input_value('[name="age"]') == ""
    assert page.problems == []


def test_start_again_leaves_no_copy_of_the_answers_in_the_page(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    answers = {"age": "80", "sex": "male", "height": "170", "height_unit": "cm", "weight": "60", "weight_unit": "kg",
               "smoking": "heavy", "prior_fracture": "yes"}
    fill(page, answers)
    assert settle(page) == "ready"
    result = calc.assess(answers)
    assert page.locator("#people-you .hit").count() == result["display"]["headline"]["of_100"] > 0
    page.click("#clear-data")
    assert settle(page) == "empty"
    left = page.evaluate("""() => {
        const c = document.querySelector('#calculator');
        return {
          hits: c.querySelectorAll('.people-grid .hit').length,
          level: c.querySelectorAll('[data-level]:not([data-level=""])').length,
          category: c.querySelectorAll('[data-category]').length,
          answered: c.querySelectorAll('[data-answered]').length,
          bars: [...c.querySelectorAll('.bar-fill')].filter(b => b.style.width).length,
          texts: ['#qfracture-absent', '#ost-absent', '#qfracture-notes', '#link-banner-text']
            .map(s => c.querySelector(s).textContent).join(''),
        };
    }""")
    assert left == {"hits": 0, "level": 0, "category": 0, "answered": 0, "bars": 0, "texts": ""}
    # and then a QFracture-less result leaves its absent text behind for no one
    fill(page, {"age": "25"})
    assert settle(page) == "ready"
    page.click("#clear-data")
    assert settle(page) == "empty"
    assert page.text_content("#qfracture-absent") == ""


# --- every script the calculator needs ends in the error and Try again

@pytest.mark.parametrize("script", ["calculator.js", "calc-client.js"])
def test_a_stalled_page_script_ends_in_the_error_and_try_again(watched_page, site_url, script):
    page = watched_page(viewport=PHONE, service_workers="block")
    page.route(f"**/{ARTICLE}", with_timeout(2000))  # the limit, injected: no real 45 s wait
    held = []
    # the first request for the script is never answered; the next (after Try again) is
    page.route(f"**/js/{script}", lambda route: route.continue_() if held else held.append(route))
    page.goto(site_url + ARTICLE, wait_until="commit")
    page.wait_for_selector("#result[data-status=error]", timeout=30_000)
    assert held
    assert "could not start" in page.text_content("#calc-status")
    assert page.is_visible("#calc-retry")
    page.fill('[name="age"]', "64")  # the form still takes answers; Try again keeps them for this tab
    page.unroute(f"**/{ARTICLE}")
    if script == "calculator.js":
        page.evaluate("sessionStorage.setItem('bone-calc-answers', JSON.stringify({answers: 'age=64', fromLink: false}))")
    page.click("#calc-retry")
    page.wait_for_selector("#result[data-status=ready]", timeout=60_000)
    assert page.input_value('[name="age"]') == "64"
    assert_same_json(shown_result(page), calc.assess({"age": "64"}))


# --- keyboard: one Tab from the last question to the top of the results

def test_one_tab_after_the_last_question_reaches_the_top_of_the_results(watched_page, site_url):
    page = watched_page(viewport={"width": 1366, "height": 768}, service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "79", "sex": "male", "height": "5 ft 9", "height_unit": "ft_in", "weight": "11 st 2",
                "weight_unit": "st_lb", "falls": "yes", "prior_fracture": "yes", "smoking": "ex"})
    assert settle(page) == "ready"
    last = page.evaluate("""() => {
        const all = [...document.querySelectorAll('#calc-form input, #calc-form select, #calc-form summary')]
          .filter(el => el.checkVisibility());
        const el = all[all.length - 1];
        el.focus();
        return document.activeElement === el && el.tagName;
    }""")
    assert last == "SUMMARY"  # the lab limits, folded away
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "result-title"
    page.wait_for_function("""() => { const r = document.querySelector('#result-title').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""")
    assert page.evaluate("document.querySelector('#result').scrollTop") == 0


# --- print: one page on A4 and on US Letter, for the longest answer set

def longest_answers():
    """Every question answered, with the answers that give the most text."""
    answers = {}
    for f in calc.FIELDS:
        if f.kind == "boolean":
            answers[f.key] = "yes"
        elif f.kind == "choice" and not f.unit_of:
            answers[f.key] = max((value for value, _ in f.choices), key=lambda v: len(dict(f.choices)[v]))
    answers.update({"age": "81", "sex": "female", "menopause": "early", "height": "160", "height_unit": "cm",
                    "weight": "52", "weight_unit": "kg", "smoking": "heavy", "alcohol": "gt9",
                    "exercise_minutes": "0", "type2_diabetes": "no", "care_home": "",
                    "rankl": "5200", "rankl_unit": "pg/mL", "rankl_upper": "1000", "tnf_alpha": "40",
                    "tnf_alpha_upper": "8.1", "il6": "30", "il6_upper": "5", "vitamin_d": "8",
                    "vitamin_d_unit": "ng/mL", "crp": "60", "crp_unit": "mg/L"})
    return {k: v for k, v in answers.items() if v != ""}


def test_the_longest_answer_set_is_longest():
    # every question has an answer (care_home is for men; only one diabetes type at once)
    answers = longest_answers()
    unanswered = {f.key for f in calc.FIELDS} - set(answers)
    assert unanswered == {"care_home"}
    result = calc.assess(answers)
    assert result["qfracture"] is not None and result["ost"] is not None
    codes = {r["code"] for r in result["recommendations"]}
    assert {"steroid_bone_protection", "falls_prevention", "fracture_risk_assessment", "dxa_scan"} <= codes


MARGINS = {side: "10mm" for side in ("top", "right", "bottom", "left")}  # about a browser's default


def test_the_print_summary_fits_one_page_on_a4_and_letter_and_carries_the_advice(watched_page, site_url):
    page = watched_page(service_workers="block")
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    answers = longest_answers()
    assert open_link(page, site_url, urlencode(answers)) == "ready"
    result = calc.assess(answers)
    assert_same_json(shown_result(page), result)
    counts = {}
    for size in ("A4", "Letter"):
        page.click("#print-summary")  # each printing ends with afterprint, which undoes the summary's layout
        # with a printer's usual margins (Playwright's own default is none)
        counts[size] = pdf_pages(page.pdf(format=size, print_background=True, margin=MARGINS))
    assert page.evaluate("window.__printed") == 2
    assert counts == {"A4": 1, "Letter": 1}
    page.click("#print-summary")
    page.emulate_media(media="print")
    # the page is used to its width (the rule once named a class <main> does not carry)
    widths = page.evaluate("""() => [document.querySelector('main').getBoundingClientRect().width,
                                     document.documentElement.clientWidth]""")
    assert widths[0] >= widths[1] - 2
    for code in [r["code"] for r in result["recommendations"] if r["code"] in calc.view.NEXT_STEPS] + [
            "steroid_bone_protection", "falls_prevention"]:
        item = page.locator(f'#result-body li[data-code="{code}"]')
        assert item.count() == 1 and item.is_visible(), code
    for note in result["notes"]:
        if note["code"].startswith("qfracture_"):
            assert page.is_visible(f'#qfracture-card [data-code="{note["code"]}"]'), note["code"]
    assert page.is_visible("#qfracture-disclaimer")
    footer = page.text_content(".print-footer")
    assert f"{site_url}{ARTICLE}" in footer  # where it was read, not the build's base URL


# --- shared links

def test_a_shared_link_says_so_above_the_form_with_start_again(watched_page, site_url):
    page = watched_page(viewport=PHONE, service_workers="block")
    answers = {"age": "72", "sex": "female", "height": "160", "height_unit": "cm", "weight": "60", "weight_unit": "kg"}
    assert open_link(page, site_url, urlencode(answers)) == "ready"
    banner = page.locator("#link-banner")
    assert banner.is_visible() and "shared link" in banner.text_content()
    assert banner.bounding_box()["y"] < page.locator('[name="age"]').bounding_box()["y"]
    assert page.is_visible("#clear-data")
    assert_same_json(shown_result(page), calc.assess(answers))
    # a reload keeps the answers for this tab, and says so
    page.reload()
    page.wait_for_selector("#result[data-status=ready]", timeout=60_000)
    assert page.input_value('[name="age"]') == "72"
    assert "reloaded" in page.text_content("#link-banner-text") and "shared link" in page.text_content("#link-banner")
    assert_same_json(shown_result(page), calc.assess(answers))
    page.click("#clear-data")
    assert settle(page) == "empty"
    assert not page.is_visible("#link-banner")
    assert page.evaluate("sessionStorage.length") == 0
    page.reload()
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    assert page.input_value('[name="age"]') == ""


def test_answers_typed_are_kept_for_the_tab_on_a_reload(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "66", "sex": "male", "smoking": "light"})
    assert settle(page) == "ready"
    page.reload()
    page.wait_for_selector("#result[data-status=ready]", timeout=60_000)
    assert page.input_value('[name="age"]') == "66" and page.is_checked('[name="sex"][value="male"]')
    assert "kept for this tab" in page.text_content("#link-banner-text")
    assert_same_json(shown_result(page), calc.assess({"age": "66", "sex": "male", "smoking": "light"}))


def banner_notes(page):
    return page.eval_on_selector_all("#link-banner-notes li", "els => els.map(e => e.textContent)")


def test_a_link_with_an_unusable_sex_names_each_answer_left_out_and_why(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_link(page, site_url, "age=60&sex=robot&menopause=early")
    text = page.text_content("#link-banner-text")
    assert "2 answers in it were left out" in text
    notes = banner_notes(page)
    assert len(notes) == 2
    assert notes[0].startswith("Sex:") and "robot" in notes[0]
    assert notes[1].startswith("Menopause") and "no usable answer for sex" in notes[1]
    assert "other sex" not in page.text_content("#calculator")
    assert_same_json(shown_result(page), calc.assess({"age": "60"}))


def test_an_invalid_answer_in_a_link_keeps_the_note_of_what_was_left_out(watched_page, site_url):
    page = watched_page(service_workers="block")
    assert open_link(page, site_url, "age=300&sex=female&colour=blue") == "invalid"
    assert "1 answer in it was left out" in page.text_content("#link-banner-text")
    assert page.is_visible("#link-banner") and "colour" in banner_notes(page)[0]
    assert page.is_visible("#f-age-error")


def test_no_and_false_and_0_in_a_link_tick_nothing(watched_page, site_url):
    page = watched_page(service_workers="block")
    query = "age=70&sex=male&cancer=no&dementia=false&type1_diabetes=0&prior_fracture=false&epilepsy=Yes"
    assert open_link(page, site_url, query) == "ready"
    assert [page.is_checked(f'[name="{k}"]') for k in ("cancer", "dementia", "type1_diabetes")] == [False] * 3
    assert page.is_checked('[name="epilepsy"]')
    assert page.is_checked('[name="prior_fracture"][value="no"]')
    expected = {"age": "70", "sex": "male", "epilepsy": "yes", "prior_fracture": "no"}
    assert_same_json(shown_result(page), calc.assess(expected))
    assert banner_notes(page) == []


@pytest.mark.parametrize("query, key, label", [("sex=female&sex=male&menopause=yes&age=60", "sex", "Sex"),
                                               ("age=30&age=80&sex=male", "age", "Age")])
def test_a_key_given_twice_with_different_answers_is_left_out_and_said(watched_page, site_url, query, key, label):
    page = watched_page(service_workers="block")
    open_link(page, site_url, query)
    notes = banner_notes(page)
    assert any(n.startswith(f"{label}:") and "2 different answers" in n for n in notes), notes
    assert page.evaluate(f"[...document.querySelectorAll('[name={key}]')].some(e => e.type === 'radio' ? e.checked"
                         f" : e.value !== '')") is False
    if key == "sex":  # the hidden woman's answer is not kept either
        assert any(n.startswith("Menopause") for n in notes)
        assert_same_json(shown_result(page), calc.assess({"age": "60"}))


def test_a_link_arriving_by_hashchange_can_be_undone(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    mine = {"age": "55", "sex": "female", "smoking": "light"}
    fill(page, mine)
    assert settle(page) == "ready"
    page.evaluate("q => { location.hash = q; }", link({"age": "80", "sex": "male"}))
    page.wait_for_function("() => document.querySelector('[name=age]').value === '80'")
    assert settle(page) == "ready"
    assert page.is_visible("#undo-clear") and "replaced" in page.text_content("#undo-text")
    page.click("#undo-clear")
    assert settle(page) == "ready"
    assert page.input_value('[name="age"]') == "55" and page.input_value('[name="smoking"]') == "light"
    assert not page.is_visible("#link-banner")
    assert_same_json(shown_result(page), calc.assess(mine))
    assert page.problems == []


# --- start-up: words a reader knows, and the data saver

def test_start_up_says_what_is_downloading_in_words_a_reader_knows(watched_page, site_url):
    page = watched_page(viewport=PHONE, service_workers="block")
    page.add_init_script(RECORD_BOOT_STEPS)
    page.add_init_script("""window.__status = [];
        addEventListener('DOMContentLoaded', () => new MutationObserver(() =>
          window.__status.push(document.querySelector('#calc-status').textContent))
          .observe(document.querySelector('#calc-status'), {childList: true, characterData: true, subtree: true}));""")
    # (no failed snapshot: after one the total is unknown by design, and whether a byte arrived
    # between the boot's decision and that failure is a matter of timing)
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    said = page.evaluate("window.__steps") + page.evaluate("window.__status") + [page.text_content("#calc-status")]
    assert any(re.fullmatch(r"Downloading the calculator: \d+\.\d of \d+\.\d MB", s) for s in said), said
    assert not [s for s in said if "Python" in s or "few seconds" in s], said


SAVE_DATA = """Object.defineProperty(Navigator.prototype, 'connection', {configurable: true,
    get: () => ({saveData: true, effectiveType: '4g', addEventListener() {}, removeEventListener() {}})});"""
RUNTIME = re.compile(r"/(pyodide|calc|snapshot)/|worker\.js")


def test_with_the_data_saver_on_nothing_of_the_runtime_downloads_until_the_reader_answers(watched_page, site_url):
    page = watched_page(viewport=PHONE, service_workers="block")
    page.add_init_script(SAVE_DATA)
    requested = []
    page.on("request", lambda r: RUNTIME.search(r.url) and requested.append(r.url))
    page.goto(site_url + ARTICLE)
    page.wait_for_function("() => document.querySelector('#calc-status').textContent.includes('save data')")
    page.wait_for_load_state("load")
    assert page.get_attribute("#result", "data-status") == "loading"
    assert requested == []
    assert re.search(r"about \d+\.\d MB", page.text_content("#calc-status"))
    fill(page, {"age": "67"})
    page.wait_for_selector("#result[data-status=ready]", timeout=60_000)
    assert requested
    assert_same_json(shown_result(page), calc.assess({"age": "67"}))
    assert page.problems == []


# --- the pinned line and a field's message

def test_the_pinned_line_never_covers_the_feet_box_or_its_message(watched_page, site_url):
    page = watched_page(viewport={"width": 360, "height": 780}, has_touch=True, service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "58", "sex": "female", "menopause": "yes"})
    assert settle(page) == "ready"
    page.check('[name="height_unit"][value="ft_in"]')
    feet = page.locator('[data-field="height"] [data-part=big]')
    page.locator("#pinned").wait_for(state="visible")
    # the reader has scrolled so that the boxes sit just above the pinned line, and taps the feet box
    feet.evaluate("""el => { const pinned = document.querySelector('#pinned').getBoundingClientRect();
        scrollBy(0, el.getBoundingClientRect().bottom - pinned.top + 6); }""")
    box = feet.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.evaluate("document.activeElement.dataset.part") == "big"
    page.keyboard.type("5.5")
    page.keyboard.press("Tab")  # on to the inches box: the feet box's message appears
    page.wait_for_selector("#f-height-error:not([hidden])")
    message = page.text_content("#f-height-error")
    assert message
    page.wait_for_function("""() => {
        const pinned = document.querySelector('#pinned');
        if (pinned.hidden) return true;
        const top = pinned.getBoundingClientRect().top;
        return ['#f-height-error', '[data-field=height] [data-part=small]', '[data-field=height] [data-part=big]']
          .every(s => document.querySelector(s).getBoundingClientRect().bottom <= top);
    }""")
    assert page.problems == []


# --- the lab limits section

def test_the_limits_section_says_its_note_once_and_the_rankl_limit_names_its_unit(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    page.click("#section-limits > summary")
    text = page.text_content("#section-limits")
    assert text.count(calc.fields.SECTIONS[-1].unlocks) == 1
    label = page.text_content('label[for="f-rankl_upper"]')
    assert "RANKL" in label and "unit" in label
    page.check('[name="rankl_unit"][value="pg/mL"]')
    assert page.text_content('label[for="f-rankl_upper"]').endswith("(pg/mL)")
    page.check('[name="rankl_unit"][value="ng/mL"]')
    assert page.text_content('label[for="f-rankl_upper"]').endswith("(ng/mL)")


# --- the wasm's download starts from the page, before the worker's script

RECORD_PAGE_FETCHES = """window.__pageFetches = [];
const pageFetch = window.fetch;
window.fetch = (resource, ...rest) => { window.__pageFetches.push(String(resource.url || resource)); return pageFetch(resource, ...rest); };"""


def test_the_page_starts_the_wasm_download_and_hands_it_to_the_worker(watched_page, site_url):
    page = watched_page(viewport=PHONE, service_workers="block")
    page.add_init_script(RECORD_WORKER_MESSAGES)
    page.add_init_script(RECORD_PAGE_FETCHES)
    wasm_requests = []
    page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm.gz") and wasm_requests.append(r.url))
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    assert [u for u in page.evaluate("window.__pageFetches") if u.endswith("pyodide.asm.wasm.gz")]
    assert page.evaluate("window.__sentToWorker").count("wasm") == 1
    assert len(wasm_requests) == 1  # downloaded once, by the page, not again by the worker
    fill(page, {"age": "61", "sex": "male"})
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess({"age": "61", "sex": "male"}))
    assert page.problems == []


# --- calc version 3 on the page: typed units, part messages, its own notes and summary lines

def test_a_unit_typed_after_the_number_is_read_and_the_unit_control_shows_it(watched_page, site_url):
    page = watched_page(viewport=PHONE, service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "62", "sex": "female", "height": "163", "height_unit": "cm"})
    for key, text in (("weight", "152 lb"), ("vitamin_d", "45 nmol/L")):
        page.click(f'[name="{key}"]')
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    assert settle(page) == "ready"
    typed = {"age": "62", "sex": "female", "height": "163", "height_unit": "cm", "weight": "152 lb",
             "vitamin_d": "45 nmol/L"}
    result = calc.assess(typed)
    assert result["display"]["units"]["weight"] == "lb" and result["display"]["units"]["vitamin_d"] == "nmol/L"
    assert_same_json(shown_result(page), result)
    page.wait_for_selector('[name="weight_unit"][value="lb"]:checked')
    assert page.is_checked('[name="vitamin_d_unit"][value="nmol/L"]')
    assert page.input_value('[name="vitamin_d"]') == "45 nmol/L"  # the reader's text is left as typed
    assert page.problems == []


def test_a_unit_calc_cannot_use_gets_calcs_one_message_on_the_value(watched_page, site_url):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "50", "rankl": "0.45 pmol/L"})
    assert settle(page) == "invalid"
    errors = errors_of({"age": "50", "rankl": "0.45 pmol/L"})
    assert [e["field"] for e in errors] == ["rankl"]
    assert page.text_content("#f-rankl-error") == errors[0]["message"]
    assert not page.is_visible("#f-rankl_unit-error")
    help_text = page.text_content("#f-rankl-help")
    assert help_text == calc.FIELDS_BY_KEY["rankl"].help


@pytest.mark.parametrize("key", ["rankl", "tnf_alpha", "il6", "vitamin_d", "crp"])
def test_each_lab_fields_help_says_what_to_do_with_a_unit_not_offered(watched_page, site_url, key):
    page = watched_page(service_workers="block")
    open_calculator(page, site_url)
    shown = page.text_content(f"#f-{key}-help")
    assert shown == calc.FIELDS_BY_KEY[key].help and "unit not offered" in shown


@pytest.mark.parametrize("key, unit, big, small", [("height", "ft_in", "5.5", "3"), ("height", "ft_in", "5", "12"),
                                                    ("weight", "st_lb", "9", "15"), ("weight", "st_lb", "9.5", "2")])
def test_the_feet_and_stones_boxes_show_calcs_message_for_the_part(watched_page, site_url, key, unit, big, small):
    page = watched_page(viewport={"width": 360, "height": 780}, service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "70"})
    page.check(f'[name="{key}_unit"][value="{unit}"]')
    box = page.locator(f'[data-field="{key}"] .compound[data-compound="{unit}"]')
    box.locator("[data-part=big]").click()
    page.keyboard.type(big)
    page.keyboard.press("Tab")
    page.keyboard.type(small)
    page.keyboard.press("Tab")
    assert settle(page) == "invalid"
    mark = {"ft_in": "ft", "st_lb": "st"}[unit]
    errors = errors_of({"age": "70", key: f"{big} {mark} {small}", f"{key}_unit": unit})
    assert page.text_content(f"#f-{key}-error") == errors[0]["message"]
    part = {"ft_in": ("feet", "inches"), "st_lb": ("stones", "pounds")}[unit]
    assert any(word in errors[0]["message"] for word in part)  # calc names the part


# --- the four readers of issue 19, each at their own size, checked against calc.assess

def check_v3_reading(page, result, restored=False):
    """What is shown, and in what order, is what calc.assess says."""
    shown = result["display"]
    if restored:  # the live region leads with what the link restored, then calc's summary
        assert page.text_content("#calc-status").endswith(shown["summary"])
    else:
        check_reads_as_calc_says(page, result)
    assert visible_blocks(page) == expected_blocks(result)
    notes = page.eval_on_selector_all("#qfracture-notes li", "els => els.map(e => [e.dataset.code, e.textContent])")
    if shown["headline"]:
        assert notes == [[n["code"], n["text"]] for n in result["notes"] if n["code"].startswith("qfracture_")]
    next_steps = page.eval_on_selector_all("#next-list li", "els => els.map(e => [e.dataset.code, e.textContent])")
    guideline = [[r["code"], r["text"]] for r in result["recommendations"] if r["code"] in calc.view.NEXT_STEPS]
    assert next_steps == guideline
    assert [[r["code"], r["text"]] for r in result["recommendations"][:len(guideline)]] == guideline  # first
    # the pinned line (a narrow screen, the form in view) is calc's short line exactly;
    # side by side, the results themselves stay in view instead
    assert page.text_content("#pinned-text") == shown["short"]
    if page.viewport_size["width"] < 1100:
        page.locator('[name="age"]').scroll_into_view_if_needed()
        page.locator("#pinned").wait_for(state="visible")


def tap_type(page, selector, text):
    page.tap(selector)
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # the phone keyboard's "next"


def test_reader_a_us_woman_on_a_360_phone_with_us_units(watched_page, site_url):
    page = watched_page(viewport={"width": 360, "height": 780}, has_touch=True, is_mobile=True,
                        device_scale_factor=2, service_workers="block")
    open_calculator(page, site_url)
    fill(page, {"age": "64", "sex": "female", "menopause": "yes", "height": "5 ft 4", "height_unit": "ft_in",
                "ethnicity": "black_african", "parent_history": "yes", "smoking": "non", "alcohol": "1to2",
                "exercise_minutes": "60", "crp_unit": "mg/dL"})
    tap_type(page, '[name="weight"]', "152 lb")  # typed as the report and the scale say
    tap_type(page, '[name="vitamin_d"]', "18 ng/mL")
    tap_type(page, '[name="crp"]', "0.4")
    assert settle(page) == "ready"
    answers = {"age": "64", "sex": "female", "menopause": "yes", "height": "5 ft 4", "height_unit": "ft_in",
               "weight": "152 lb", "ethnicity": "black_african", "parent_history": "yes", "smoking": "non",
               "alcohol": "1to2", "exercise_minutes": "60", "vitamin_d": "18 ng/mL", "crp": "0.4", "crp_unit": "mg/dL"}
    result = calc.assess(answers)
    assert_same_json(shown_result(page), result)
    check_v3_reading(page, result)
    assert page.is_checked('[name="weight_unit"][value="lb"]') and page.is_checked('[name="vitamin_d_unit"][value="ng/mL"]')
    assert page.problems == []


def test_reader_b_a_man_of_79_in_leeds_by_keyboard_alone(watched_page, site_url):
    page = watched_page(viewport={"width": 1366, "height": 768}, service_workers="block")
    open_calculator(page, site_url)
    tab_to(page, '[name="age"]')
    page.keyboard.type("79")
    tab_to(page, '[name="sex"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # male
    tab_to(page, '[name="height_unit"]')
    page.keyboard.press("Space")  # cm
    page.keyboard.press("ArrowRight")  # inches
    page.keyboard.press("ArrowRight")  # feet and inches
    tab_to(page, '[data-field="height"] [data-part=big]')
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("9")
    tab_to(page, '[name="weight_unit"]')
    page.keyboard.press("Space")  # kg
    page.keyboard.press("ArrowRight")  # pounds
    page.keyboard.press("ArrowRight")  # stones and pounds
    tab_to(page, '[data-field="weight"] [data-part=big]')
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    tab_to(page, '[name="prior_fracture"]')
    page.keyboard.press("Space")  # yes
    tab_to(page, '[name="falls"]')
    page.keyboard.press("Space")  # yes
    tab_to(page, '[name="smoking"]')
    page.keyboard.press("ArrowDown")  # never smoked
    page.keyboard.press("ArrowDown")  # used to smoke
    tab_to(page, "#result-title")
    assert settle(page) == "ready"
    answers = {"age": "79", "sex": "male", "height": "5 ft 9", "height_unit": "ft_in", "weight": "11 st 2",
               "weight_unit": "st_lb", "prior_fracture": "yes", "falls": "yes", "smoking": "ex"}
    result = calc.assess(answers)
    assert_same_json(shown_result(page), result)
    assert "fracture_followup" in [r["code"] for r in result["recommendations"]]
    check_v3_reading(page, result)
    assert page.problems == []


def test_reader_c_a_lab_scientist_on_an_ipad_in_dark_mode(watched_page, site_url):
    page = watched_page(viewport={"width": 768, "height": 1024}, has_touch=True, color_scheme="dark",
                        service_workers="block")
    open_calculator(page, site_url)
    answers = {"age": "47", "sex": "female", "menopause": "no", "height": "168", "height_unit": "cm", "weight": "61",
               "weight_unit": "kg", "exercise_minutes": "200", "rankl": "520", "rankl_unit": "pg/mL",
               "rankl_upper": "300", "il6": "7.5", "il6_upper": "4.4", "crp": "<1", "crp_unit": "mg/L",
               "vitamin_d": "68", "vitamin_d_unit": "nmol/L"}
    fill(page, answers)
    tap_type(page, '[name="tnf_alpha"]', "12 ng/L")  # the panel reports TNF-alpha in ng/L
    answers["tnf_alpha"] = "12 ng/L"
    assert settle(page) == "ready"
    result = calc.assess(answers)
    assert_same_json(shown_result(page), result)
    check_v3_reading(page, result)
    assert page.text_content('label[for="f-rankl_upper"]').endswith("(pg/mL)")
    assert page.problems == []


def test_reader_d_the_recipient_of_a_shared_link_on_a_phone(watched_page, site_url):
    page = watched_page(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="block")
    query = ("age=78&sex=female&menopause=early&height=5+ft+2&height_unit=ft_in&weight=8+st+10&weight_unit=st_lb"
             "&prior_fracture=yes&corticosteroids=yes&cancer=no&dementia=false&hrt=0&cancer_hormone_therapy=yes"
             "&care_home=yes&age=78")
    assert open_link(page, site_url, query) == "ready"
    banner = page.text_content("#link-banner")
    assert "shared link" in banner and "1 answer in it was left out" in banner
    assert any(n.startswith("Living in a care home") or "care home" in n.lower() for n in banner_notes(page))
    assert not any(page.is_checked(f'[name="{k}"]') for k in ("cancer", "dementia", "hrt"))
    usable = {"age": "78", "sex": "female", "menopause": "early", "height": "5 ft 2", "height_unit": "ft_in",
              "weight": "8 st 10", "weight_unit": "st_lb", "prior_fracture": "yes", "corticosteroids": "yes",
              "cancer_hormone_therapy": "yes"}
    result = calc.assess(usable)
    assert_same_json(shown_result(page), result)
    check_v3_reading(page, result, restored=True)
    assert page.problems == []


# --- leaving during "Saving the calculator..." and coming Back

def test_back_after_leaving_while_the_calculator_is_saved_keeps_the_page_and_its_answers(
        browser_type, browser_type_launch_args, built_site, serve, tmp_path):
    # The offline copy is held at the plain wasm (which only the copy asks for: the boot uses the
    # gzipped one) until the reader has left: on a quiet machine the copy can be done before a test
    # has finished typing, and the reader would never have left "while" it was saved.
    handler = stalling_handler("pyodide.asm.wasm")
    handler.armed.set()
    site_url = serve(built_site, handler=handler).url
    # Playwright turns the back/forward cache off; a reader's browser has it on
    context = browser_type.launch_persistent_context(str(tmp_path / "profile"), **browser_type_launch_args,
                                                     ignore_default_args=["--disable-back-forward-cache"])
    try:
        page = context.new_page()
        page.add_init_script("addEventListener('pageshow', (e) => { window.__fromCache = e.persisted; })")
        page.goto(site_url + ARTICLE)
        page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
        page.wait_for_selector("#offline-status[data-state=pages]", timeout=90_000)
        fill(page, {"age": "67", "sex": "female"})
        page.wait_for_selector("#offline-status[data-state=keeping]", timeout=60_000)
        assert handler.arrived.wait(60)  # the copy is under way, and waits for the plain wasm
        page.goto(site_url)  # away while the runtime is being saved
        # the page the reader went to says the copy is under way (it once offered to start one),
        # and hears when it is done (only the page that asked once did)
        page.wait_for_selector("#offline-status[data-state=keeping]", timeout=60_000)
        handler.release.set()
        page.wait_for_selector("#offline-status[data-state=ready]", timeout=180_000)
        page.go_back(wait_until="commit")
        page.wait_for_function("() => window.__fromCache !== undefined && document.querySelector('[name=age]')")
        assert page.evaluate("window.__fromCache") is True  # the same page, not a reload
        assert page.input_value('[name="age"]') == "67"
        assert page.get_attribute("#result", "data-status") == "ready"
        page.wait_for_selector("#offline-status[data-state=ready]", timeout=30_000)  # it asked again
    finally:
        context.close()
