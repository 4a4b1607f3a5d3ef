"""The article site: settings in, pages, index, 404, sitemap, feed and service worker out."""

import datetime as dt
import hashlib
import json
import shutil
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from . import BuildError
from .layout import HASHED, IMMUTABLE
from .templates import render, render_text, write
from .uniqueids import duplicate_ids, line_of_id


def load_settings(path, base_url=None):
    """site/settings.toml, with base_url overridden if given and base_path derived."""
    try:
        settings = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"{path}: {error}") from None
    if base_url is not None:
        settings["base_url"] = base_url
    settings["base_url"] = settings.get("base_url", "").rstrip("/") + "/"
    # The path part ("/project/" on a GitHub Pages project site) prefixes every link.
    settings["base_path"] = "/" + settings["base_url"].split("://", 1)[-1].partition("/")[2]
    return settings


def write_atomically(out, fill):
    """Call fill(folder) on a fresh folder beside `out`, and replace `out` with it
    only once fill succeeded: a failed build leaves the last good one in place."""
    out = Path(out)
    work = out.with_name(out.name + ".building")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        result = fill(work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    work.rename(out)
    return result


def write_pages(out, env, pages, shared):
    """Each article, the index, the 404 page, the sitemap and the feed.

    `shared` is passed to every template (the runtime bundle's paths)."""
    shared = {**shared, "pages": pages}
    for page in pages:
        html = render_text(env, "article.html", page=page, **shared)
        check_ids(env, "article.html", html, page)
        write(out / page.slug / "index.html", html)
    for name in ("index.html", "404.html"):
        html = render_text(env, name, **shared)
        check_ids(env, name, html)
        write(out / name, html)
    updated = max((p.meta.get("updated") or p.meta["date"]) for p in pages) if pages else dt.date.today()
    render(env, "sitemap.xml", out / "sitemap.xml", updated=updated, **shared)
    render(env, "feed.xml", out / "feed.xml", updated=updated, **shared)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve files as they are


# The embedded calculator: its page, the script a host page loads and the
# snippet a writer pastes. Addresses that never change: a pasted snippet must
# keep working after every deploy.
EMBED_DIR = "embed"
EMBED_TITLE = "Bone health check: a calculator from {site}"
# The heights, in CSS pixels, the host script accepts from the frame (the
# calculator is about 4,800 px tall when empty in a 700 px column, and about
# 16,000 px with every result, section and the share box open in a 320 px one).
EMBED_HEIGHTS = (200, 40_000)
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def origin_of(base_url):
    """'https://example.org' for 'https://Example.org:443/blog/', as a browser writes an origin."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BuildError(f"base_url {base_url!r} must be an absolute http or https address, "
                         f"such as https://example.org/ (the embed snippet names it)")
    default = {"http": 80, "https": 443}[parts.scheme]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = f":{parts.port}" if parts.port not in (None, default) else ""
    return f"{parts.scheme}://{host}{port}"


def write_embed(out, env, pages, shared):
    """embed/: the calculator alone for other sites' <iframe>s; embed/host.js,
    which grows such a frame to its content; embed/snippet.html, the two lines a
    writer pastes, with the site's own address (base_url). Nothing for a site
    without a calculator page."""
    page = next((p for p in pages if p.meta.get("calculator")), None)
    if page is None:
        return None
    site = env.globals["site"]
    base_url = site["base_url"]
    names = {
        "embed_title": EMBED_TITLE.format(site=site["title"]),
        "origin": origin_of(base_url),
        "frame": f"{base_url}{EMBED_DIR}/",
        "script": f"{base_url}{EMBED_DIR}/host.js",
    }
    html = render_text(env, "embed.html", page=page, **{**shared, "pages": pages}, **names)
    check_ids(env, "embed.html", html)
    write(out / EMBED_DIR / "index.html", html)
    low, high = EMBED_HEIGHTS
    render(env, "embed-host.js", out / EMBED_DIR / "host.js", min_height=low, max_height=high, **names)
    local = urlsplit(base_url).hostname in LOCAL_HOSTS or urlsplit(base_url).hostname.endswith(".localhost")
    render(env, "embed-snippet.html", out / EMBED_DIR / "snippet.html", local=local, **names)
    return page


def check_ids(env, template, html, page=None):
    """Refuse a page that uses an id twice, naming the article line that made it."""
    for name in duplicate_ids(html):
        if page is not None:
            source = page.source.read_text(encoding="utf-8")
            line = line_of_id(source, page.body_line, name)
            if line is not None:
                raise BuildError(
                    f"{page.source}:{line}: the id '{name}' is used more than once in the page (the template "
                    f"or an include such as [[calculator]] may use it); give this one another id with "
                    f"{{: #another-id }}")
        raise BuildError(f"{Path(env.loader.searchpath[0]) / template}: the id '{name}' is used more than once"
                         + (f" in the page for {page.source}" if page is not None else ""))


def manifest(out):
    """{path from the site's root: sha256 hex} for every file of the build.

    A page is listed by its address ("slug/", "" for the home page), the way
    readers ask for it. The service worker checks every file it saves against
    this, so a deploy that lands during a download cannot mix two builds."""
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name not in (".nojekyll", "sw.js")):
        rel = path.relative_to(out).as_posix()
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def write_service_worker(out, env):
    """sw.js: this build's manifest, and a version that hashes it."""
    files = manifest(out)
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    render(env, "sw.js", out / "sw.js", version=version, files=files, runtime=IMMUTABLE, hashed=HASHED)
    return files
