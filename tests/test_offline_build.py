"""Content-addressed files: every asset a built page names is under a hashed
name that matches its content, the service worker's manifest matches every
file, and a rebuild that changes no code keeps every asset URL."""

import base64
import gzip
import hashlib
import json
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

import build
from sitebuild.assets import folder_hash

# Attributes that name a file of the site (pages link with href too; those end in "/").
URL_ATTRIBUTES = {"src", "href", "data-worker", "data-runtime", "data-lock", "data-snapshot", "data-snapshot-probe"}
NOT_ASSETS = ("feed.xml",)  # addresses that are pages, not assets


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in URL_ATTRIBUTES and value]


def asset_urls(html):
    """The site's own files a page names, other than pages and fragments."""
    parser = Links()
    parser.feed(html)
    paths = {url.split("#")[0] for url in parser.urls}  # a link to a part of a page names the page
    return {path for path in paths
            if path.startswith("/") and not path.endswith("/") and path.lstrip("/") not in NOT_ASSETS}


def check_hashed(site, url):
    """The name's hash is the hash of what it names."""
    path = url.lstrip("/")
    parts = path.split("/")
    if parts[0] == "static" and len(parts) > 4:  # static/<hash>/js/<folder>/<module>: the folder's hash
        assert parts[2] == "js", url
        assert folder_hash(site / "static" / parts[1] / "js" / parts[3]) == parts[1], url
    elif parts[0] == "static":
        assert hashlib.sha256((site / path).read_bytes()).hexdigest()[:12] == parts[1], url
    elif parts[0] == "pyodide":
        assert parts[1].rsplit("-", 1)[1] == folder_hash(site / "pyodide" / parts[1]), url
    elif parts[0] == "calc":
        assert parts[1] == folder_hash(site / "calc" / parts[1]), url
    elif parts[0] == "snapshot":
        if parts[2] == "snapshot.bin.gz":
            assert hashlib.sha256((site / path).read_bytes()).hexdigest()[:12] == parts[1], url
        else:  # the probe is named after the snapshot it checks, and lives beside it
            assert (site / "snapshot" / parts[1] / "snapshot.bin.gz").is_file(), url
    else:
        raise AssertionError(f"{url}: an asset outside the content-addressed folders")


def pages_of(site):
    return sorted(site.rglob("*.html"))


def test_every_asset_a_page_names_is_hashed_and_matches_its_content(built_site):
    seen = set()
    for page in pages_of(built_site):
        html = page.read_text()
        for url in asset_urls(html):
            assert (built_site / url.lstrip("/")).is_file(), f"{page}: {url} does not exist"
            check_hashed(built_site, url)
            seen.add(url.split("/")[1])
        runtime = re.search(r'data-runtime="/([^"]+)"', html)
        if runtime:  # the runtime's files are named by their folder, not one by one
            for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.asm.wasm.gz"):
                assert (built_site / runtime.group(1) / name).is_file()
            # the trimmed standard library lives beside the lock, in the calc folder
            lock = re.search(r'data-lock="/([^"]+)"', html).group(1)
            assert (built_site / lock).parent.joinpath("python_stdlib.zip").is_file()
            check_hashed(built_site, "/" + runtime.group(1) + "pyodide.mjs")
            seen.add("pyodide")
    assert seen == {"static", "pyodide", "calc", "snapshot"}


def test_the_snapshot_integrity_is_the_files_own(built_site):
    html = (built_site / "inflammation-and-bone-loss" / "index.html").read_text()
    url = re.search(r'data-snapshot="/([^"]+)"', html).group(1)
    integrity = re.search(r'data-snapshot-integrity="([^"]+)"', html).group(1)
    digest = hashlib.sha256((built_site / url).read_bytes()).digest()
    assert integrity == "sha256-" + base64.b64encode(digest).decode()


def test_the_snapshot_is_stored_as_sparse_pages_that_add_up(built_site):
    """The format the worker unpacks (docs/runtime.md), read here independently:
    every stored page is one the packer had to keep (not all zeros), the pages
    add up exactly to the file, and they leave out a real share of the memory."""
    html = (built_site / "inflammation-and-bone-loss" / "index.html").read_text()
    url = re.search(r'data-snapshot="/([^"]+)"', html).group(1)
    packed = gzip.decompress((built_site / url).read_bytes())
    assert packed[:4] == b"PSP1"
    length, page = struct.unpack("<II", packed[4:12])
    count = -(-length // page)
    bitmap = packed[12:12 + -(-count // 8)]
    stored = [i for i in range(count) if bitmap[i >> 3] >> (i & 7) & 1]
    at = 12 + len(bitmap)
    for i in stored:
        size = min(page, length - i * page)
        assert any(packed[at:at + size]), f"page {i} is all zeros, yet stored"
        at += size
    assert at == len(packed)
    assert page == 4096 and length > 16_000_000  # a whole interpreter's memory
    assert len(stored) < 0.8 * count  # zero pages were left out


def sw_manifest(site):
    return json.loads(re.search(r"const FILES = (\{.*?\});", (site / "sw.js").read_text()).group(1))


def test_the_service_worker_knows_every_file_by_its_sha256(built_site):
    manifest = sw_manifest(built_site)
    files = {p for p in built_site.rglob("*") if p.is_file() and p.name not in ("sw.js", ".nojekyll")}
    assert len(manifest) == len(files)
    for path, digest in manifest.items():
        file = built_site / path / "index.html" if path == "" or path.endswith("/") else built_site / path
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path


def test_a_url_to_a_static_file_that_does_not_exist_is_a_build_error(tmp_path):
    import shutil

    import pytest

    from sitebuild import BuildError

    site = tmp_path / "site"
    shutil.copytree(build.SITE, site)
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("static/css/site.css", "static/css/gone.css"))
    with pytest.raises(BuildError, match="gone.css"):
        build.build(tmp_path / "out", bundle=False, site=site)


def names(site):
    html = (site / "inflammation-and-bone-loss" / "index.html").read_text()
    runtime = re.search(r'data-runtime="([^"]+)"', html).group(1)
    return sorted(asset_urls(html) | {runtime})


@pytest.mark.node
def test_a_rebuild_that_changes_only_words_keeps_every_asset_url(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(build.CONTENT, content)
    build.build(tmp_path / "one", content=content)
    article = content / "inflammation-and-bone-loss.md"
    article.write_text(article.read_text().replace("Bone is rebuilt all the time.", "Bone is always being rebuilt."))
    build.build(tmp_path / "two", content=content)
    assert names(tmp_path / "one") == names(tmp_path / "two")
    one, two = sw_manifest(tmp_path / "one"), sw_manifest(tmp_path / "two")
    assert {path for path in one if one[path] != two.get(path)} == {"inflammation-and-bone-loss/"}
    assert Path(tmp_path / "one" / "sw.js").read_text() != Path(tmp_path / "two" / "sw.js").read_text()


def test_the_worker_finds_the_boot_it_was_built_with(tmp_path):
    # worker.js imports "./boot.js": both are addressed by the hash of the two, so the
    # import resolves in the built site, and a change to the boot alone moves the worker too.
    source = tmp_path / "site"
    out = tmp_path / "out"
    shutil.copytree(build.SITE, source)

    def worker_url():
        build.build(out, site=source, bundle=False)
        html = (out / "inflammation-and-bone-loss" / "index.html").read_text()
        return re.search(r'data-worker="/([^"]+)"', html).group(1)

    first = worker_url()
    assert first.endswith("/js/worker/worker.js")
    assert 'from "./boot.js"' in (out / first).read_text()
    assert (out / first).parent.joinpath("boot.js").is_file()
    boot = source / "static" / "js" / "worker" / "boot.js"
    boot.write_text(boot.read_text() + "\n// changed\n")
    second = worker_url()
    assert second != first and (out / second).parent.joinpath("boot.js").read_text().endswith("// changed\n")
