#!/usr/bin/env python3
"""Build the static site into _site/.

The recipe, top to bottom (each step is a function in sitebuild/ that is given
its paths; this file only says which paths and in what order):
  1. read the settings (site/settings.toml) and every content/*.md
  2. copy site/static/, each file into a folder named after its hash
  3. write the calculator's bundle: the pinned Pyodide runtime
     (node_modules/pyodide), the calc wheel with a pyodide-lock.json that
     registers it by sha256, and the boot snapshot
  4. render each article, the index, the 404 page, the sitemap and the feed
     through site/templates/, with calc's data for the calculator
  5. write the embedded calculator (embed/: the calculator alone for other
     sites' frames, and the snippet a writer pastes, with the site's address)
  6. write the service worker, which knows every file of the build by its sha256
The new site replaces the old one only if every step succeeded.

    python build.py [--out DIR] [--base-url URL] [--content DIR] [--site DIR]

Every function here takes the folders it reads as arguments; the module's
constants are only their defaults, so a test builds a copy of the site by
passing its folders, never by changing this module.
"""

import argparse
import sys
from pathlib import Path

from sitebuild import BuildError, articles, assets, calcview, layout, runtime, templates, website

ROOT = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
SITE = ROOT / "site"
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
SNAPSHOT_SCRIPT = ROOT / "sitebuild" / "make_snapshot.mjs"
SNAPSHOT_CACHE = ROOT / ".cache" / "snapshots"


def load_settings(base_url=None, site=SITE):
    return website.load_settings(Path(site) / "settings.toml", base_url)


def read_pages(content=None, cache=None):
    return articles.read_pages(Path(content or CONTENT), cache)


def make_env(settings, site=SITE, static=None):
    extra = {"toc_min_words": articles.TOC_MIN_WORDS, "csp": layout.CSP, **calcview.template_globals()}
    return templates.make_env(Path(site) / "templates", settings, extra, static)


def write_bundle(out):
    version = runtime.project_version(ROOT)
    return runtime.write_bundle(out, PYODIDE_NPM, ROOT, version, SNAPSHOT_SCRIPT, SNAPSHOT_CACHE)


def build(out, base_url=None, content=None, bundle=True, cache=None, site=SITE):
    """Build the site into `out` from the articles in `content` (default:
    content/) and the templates and static files in `site` (default: site/);
    return its pages.

    bundle=False leaves out the calculator's runtime bundle (step 3): the pages
    are the same, but their calculator cannot start. Tests of the pages use it.
    A dict (what write_bundle returned) links the pages to a bundle written
    elsewhere: the live preview writes it once and serves it beside the pages,
    and passes a `cache` dict, kept between builds, so that only the articles
    that changed are read again."""
    site = Path(site)
    settings = load_settings(base_url, site)
    pages = read_pages(content, cache)

    def fill(folder):
        env = make_env(settings, site, assets.copy_static(site / "static", folder))
        if isinstance(bundle, dict):
            shared = bundle
        else:
            shared = write_bundle(folder) if bundle else runtime.NO_BUNDLE
        website.write_pages(folder, env, pages, shared)
        website.write_embed(folder, env, pages, shared)
        website.write_service_worker(folder, env)

    website.write_atomically(out, fill)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "_site"), help="output folder (default: _site)")
    parser.add_argument("--base-url", default=None,
                        help="public URL of the site, e.g. https://me.github.io/project/ (default: settings)")
    parser.add_argument("--content", default=str(CONTENT), help="folder of articles (default: content)")
    parser.add_argument("--site", default=str(SITE), help="folder of templates and static files (default: site)")
    args = parser.parse_args(argv)
    try:
        pages = build(args.out, args.base_url, args.content, site=args.site)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    print(f"built {len(pages)} pages into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
