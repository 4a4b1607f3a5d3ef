"""The writer's side: the README's own example builds, and `make check-content`
(an opt-in editor's check, not a build rule) finds unfinished pages."""

import re
import shutil
import subprocess
import sys

import build

README = build.ROOT / "README.md"
CHECK = build.ROOT / "scripts" / "check_content.py"


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


def check_content(folder, claims):
    """Run the editor's check on `folder` against the claims register `claims`."""
    return subprocess.run([sys.executable, str(CHECK), str(folder), "--claims", str(claims)],
                          capture_output=True, text=True)


def register(tmp_path, *dois):
    """A claims register, outside the content folder, that cites these DOIs."""
    path = tmp_path / "claims.md"
    path.write_text("# Register\n\n| where | source |\n|---|---|\n" + "".join(
        f"| x.md:1 | A study <https://doi.org/{doi}> |\n" for doi in dois))
    return path


FINISHED = """---
title: Finished
description: A page that meets the standard.
date: 2026-01-02
---

{words}

## References

""" + "".join(f"{n}. A study. https://doi.org/10.1000/{n}\n" for n in range(1, 5))


FINISHED_DOIS = [f"10.1000/{n}" for n in range(1, 5)]


def test_check_content_passes_finished_articles(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "finished.md").write_text(FINISHED.format(words="word " * 600))
    done = check_content(content, register(tmp_path, *FINISHED_DOIS))
    assert done.returncode == 0, done.stderr
    assert "all 1 pages are finished" in done.stdout


def test_check_content_names_an_unfinished_page_and_what_it_lacks(tmp_path):
    name, markdown = readme_example()
    content = tmp_path / "content"
    content.mkdir()
    (content / "finished.md").write_text(FINISHED.format(words="word " * 600))
    (content / name).write_text(markdown + "\nA stray [[marker]] in the text.\n")
    done = check_content(content, register(tmp_path, *FINISHED_DOIS))
    assert done.returncode == 1
    complaints = [line for line in done.stderr.splitlines() if line.startswith(str(content / name))]
    assert len(complaints) == 4, done.stderr
    assert re.search(r": \d+ words, fewer than 600$", complaints[0])
    assert complaints[1].endswith(": no References section")
    assert complaints[2].endswith(": 0 DOI links, fewer than 4")
    assert complaints[3].endswith(": a marker left in the text: [[marker]]")
    assert len(done.stderr.splitlines()) == 4  # the finished page has no complaint


def test_check_content_names_a_cited_doi_missing_from_the_claims_register(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    # a finished page that also cites one DOI in its text and a fifth in its references
    page = FINISHED.format(words="word " * 600 + "\n\nAs shown before (doi 10.1000/TEXT.9).\n")
    page += "5. A missing study. https://doi.org/10.1000/5\n"
    (content / "finished.md").write_text(page)
    claims = register(tmp_path, *FINISHED_DOIS)
    done = check_content(content, claims)
    assert done.returncode == 1
    missing = sorted(line.rsplit(": ", 1)[1] for line in done.stderr.splitlines())
    # the DOI is read without the sentence's full stop and matched whatever its case
    assert missing == ["DOI 10.1000/5 is not in the claims register",
                       "DOI 10.1000/text.9 is not in the claims register"], done.stderr
    # once the register has a row for each, the page passes (case does not matter)
    claims.write_text(claims.read_text() + "| x.md:2 | <https://doi.org/10.1000/5> and 10.1000/Text.9 |\n")
    done = check_content(content, claims)
    assert done.returncode == 0, done.stderr


def test_check_content_says_so_when_the_claims_register_is_missing(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "finished.md").write_text(FINISHED.format(words="word " * 600))
    done = check_content(content, tmp_path / "no-such-register.md")
    assert done.returncode == 1
    assert "cannot read the claims register" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_doi_keeps_its_parentheses_but_not_the_sentence_around_it():
    sys.path.insert(0, str(CHECK.parent))
    import check_content as module
    text = ("(see https://doi.org/10.1016/S0140-6736(18)32112-3). Also "
            '<a href="https://doi.org/10.1038/nm.2448">10.1038/nm.2448</a>, and 10.1000/x;')
    assert module.dois(text) == ["10.1016/s0140-6736(18)32112-3", "10.1038/nm.2448", "10.1000/x"]


def test_every_doi_the_articles_cite_is_in_the_real_claims_register():
    done = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

