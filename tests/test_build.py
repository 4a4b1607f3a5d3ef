"""The build: front matter, templates, the form rendered from calc, the wheel and lock."""

import hashlib
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import markupsafe
import pytest

import build
import calc
from sitebuild import BuildError, articles, runtime, templates, website
from tests.helpers import golden_cases
from tests.htmlparse import parse

PAGE = """---
title: A page
description: About something.
date: 2026-01-02
{extra}---

Some *text*.
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


# --- front matter

@pytest.mark.parametrize("text, line, words", [
    ("# No front matter\n", 1, "must start with front matter"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\n", 1, "not closed"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-13-40\n---\n", 4, "'date' must be a date"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\ncolour: blue\n---\n", 5, "unknown front matter key 'colour'"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\norder: first\n---\n", 5, "'order' must be a whole number"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\ncalculator: maybe\n---\n", 5, "'calculator' must be true or false"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\njust words\n---\n", 5, "expected 'key: value'"),
    ("---\ndescription: B\ndate: 2026-01-02\n---\n", 1, "needs 'title'"),
    ("---\ntitle: A\ndescription: B\ndate: 2026-01-02\nslug: Not OK\n---\n", 5, "slug"),
    # a title the feed could not carry (XML allows no control characters)
    ("---\ntitle: A\x07B\ndescription: B\ndate: 2026-01-02\n---\n", 2, "control character (U+0007)"),
    ("---\ntitle: A\ndescription: B\x1b[1m\ndate: 2026-01-02\n---\n", 3, "control character (U+001B)"),
    # a form feed is not a line break: the lines after it keep their numbers
    ("---\n# a\fcomment\ntitle: A\ndescription: B\ndate: 2026-13-40\n---\n", 5, "'date' must be a date"),
])
def test_front_matter_errors_name_the_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(BuildError) as caught:
        articles.read_page(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


@pytest.mark.parametrize("slug", articles.RESERVED_SLUGS)
def test_a_slug_that_is_one_of_the_sites_own_folders_is_refused(tmp_path, slug):
    assert set(articles.RESERVED_SLUGS) == {"static", "pyodide", "calc", "snapshot"}
    path = write(tmp_path, "page.md", PAGE.format(extra=f"slug: {slug}\n"))
    with pytest.raises(BuildError, match=rf"^{path}:5: slug '{slug}' is the name of the site's own folder"):
        articles.read_page(path)
    named = write(tmp_path, f"{slug}.md", PAGE.format(extra=""))  # the slug from the file's name
    with pytest.raises(BuildError, match=rf"^{named}:1: slug '{slug}'"):
        articles.read_page(named)


def test_an_article_that_is_not_utf_8_names_its_file_and_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(PAGE.format(extra="").encode() + "\nCaf\u00e9 au lait.\n".encode("latin-1"))
    with pytest.raises(BuildError) as caught:
        articles.read_page(path)
    assert str(caught.value) == f"{path}:9: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_a_byte_order_mark_is_not_part_of_the_front_matter(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + PAGE.format(extra="").encode())
    page = articles.read_page(path)
    assert page.meta["title"] == "A page" and "<em>text</em>" in page.body


def test_a_form_feed_in_the_text_does_not_shift_the_line_of_an_error(tmp_path):
    path = write(tmp_path, "ff.md", PAGE.format(extra="") + "\nOne\fpage.\n\n[click](javascript:alert(1))\n")
    with pytest.raises(BuildError) as caught:
        articles.read_page(path)
    assert str(caught.value).startswith(f"{path}:11: ")  # counted with "\n" alone


def test_front_matter_values(tmp_path):
    path = write(tmp_path, "ok.md", PAGE.format(extra='order: 3\ncalculator: true\nslug: "my-page"\n'))
    page = articles.read_page(path)
    assert page.meta["title"] == "A page" and page.meta["order"] == 3 and page.meta["calculator"] is True
    assert page.meta["date"].isoformat() == "2026-01-02"
    assert page.slug == "my-page" and page.url == "my-page/"
    assert "<em>text</em>" in page.body


def test_duplicate_slugs_are_an_error(tmp_path):
    write(tmp_path, "a.md", PAGE.format(extra="slug: same\n"))
    write(tmp_path, "b.md", PAGE.format(extra="slug: same\n"))
    with pytest.raises(BuildError, match="slug 'same' is also used"):
        build.read_pages(tmp_path)


def test_the_cli_reports_a_build_error_and_fails(tmp_path, capsys):
    content = tmp_path / "content"
    content.mkdir()
    write(content, "bad.md", "no front matter")
    assert build.main(["--out", str(tmp_path / "out"), "--content", str(content)]) == 1
    assert f"{content / 'bad.md'}:1:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing half-built


def test_a_missing_template_names_the_file(tmp_path):
    env = build.make_env(build.load_settings())
    with pytest.raises(BuildError, match=r"templates/nope\.html: template not found"):
        templates.render(env, "nope.html", tmp_path / "x.html")


def test_raw_html_is_escaped_unless_the_page_allows_it(tmp_path):
    body = "\n<script>alert(1)</script>\n\nText with <b>bold</b>.\n"
    plain = articles.read_page(write(tmp_path, "a.md", PAGE.format(extra="") + body))
    assert "<script>" not in plain.body and "&lt;script&gt;" in plain.body
    assert "<b>" not in plain.body
    allowed = articles.read_page(write(tmp_path, "b.md", PAGE.format(extra="raw_html: true\n") + body))
    assert "<b>bold</b>" in allowed.body


# --- Markdown that cannot carry script

UNSAFE = {
    "onclick": ('A paragraph.\n{: onclick="alert(1)" }\n', "attribute 'onclick' is not allowed"),
    "style": ("## Heading {: style=\"color:red\" }\n", "attribute 'style' is not allowed"),
    "href-on-heading": ("## Heading {: href=javascript:alert(1) }\n", "attribute 'href' is not allowed"),
    "inline": ("Some *text*{: onmouseover=alert(1) } here.\n", "attribute 'onmouseover' is not allowed"),
    "link": ("[click](javascript:alert(1))\n", "a link to a 'javascript:' URL"),
    "link-upper-case": ("[click](JaVaScRiPt:alert(1))\n", "a link to a 'javascript:' URL"),
    "link-entity": ("[click](&#106;avascript:alert(1))\n", "a link to a 'javascript:' URL"),
    "link-leading-space": ("[click](<  javascript:alert(1)>)\n", "a link to a 'javascript:' URL"),
    "image": ("![x](javascript:alert(1))\n", "an image to a 'javascript:' URL"),
    "image-data": ("![x](data:image/svg+xml;base64,PHN2Zz4=)\n", "an image to a 'data:' URL"),
    "reference": ("[click][r]\n\n[r]: vbscript:msgbox(1)\n", "a link to a 'vbscript:' URL"),
}


@pytest.mark.parametrize("markdown, words", UNSAFE.values(), ids=UNSAFE.keys())
def test_markdown_that_could_carry_script_is_a_build_error(tmp_path, markdown, words):
    path = write(tmp_path, "bad.md", PAGE.format(extra="") + "\n" + markdown)
    with pytest.raises(BuildError) as caught:
        articles.read_page(path)
    # in every case the offending text is on the file's last line
    last_line = len(path.read_text().rstrip("\n").splitlines())
    assert str(caught.value).startswith(f"{path}:{last_line}: ")
    assert words in str(caught.value)


def test_markdown_may_set_ids_and_classes_and_link_safely(tmp_path):
    body = ("## Heading {: #my-id .note }\n\nA paragraph.\n{: .wide #para }\n\n"
            "[a](https://doi.org/10.1/x) [b](../other-page/) [c](mailto:me@example.org) [d](#notes) "
            "[e](http://example.org/) <https://example.org/> <me@example.org> ![f](../static/favicon.svg)\n\n"
            "Text[^1]\n\n[^1]: A footnote.\n")
    page = articles.read_page(write(tmp_path, "ok.md", PAGE.format(extra="") + body))
    assert '<h2 class="note" id="my-id">' in page.body and '<p class="wide" id="para">' in page.body
    assert 'href="https://doi.org/10.1/x"' in page.body and 'src="../static/favicon.svg"' in page.body


# --- ids that cannot clash: the calculator's ids count

CLASHES = {  # Markdown, the id, the line named in the error
    "heading-result": ("## Result\n\nWhat the numbers mean.\n", "result", "## Result"),
    "heading-notes": ("Notes\n-----\n\nA setext heading.\n", "notes", "Notes"),
    "explicit-id": ("A paragraph.\n{: #calculator }\n", "calculator", "{: #calculator }"),
    "twice-in-the-article": ("## One {: #same }\n\n## Two {: #same }\n", "same", "## One {: #same }"),
}


@pytest.mark.parametrize("markdown, name, where", CLASHES.values(), ids=CLASHES.keys())
def test_an_id_used_twice_in_a_page_is_a_build_error(tmp_path, markdown, name, where):
    content = tmp_path / "content"
    content.mkdir()
    text = PAGE.format(extra="") + "\n" + markdown + "\n[[calculator]]\n"
    path = write(content, "page.md", text)
    line = 1 + text.splitlines().index(where)
    with pytest.raises(BuildError) as caught:
        build.build(tmp_path / "out", content=content, bundle=False)
    assert str(caught.value).startswith(f"{path}:{line}: the id '{name}' is used more than once")
    assert not (tmp_path / "out").exists()


def test_headings_that_clash_with_nothing_are_fine(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write(content, "page.md", PAGE.format(extra="") + "\n## Results and notes\n\n[[calculator]]\n")
    build.build(tmp_path / "out", content=content, bundle=False)
    assert 'id="results-and-notes"' in (tmp_path / "out" / "page" / "index.html").read_text()


def test_a_template_that_repeats_an_id_is_named(tmp_path):
    env = build.make_env(build.load_settings())
    with pytest.raises(BuildError, match=r"templates/index\.html: the id 'x' is used more than once"):
        website.check_ids(env, "index.html", '<p id="x"></p><div id="x"></div>')


def test_front_matter_values_are_escaped(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write(content, "x.md", PAGE.replace("title: A page", 'title: Bones <script>alert(1)</script>').format(extra=""))
    build.build(tmp_path / "out", content=content, bundle=False)
    html = (tmp_path / "out" / "x" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "Bones &lt;script&gt;" in html


# --- whole builds

def test_a_page_without_the_calculator(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write(content, "plain.md", PAGE.format(extra=""))
    write(content, "with-calc.md", PAGE.format(extra="calculator: true\n") + "\n[[calculator]]\n\nAfter.\n")
    build.build(tmp_path / "out", content=content, bundle=False)
    plain = (tmp_path / "out" / "plain" / "index.html").read_text()
    assert 'id="calculator"' not in plain and "calculator.js" not in plain
    with_calc = (tmp_path / "out" / "with-calc" / "index.html").read_text()
    assert 'id="calculator"' in with_calc and "calculator.js" in with_calc
    assert "[[calculator]]" not in with_calc
    assert with_calc.index('id="calculator"') < with_calc.index("After.")


def test_the_form_is_rendered_from_calcs_field_table(built_site):
    page = parse(built_site / "inflammation-and-bone-loss" / "index.html")
    assert set(page.form_names) == {f.key for f in calc.FIELDS}
    for f in calc.FIELDS:
        if f.kind == "choice":
            rendered = {v for name, v in page.form_values if name in (f.key, "option")}
            assert {v for v, _ in f.choices} <= rendered, f.key
        assert f"f-{f.key}-error" in page.ids, f.key
    html = (built_site / "inflammation-and-bone-loss" / "index.html").read_text()
    for f in calc.FIELDS:
        assert str(markupsafe.escape(f.help)) in html, f.key
    for factor in calc.FACTORS:
        assert f'data-factor="{factor.key}"' in html


def test_the_page_loads_nothing_from_other_origins(built_site):
    base_url = build.load_settings()["base_url"]
    for html in built_site.rglob("*.html"):
        links = parse(html)
        for src in links.attribute("src"):
            if html == built_site / "embed" / "snippet.html":
                # not a page of the site: what a writer pastes into another site names this one in full
                assert src.startswith(base_url), (html, src)
                continue
            assert not re.match(r"(https?:)?//", src), (html, src)
        for tag, rel, href in links.hrefs:
            # <link>s that make the browser fetch something (canonical and
            # alternate are metadata, not requests)
            if tag == "link" and rel in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
                assert not re.match(r"(https?:)?//", href), (html, href)
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text())
    for js in (built_site / "static").rglob("*.js"):
        assert not re.search(r"""(import|fetch)\s*\(?\s*['"](https?:)?//""", js.read_text())


# --- the calc wheel and its lock entry

def build_wheel(project=build.ROOT):
    return runtime.build_wheel(project)


def test_the_wheel_is_reproducible_and_registered_by_its_sha256(built_site, tmp_path):
    name, first = build_wheel()
    assert name == f"calc-{calc.__version__}-py3-none-any.whl"
    # another checkout, elsewhere, written later, under another umask: the same bytes
    other = tmp_path / "checkout"
    shutil.copytree(build.ROOT / "calc", other / "calc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(build.ROOT / "pyproject.toml", other / "pyproject.toml")
    shutil.copyfile(build.ROOT / "constraints.txt", other / "constraints.txt")
    for path in other.rglob("*"):
        path.chmod(0o775 if path.is_dir() else 0o664)
        os.utime(path, (2_000_000_000, 2_000_000_000))
    # and what the wheel does not carry may change: a description, a test dependency
    pyproject = other / "pyproject.toml"
    text = pyproject.read_text()
    edited = re.sub(r'^description = ".*"$', 'description = "Something else."', text, count=1, flags=re.M)
    edited = edited.replace('"pytest>=8"', '"pytest>=99"')
    assert edited.count("Something else.") == 1 and '"pytest>=99"' in edited
    pyproject.write_text(edited)
    umask = os.umask(0o002)
    try:
        assert build_wheel(other)[1] == first
    finally:
        os.umask(umask)
    assert not (other / "build").exists() and not list(other.glob("*.egg-info"))  # nothing written there
    # a new version is a new wheel
    pyproject.write_text(re.sub(r'^version = "[^"]*"', 'version = "99.0.0"', edited, count=1, flags=re.M))
    name, data = build_wheel(other)
    assert name == "calc-99.0.0-py3-none-any.whl" and data != first

    locks = list((built_site / "calc").glob("*/pyodide-lock.json"))
    assert len(locks) == 1
    lock = json.loads(locks[0].read_text())
    entry = lock["packages"]["calc"]
    served = (locks[0].parent / entry["file_name"]).read_bytes()
    assert served == first
    assert entry["sha256"] == hashlib.sha256(served).hexdigest()
    assert entry["imports"] == ["calc"] and entry["install_dir"] == "site"
    assert set(lock["packages"]) == {"calc"}
    upstream = json.loads((build.PYODIDE_NPM / "pyodide-lock.json").read_text())
    assert lock["info"] == upstream["info"]


def test_the_wheel_is_built_only_with_the_pinned_setuptools(tmp_path):
    # the builder's version is written into the wheel, so another one would give other bytes
    other = tmp_path / "checkout"
    shutil.copytree(build.ROOT / "calc", other / "calc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(build.ROOT / "pyproject.toml", other / "pyproject.toml")
    (other / "constraints.txt").write_text("Jinja2==3.1.6\nsetuptools==1.0.0\n")
    with pytest.raises(BuildError, match=r"setuptools 1\.0\.0 \(constraints.txt\).* has \d"):
        build_wheel(other)


@pytest.fixture(scope="module")
def wheel():
    """calc's wheel from the checkout, built once for the tests that read it."""
    return build_wheel()[1]


def test_the_wheel_carries_the_package_and_the_licence(wheel):
    data = wheel
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    dist_info = f"calc-{calc.__version__}.dist-info"
    for required in ("calc/__init__.py", "calc/qfracture/__init__.py", "calc/qfracture/coefficients.json",
                     "calc/qfracture/COPYING", "calc/qfracture/COPYING.LESSER", "calc/qfracture/Readme.txt",
                     f"{dist_info}/METADATA", f"{dist_info}/RECORD"):
        assert required in names
    assert not any("__pycache__" in n for n in names)
    metadata = zipfile.ZipFile(io.BytesIO(data)).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT AND LGPL-3.0-or-later" in metadata
    # no README in it: every reader downloads the wheel, and a README edit must not move calc's address
    assert "Description-Content-Type" not in metadata and len(metadata) < 2000


def test_the_wheel_holds_every_file_of_the_package(wheel):
    """pip builds the wheel from pyproject.toml's package list and package-data:
    a file added to calc/ but not declared there would be missing from it, and
    the browser would fail where the tests pass."""
    data = wheel
    in_wheel = {n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if not n.startswith("calc-")}
    package = build.ROOT / "calc"
    on_disk = {p.relative_to(build.ROOT).as_posix() for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert in_wheel == on_disk


def test_the_runtime_is_copied_under_its_version_and_hash(built_site):
    version = json.loads((build.PYODIDE_NPM / "package.json").read_text())["version"]
    [folder] = (built_site / "pyodide").iterdir()
    assert folder.name.startswith(version + "-")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*runtime.RUNTIME_FILES, runtime.GZIPPED_WASM])
    for name in runtime.RUNTIME_FILES:
        assert (folder / name).read_bytes() == (build.PYODIDE_NPM / name).read_bytes()
    wasm = (build.PYODIDE_NPM / "pyodide.asm.wasm").read_bytes()
    assert gzip.decompress((folder / runtime.GZIPPED_WASM).read_bytes()) == wasm


def test_the_trimmed_standard_library_holds_what_calc_imports_and_little_else(built_site):
    full = zipfile.ZipFile(build.PYODIDE_NPM / "python_stdlib.zip")
    (lock,) = built_site.glob("calc/*/pyodide-lock.json")
    trimmed = zipfile.ZipFile(lock.parent / "python_stdlib.zip")
    modules = {n[:-1] for n in trimmed.namelist() if n.endswith(".pyc")}  # compiled by the runtime itself
    folders = {n for n in trimmed.namelist() if n.endswith("/")}
    assert set(trimmed.namelist()) == {n + "c" for n in modules} | folders
    assert modules < set(full.namelist())
    for module in ("json/__init__.py", "dataclasses.py", "encodings/utf_8.py", "pyodide/_package_loader.py"):
        assert module in modules
    for unused in ("pydoc.py", "sqlite3/__init__.py", "unittest/__init__.py", "xml/dom/minidom.py"):
        assert unused not in modules


# Imports calc, runs calc.assess_json on each input of a JSON list (argv[1]), and prints
# the modules imported on the way: run in a fresh interpreter, so nothing else is loaded.
MODULES_REACHED = """
import json, sys
import calc
for inputs in json.load(open(sys.argv[1])):
    calc.assess_json(json.dumps(inputs))
calc.assess_json("{not json")
print(json.dumps(sorted(sys.modules)))
"""


def modules_reached(inputs, tmp_path):
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(inputs))
    done = subprocess.run([sys.executable, "-c", MODULES_REACHED, str(path)], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stdout))


def test_the_snapshot_trace_reaches_every_module_the_golden_cases_reach(tmp_path):
    # The trimmed stdlib keeps what the trace's own inputs reach (sitebuild/trace_inputs.json); a
    # golden case that reached a module they do not would fail only in the browser.
    golden = modules_reached([case["input"] for case in golden_cases()], tmp_path)
    traced = modules_reached(runtime.trace_inputs(), tmp_path)
    assert "json" in golden and golden <= traced, sorted(golden - traced)


def test_pages_can_be_built_without_the_runtime_bundle(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write(content, "article.md", PAGE.format(extra="calculator: true\n"))
    build.build(tmp_path / "out", content=content, bundle=False)
    assert not any((tmp_path / "out" / folder).exists() for folder in ("pyodide", "calc", "snapshot"))
    assert 'id="calculator"' in (tmp_path / "out" / "article" / "index.html").read_text()
