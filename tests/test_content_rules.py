"""The writer's side: the README's own example builds, and `make check-content`
(an opt-in editor's check, not a build rule) finds unfinished pages."""

import re
import shutil
import subprocess
import sys

import build

README = build.ROOT / "README.md"


def readme_example():
    """(file name, Markdown) of the README's 'drop a Markdown file' example."""
    text = README.read_text()
    section = text[text.index("## Writing an article"):]
    name = re.search(r"for example `content/([a-z0-9-]+\.md)`", section).group(1)
    markdown = re.search(r"```markdown\n(.*?)```", section, re.S).group(1)
    return name, markdown


def test_the_readme_example_builds_into_page_index_sitemap_and_feed(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(build.CONTENT, content)
    name, markdown = readme_example()
    (content / name).write_text(markdown)
    pages = build.build(tmp_path / "out", content=content, bundle=False)
    slug = name.removesuffix(".md")
    page = next(p for p in pages if p.slug == slug)
    html = (tmp_path / "out" / slug / "index.html").read_text()
    assert page.meta["title"] in html and "<strong>bold</strong>" in html and 'class="footnote"' in html
    # its relative link resolves to an article of the real series
    link = re.search(r'<a href="(\.\./[a-z0-9-]+/)">links</a>', html).group(1)
    assert (tmp_path / "out" / slug / link / "index.html").resolve().is_file()
    for listing in ("index.html", "sitemap.xml", "feed.xml"):
        assert f"{slug}/" in (tmp_path / "out" / listing).read_text(), listing


def check_content(folder):
    return subprocess.run([sys.executable, "-m", "scripts.check_content", str(folder)], cwd=build.ROOT,
                          capture_output=True, text=True)


FINISHED = """---
title: Finished
description: A page that meets the standard.
date: 2026-01-02
---

{words}

## References

""" + "".join(f"{n}. A study. https://doi.org/10.1000/{n}\n" for n in range(1, 5))


def test_check_content_passes_finished_articles(tmp_path):
    (tmp_path / "finished.md").write_text(FINISHED.format(words="word " * 600))
    done = check_content(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "all 1 pages are finished" in done.stdout


def test_check_content_names_an_unfinished_page_and_what_it_lacks(tmp_path):
    name, markdown = readme_example()
    (tmp_path / "finished.md").write_text(FINISHED.format(words="word " * 600))
    (tmp_path / name).write_text(markdown + "\nA stray [[marker]] in the text.\n")
    done = check_content(tmp_path)
    assert done.returncode == 1
    complaints = [line for line in done.stderr.splitlines() if line.startswith(str(tmp_path / name))]
    assert len(complaints) == 4, done.stderr
    assert re.search(r": \d+ words, fewer than 600$", complaints[0])
    assert complaints[1].endswith(": no References section")
    assert complaints[2].endswith(": 0 DOI links, fewer than 4")
    assert complaints[3].endswith(": a marker left in the text: [[marker]]")
    assert len(done.stderr.splitlines()) == 4  # the finished page has no complaint
