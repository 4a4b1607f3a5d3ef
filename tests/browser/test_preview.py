"""The writer's live preview (make serve): save a file, and the open page shows it."""

import queue
import re
import shutil
import subprocess
import sys
import threading

import pytest

import build

pytestmark = pytest.mark.browser
ARTICLE = "inflammation-and-bone-loss"
TITLE = "title: How inflammation drives bone loss"


@pytest.fixture
def preview(tmp_path):
    """The preview server on a free port, watching a copy of the articles."""
    content = tmp_path / "content"
    shutil.copytree(build.CONTENT, content)
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.preview", "--port", "0", "--content", str(content),
         "--out", str(tmp_path / "_preview")],
        cwd=build.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        url = None
        while url is None:
            line = lines.get(timeout=120)
            url = re.search(r"Preview on (http://\S+)", line) and re.search(r"http://\S+", line).group(0)
        yield url, content
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_edit_shows_in_the_open_page_and_a_build_error_shows_its_file_and_line(preview, watched_page):
    url, content = preview
    page = watched_page()
    page.goto(url + ARTICLE + "/")
    page.wait_for_selector("#result[data-status=empty]", timeout=60_000)  # the calculator runs in the preview
    assert page.get_attribute("script[src^='/__preview__/reload.js']", "src")

    article = content / f"{ARTICLE}.md"
    original = article.read_text()
    article.write_text(original.replace(TITLE, "title: Edited while the page was open"))
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Edited while the page was open'",
                           timeout=30_000)

    line = 1 + original.splitlines().index(next(l for l in original.splitlines() if l.startswith("date:")))
    article.write_text(re.sub(r"(?m)^date: .*$", "date: someday", original))
    page.wait_for_selector("#build-error", timeout=30_000)
    assert page.text_content("#build-error").startswith(f"{article}:{line}: 'date' must be a date")

    article.write_text(original)
    page.wait_for_selector("#calculator", timeout=30_000)
    assert page.text_content("h1") == TITLE.removeprefix("title: ")
    # the failed build's page came with HTTP 500, which the console reports; nothing else
    assert all("500" in problem for problem in page.problems), page.problems
