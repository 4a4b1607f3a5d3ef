#!/usr/bin/env python3
"""Build the static site into _site/.

The recipe, top to bottom:
  1. read the settings (site/settings.toml)
  2. read every content/*.md: front matter + Markdown
  3. copy site/static/ and the pinned Pyodide runtime (node_modules/pyodide)
  4. build the calc wheel and a pyodide-lock.json that registers it by sha256
  5. render each page, the index, the sitemap and the feed through site/templates/

    python build.py [--out DIR] [--base-url URL]
"""

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown

import calc
from calc import score as calc_score
from calc.text import fmt

ROOT = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
SITE = ROOT / "site"
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
# The runtime files a browser needs; nothing else from the npm package is served.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
WORDS_PER_MINUTE = 220
FRONT_MATTER = {  # key: (required, parser)
    "title": (True, str),
    "description": (True, str),
    "date": (True, "date"),
    "slug": (False, str),
    "order": (False, int),
    "calculator": (False, "bool"),
    "updated": (False, "date"),
    "raw_html": (False, "bool"),
}
# A paragraph holding only [[name]] is replaced by the template partials/name.html.
INCLUDE = re.compile(r"<p>\[\[([a-z][a-z0-9-]*)\]\]</p>")
INCLUDES = ("calculator", "points-table", "qfracture-notice")
TOC_MIN_WORDS = 1200  # pages at least this long get a table of contents


class BuildError(Exception):
    """A problem in the sources, reported as 'file:line: what is wrong'."""


# --- 1. settings

def load_settings(base_url=None):
    path = SITE / "settings.toml"
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"{path}: {error}") from None
    if base_url is not None:
        settings["base_url"] = base_url
    settings["base_url"] = settings.get("base_url", "").rstrip("/") + "/"
    # The path part ("/project/" on a GitHub Pages project site) prefixes every link.
    settings["base_path"] = "/" + settings["base_url"].split("://", 1)[-1].partition("/")[2]
    return settings


# --- 2. content

@dataclass
class Page:
    source: Path
    meta: dict
    body: str  # rendered HTML
    toc: str
    toc_tokens: list
    words: int
    segments: list = field(default_factory=list)  # ("html", text) or ("include", name)
    slug: str = ""
    url: str = ""
    previous: "Page | None" = None
    next: "Page | None" = None
    extra: dict = field(default_factory=dict)

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def _parse_value(path, line_no, key, text, kind):
    where = f"{path}:{line_no}"
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise BuildError(f"{where}: '{key}' must be a date like 2026-11-21, not {text!r}") from None
    if kind == "bool":
        if text.lower() in ("true", "yes"):
            return True
        if text.lower() in ("false", "no"):
            return False
        raise BuildError(f"{where}: '{key}' must be true or false, not {text!r}")
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise BuildError(f"{where}: '{key}' must be a whole number, not {text!r}") from None
    return text


def split_front_matter(path, text):
    """({key: value}, markdown body) from a file that starts with a --- block."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise BuildError(f"{path}:1: a page must start with front matter between '---' lines")
    meta = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            body = "\n".join(lines[number:])
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or not key:
            raise BuildError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        if key not in FRONT_MATTER:
            known = ", ".join(FRONT_MATTER)
            raise BuildError(f"{path}:{number}: unknown front matter key '{key}' (known: {known})")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[key] = _parse_value(path, number, key, value, FRONT_MATTER[key][1])
    else:
        raise BuildError(f"{path}:1: front matter is not closed with a '---' line")
    for key, (required, _) in FRONT_MATTER.items():
        if required and key not in meta:
            raise BuildError(f"{path}:1: front matter needs '{key}'")
    return meta, body


def render_markdown(text, allow_html):
    md = markdown.Markdown(
        extensions=["tables", "toc", "footnotes", "attr_list", "sane_lists", "smarty"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
        output_format="html",
    )
    if not allow_html:
        # Raw HTML in a page is escaped unless its front matter says raw_html: true.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    body = md.convert(text)
    return body, md.toc, md.toc_tokens


def split_includes(path, body):
    parts = INCLUDE.split(body)
    segments = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if part.strip():
                segments.append(("html", part))
        elif part in INCLUDES:
            segments.append(("include", part))
        else:
            line = 1 + path.read_text(encoding="utf-8").split(f"[[{part}]]")[0].count("\n")
            raise BuildError(f"{path}:{line}: unknown include [[{part}]] (known: {', '.join(INCLUDES)})")
    return segments


def read_page(path):
    meta, text = split_front_matter(path, path.read_text(encoding="utf-8"))
    body, toc, toc_tokens = render_markdown(text, meta.get("raw_html", False))
    words = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", body)))
    page = Page(path, meta, body, toc, toc_tokens, words)
    page.segments = split_includes(path, body)
    names = [text for kind, text in page.segments if kind == "include"]
    if meta.get("calculator") and "calculator" not in names:
        page.segments.append(("include", "calculator"))  # no marker: the calculator goes last
    if "calculator" in names:
        meta["calculator"] = True
    page.slug = meta.get("slug") or path.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", page.slug):
        raise BuildError(f"{path}:1: slug {page.slug!r} must be lower-case letters, digits and dashes")
    page.url = f"{page.slug}/"
    return page


def read_pages(content=None):
    pages = [read_page(p) for p in sorted(Path(content or CONTENT).glob("*.md"))]
    slugs = {}
    for page in pages:
        if page.slug in slugs:
            raise BuildError(f"{page.source}:1: slug '{page.slug}' is also used by {slugs[page.slug]}")
        slugs[page.slug] = page.source
    pages.sort(key=lambda p: (p.meta.get("order", 1000), p.meta["date"], p.slug))
    series = [p for p in pages if "order" in p.meta]
    for before, after in zip(series, series[1:]):
        before.next, after.previous = after, before
    return pages


# --- 3. static files and the runtime

def copy_static(out):
    shutil.copytree(SITE / "static", out / "static")


def pyodide_version():
    package = json.loads((PYODIDE_NPM / "package.json").read_text())
    return package["version"]


def copy_runtime(out):
    """Copy the pinned runtime under a versioned path; return that path."""
    if not (PYODIDE_NPM / "package.json").is_file():
        raise BuildError(f"{PYODIDE_NPM}: the Pyodide runtime is not installed; run 'npm ci' (make site does)")
    version = pyodide_version()
    target = out / "pyodide" / version
    target.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(PYODIDE_NPM / name, target / name)
    return f"pyodide/{version}/"


# --- 4. the calc wheel, registered in a lock file by its sha256

def _calc_files():
    package = ROOT / "calc"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path.relative_to(ROOT).as_posix(), path.read_bytes()


def build_wheel():
    """A reproducible pure-Python wheel of calc: same sources, same bytes, same sha256."""
    name, version = "calc", calc.__version__
    dist_info = f"{name}-{version}.dist-info"
    files = list(_calc_files())
    files.append((f"{dist_info}/METADATA",
                  f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                  "Summary: Bone health calculator scoring package\n"
                  "License: MIT AND LGPL-3.0-or-later\n".encode()))
    files.append((f"{dist_info}/WHEEL",
                  b"Wheel-Version: 1.0\nGenerator: build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((f"{dist_info}/top_level.txt", b"calc\n"))
    record = []
    for path, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


def write_calc_bundle(out):
    """Write the wheel and its lock file under calc/<hash>/.

    Returns (lock path, wheel sha256, wheel path on disk)."""
    wheel_name, wheel = build_wheel()
    sha256 = hashlib.sha256(wheel).hexdigest()
    upstream = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    lock = {
        # The runtime checks "info" against itself; only calc is listed, so nothing
        # can be fetched from anywhere but this folder.
        "info": upstream["info"],
        "packages": {
            "calc": {
                "name": "calc", "version": calc.__version__, "file_name": wheel_name,
                "install_dir": "site", "sha256": sha256, "package_type": "package",
                "imports": ["calc"], "depends": [], "unvendored_tests": False, "tool": {},
            }
        },
    }
    folder = out / "calc" / sha256[:12]
    folder.mkdir(parents=True)
    (folder / wheel_name).write_bytes(wheel)
    (folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return f"calc/{sha256[:12]}/pyodide-lock.json", sha256, folder / wheel_name


# --- 4b. a memory snapshot of the interpreter with calc imported (fast boot)

SNAPSHOT_SCRIPT = ROOT / "scripts" / "make_snapshot.mjs"
SNAPSHOT_CACHE = ROOT / ".cache" / "snapshots"


def write_snapshot(out, wheel_path, wheel_sha256):
    """Write snapshot/<hash>/ (the gzipped snapshot and its probe); return its paths.

    A snapshot fits only the runtime that made it, so it is made here from the
    same pinned runtime the site serves. Making one is not byte-reproducible,
    so it is cached by its inputs: rebuilding unchanged sources reuses it.
    """
    key = hashlib.sha256(
        f"{pyodide_version()}|{wheel_sha256}|".encode() + SNAPSHOT_SCRIPT.read_bytes()
    ).hexdigest()[:24]
    cached = SNAPSHOT_CACHE / key
    if not (cached / "meta.json").is_file():
        if not shutil.which("node"):
            raise BuildError("node: Node.js is needed to make the boot snapshot (make site installs it)")
        cached.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["node", str(SNAPSHOT_SCRIPT), str(PYODIDE_NPM.resolve()), str(wheel_path),
             str(cached / "snapshot.bin.gz")],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise BuildError(f"{SNAPSHOT_SCRIPT}: making the snapshot failed:\n{done.stderr[-2000:]}")
        (cached / "meta.json").write_text(done.stdout)
    meta = json.loads((cached / "meta.json").read_text())
    data = (cached / "snapshot.bin.gz").read_bytes()
    digest = hashlib.sha256(data).digest()
    folder = out / "snapshot" / digest.hex()[:12]
    folder.mkdir(parents=True)
    (folder / "snapshot.bin.gz").write_bytes(data)
    (folder / "probe.json").write_text(json.dumps({"input": meta["probe_input"], "output": meta["probe_output"]}))
    rel = f"snapshot/{digest.hex()[:12]}/"
    return {
        "url": rel + "snapshot.bin.gz",
        "integrity": "sha256-" + base64.b64encode(digest).decode(),
        "probe": rel + "probe.json",
        "gz_size": meta["gz_size"],
        "raw_size": meta["raw_size"],
    }


# --- 5. templates

def calculator_view():
    """What the calculator template needs, all of it from calc."""
    sections = []
    for section in calc.SECTIONS:
        fields = [f for f in calc.FIELDS if f.section == section.key and not f.unit_of]
        sections.append({"section": section, "fields": fields})
    # each factor's bar is scaled to the most points it can give
    factors = [{"factor": item["factor"], "max": max(points for _, points in item["rows"])}
               for item in points_rows()]
    labels = {"categories": calc.CATEGORY_LABELS}
    return {
        "sections": sections,
        "fields": calc.FIELDS_BY_KEY,
        "factors": factors,
        # "<" escaped so the JSON can never close its <script> element
        "labels_json": json.dumps(labels, separators=(",", ":")).replace("<", "\\u003c"),
        "disclaimer": calc.QFRACTURE_DISCLAIMER,
    }


def points_rows():
    """Each factor of the score with its (what counts, points) rows, from calc."""
    rows = []
    for factor in calc.FACTORS:
        if factor.kind == "bands":
            pairs = [(band.label, band.points) for band in factor.bands]
        elif factor.kind == "choice":
            pairs = [(label, points) for _, points, label in factor.choices]
        else:
            names = [calc.FIELDS_BY_KEY[key].label for key in factor.flags]
            label = " or ".join(names) + (" (counted once)" if len(names) > 1 else "")
            pairs = [(label, factor.points)]
        rows.append({"factor": factor, "rows": pairs})
    return rows


def levels_text():
    """'under 20 low; 20 to 39 moderate; ...' from calc's category edges."""
    parts, low = [], 0
    for below, name in calc_score.CATEGORIES:
        label = calc.CATEGORY_LABELS[name].lower()
        if low == 0:
            parts.append(f"under {below} {label}")
        elif below == calc_score.INF:
            parts.append(f"{low} and over {label}")
        else:
            parts.append(f"{low} to {below - 1} {label}")
        low = below
    return "; ".join(parts)


def make_env(settings):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SITE / "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    base = settings["base_path"]
    env.globals.update(
        site=settings,
        toc_min_words=TOC_MIN_WORDS,
        points_rows=points_rows(),
        levels_text=levels_text(),
        score_cap=calc_score.SCORE_CAP,
        qfracture_disclaimer=calc.QFRACTURE_DISCLAIMER,
        url=lambda path="": base + path.lstrip("/"),
        absolute=lambda path="": settings["base_url"] + path.lstrip("/"),
        fmt_number=fmt,
    )
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}"
    return env


def _template_frame(error):
    """'file:line' of the innermost template frame in a rendering error's traceback."""
    where = "template"
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(SITE / "templates")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render(env, template, out_path, **context):
    try:
        text = env.get_template(template).render(**context)
    except jinja2.TemplateNotFound as error:
        raise BuildError(f"{SITE / 'templates' / error.name}: template not found") from None
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(f"{error.filename}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise BuildError(f"{_template_frame(error)}: {error.message}") from None
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")


def build(out, base_url=None, content=None):
    """Build the site into `out`, replacing it only once everything succeeded."""
    out = Path(out)
    settings = load_settings(base_url)
    pages = read_pages(content)
    env = make_env(settings)

    work = out.with_name(out.name + ".building")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        write_site(work, env, pages)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    work.rename(out)
    return pages


def write_site(out, env, pages):
    copy_static(out)
    runtime = copy_runtime(out)
    lock, calc_sha256, wheel_path = write_calc_bundle(out)
    snapshot = write_snapshot(out, wheel_path, calc_sha256)
    shared = {"pages": pages, "runtime": runtime, "calc_lock": lock, "snapshot": snapshot}

    for page in pages:
        context = {**shared, "page": page}
        if page.meta.get("calculator"):
            context["calc"] = calculator_view()
        render(env, "article.html", out / page.slug / "index.html", **context)
    render(env, "index.html", out / "index.html", **shared)
    render(env, "404.html", out / "404.html", **shared)
    updated = max((p.meta.get("updated") or p.meta["date"]) for p in pages) if pages else dt.date.today()
    render(env, "sitemap.xml", out / "sitemap.xml", updated=updated, **shared)
    render(env, "feed.xml", out / "feed.xml", updated=updated, **shared)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve files as they are
    write_service_worker(out, env)


# Paths that never change in place: the runtime is versioned, calc is content-hashed.
IMMUTABLE = ("pyodide/", "calc/", "snapshot/")


def write_service_worker(out, env):
    """sw.js precaches every file of this build under a version that hashes them all."""
    files, digest = [], hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".nojekyll"):
        rel = path.relative_to(out).as_posix()
        url = "./" if rel == "index.html" else rel[: -len("index.html")] if rel.endswith("/index.html") else rel
        files.append(url)
        digest.update(url.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    render(env, "sw.js", out / "sw.js", version=digest.hexdigest()[:16], files=files, immutable=IMMUTABLE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "_site"), help="output folder (default: _site)")
    parser.add_argument("--base-url", default=None,
                        help="public URL of the site, e.g. https://me.github.io/project/ (default: settings)")
    args = parser.parse_args(argv)
    try:
        pages = build(args.out, args.base_url)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"built {len(pages)} pages into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
