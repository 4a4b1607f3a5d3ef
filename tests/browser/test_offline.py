"""Offline use through the service worker: load once, stop the server, and the
article and a live score still work; a rebuild takes over as a whole."""

import shutil

import pytest

import build
import calc
from serve import Restartable
from tests.browser.pagetools import ARTICLE, assert_same_json, fill, settle, shown_result, watch_console

pytestmark = pytest.mark.browser


def wait_offline_ready(page):
    page.wait_for_selector("#offline-status[data-state=ready]", timeout=90_000)
    page.wait_for_function("() => document.documentElement.dataset.swVersion", timeout=30_000)
    return page.evaluate("document.documentElement.dataset.swVersion")


def live_score(page, inputs):
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)
    fill(page, inputs)
    assert settle(page) == "ready"
    assert_same_json(shown_result(page), calc.assess(inputs))


def test_works_offline_after_one_visit(watched_page, tmp_path):
    site = tmp_path / "_site"
    build.build(site)
    server = Restartable(site)
    url = server.start()
    page = watched_page()
    page.goto(url + ARTICLE)
    wait_offline_ready(page)
    live_score(page, {"age": "64", "sex": "female"})

    server.stop()  # from here on, nothing answers on that port
    page.reload()
    assert page.is_visible("h1")
    live_score(page, {"age": "71", "sex": "male", "vitamin_d": "14", "vitamin_d_unit": "ng/mL"})

    second = page.context.new_page()
    problems = watch_console(second)
    second.goto(url + ARTICLE)
    live_score(second, {"age": "55", "crp": "4", "crp_unit": "mg/L"})
    second.goto(url)  # the index, and another article, also come from the cache
    assert "inflammation" in second.text_content("main").lower()
    second.goto(url + "rankl-opg-balance/")
    assert "OPG" in second.text_content("h1")
    assert problems == []


def test_a_new_build_takes_over_as_a_whole(watched_page, tmp_path, monkeypatch):
    site = tmp_path / "_site"
    content = tmp_path / "content"
    shutil.copytree(build.CONTENT, content)
    build.build(site, content=content)
    old_lock = (site / "inflammation-and-bone-loss" / "index.html").read_text().split('data-lock="')[1].split('"')[0]

    server = Restartable(site)
    url = server.start()
    page = watched_page()
    page.goto(url + ARTICLE)
    old_version = wait_offline_ready(page)
    server.stop()

    # A new build: changed words and a new calc wheel (so a new /calc/<hash>/ folder).
    article = content / "inflammation-and-bone-loss.md"
    article.write_text(article.read_text().replace("title: How inflammation drives bone loss",
                                                   "title: How inflammation drives bone loss (second edition)"))
    # calc's version is read from pyproject.toml, in one place
    monkeypatch.setattr(build.runtime, "project_version", lambda project: "2.0.1")
    build.build(site, content=content)
    new_lock = (site / "inflammation-and-bone-loss" / "index.html").read_text().split('data-lock="')[1].split('"')[0]
    assert new_lock != old_lock
    server.start()

    page.reload()  # still the old version, from the old cache; the browser finds the new one
    assert "second edition" not in page.text_content("h1")
    page.wait_for_selector("#offline-status[data-state=update]", timeout=90_000)
    with page.expect_navigation():
        page.click("#offline-update")
    new_version = wait_offline_ready(page)
    assert new_version != old_version
    assert "second edition" in page.text_content("h1")
    assert page.get_attribute("#calculator", "data-lock") == new_lock
    live_score(page, {"age": "80", "sex": "female", "prior_fracture": "yes"})

    caches = page.evaluate("caches.keys()")
    assert caches == [f"bone-calc-{new_version}"]
    cached = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)",
        f"bone-calc-{new_version}")
    wheels = [path for path in cached if path.endswith(".whl")]
    assert len(wheels) == 1 and wheels[0].startswith(new_lock.rsplit("/", 1)[0])
    assert not any(path.startswith(old_lock.rsplit("/", 1)[0]) for path in cached)
    server.stop()
