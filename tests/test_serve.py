"""scripts/serve.py: the headers the tests' server sends."""

import html
import re
import urllib.request

import build
from sitebuild.layout import CSP


def headers(url):
    with urllib.request.urlopen(url) as response:
        return response.headers


def test_the_worker_and_the_service_worker_get_the_pages_policy_as_a_header(tmp_path, serve):
    # A meta tag cannot reach a worker: only its script's own response headers can.
    out = tmp_path / "site"
    build.build(out, bundle=False)
    page = (out / "index.html").read_text()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert html.unescape(meta) == CSP  # one policy, written once
    (worker,) = out.glob("static/*/js/worker/worker.js")
    url = serve(out).url
    for path in ("sw.js", worker.relative_to(out).as_posix()):
        assert headers(url + path)["Content-Security-Policy"] == CSP, path
    # a page has its meta tag; a plain script or style needs no policy of its own
    (offline,) = out.glob("static/*/js/offline.js")
    for path in ("", offline.relative_to(out).as_posix()):
        assert headers(url + path)["Content-Security-Policy"] is None, path
    assert "'unsafe-eval'" not in CSP and "unsafe-inline" not in CSP
