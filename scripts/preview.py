#!/usr/bin/env python3
"""A live preview for writers: build, serve, and rebuild on every saved change.

    python -m scripts.preview [--port 8000] [--content DIR] [--out DIR]   (make serve)

It watches content/, site/, calc/ and the build's own code (watchfiles: the
system's own file events, no polling) and rebuilds what changed, as `hugo
server` and `mkdocs serve` do:
  - an article or template: the pages only, in a build process that stays
    loaded (preview_worker.py), reusing the calculator's bundle: well under
    a second from saving to the open page showing it;
  - calc or the build's code: a new build process, which sees the new code
    and writes a new bundle: the few seconds a new snapshot needs.

An open page reloads itself after each build: as it serves a page, this
server adds one script (preview-reload.js) that long-polls for the next
build. The build never contains that script, so neither does what `make site`
publishes. If a build fails, every page shows the error, with its file and
line, until the next build succeeds.

The service worker is replaced by one that removes itself: a cached page
would hide the edit.
"""

import argparse
import html
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from scripts.serve import IMMUTABLE, Handler, make_server

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
WORKER = HERE / "preview_worker.py"
RELOAD_JS = HERE / "preview-reload.js"
SERVICE_WORKER_JS = HERE / "preview-sw.js"
ENDPOINT = "/__preview__/"
# A change here needs a new build process (new code, new bundle); a change
# anywhere else only new pages.
CODE = [ROOT / "calc", ROOT / "sitebuild", ROOT / "build.py", WORKER]
PAGES = [ROOT / "site"]  # and the content folder
DEBOUNCE_MS = 50  # an editor may save in more than one write: one build for them all
LONG_POLL_SECONDS = 20


class Builds:
    """The latest build's version and error, and a way to wait for the next one."""

    def __init__(self):
        self.version, self.error = 0, None
        self._changed = threading.Condition()

    def publish(self, error):
        with self._changed:
            self.version, self.error = self.version + 1, error
            self._changed.notify_all()

    def wait_after(self, seen, timeout):
        """The version once it is no longer `seen` (or after `timeout` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: str(self.version) != seen, timeout)
            return self.version


class BuildWorker:
    """preview_worker.py, started on demand and restarted for new code."""

    def __init__(self, out, url, content):
        self.command = [sys.executable, "-m", "scripts.preview_worker", "--out", str(out), "--base-url", url,
                        "--content", str(content)]
        self.process = None

    def build(self):
        """Build once; return None, or the error to show."""
        if self.process is None:
            self.errors = tempfile.TemporaryFile("w+")  # a file, so that a chatty worker never blocks
            self.process = subprocess.Popen(self.command, cwd=ROOT, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.errors, text=True)
        try:
            self.process.stdin.write("build\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if answer:
            return json.loads(answer)["error"]
        # The worker died, e.g. calc does not import: show why, start afresh next time.
        self.process.wait()
        self.errors.seek(0)
        self.process = None
        return self.errors.read().strip()[-3000:] or "the build process stopped"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None


ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>
<body style="font: 16px/1.5 system-ui, sans-serif; margin: 2rem; max-width: 60rem">
<h1>The site did not build</h1>
<p>Fix this and save; the page reloads by itself.</p>
<pre id="build-error" style="white-space: pre-wrap; background: #fee; padding: 1rem">{error}</pre>
{script}
</body></html>
"""


class PreviewHandler(Handler):
    """The site, as scripts/serve.py serves it, plus the reload script and the
    build error page."""

    def __init__(self, *args, builds, bundle, **kwargs):
        self.builds, self.bundle = builds, bundle  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def translate_path(self, path):
        # The runtime bundle is written once, in its own folder, beside the pages.
        if unquote(urlsplit(path).path).lstrip("/").startswith(IMMUTABLE):
            pages, self.directory = self.directory, str(self.bundle)
            try:
                return super().translate_path(path)  # which keeps '..' from leaving the folder
            finally:
                self.directory = pages
        return super().translate_path(path)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == ENDPOINT + "reload.js":
            self.send(200, RELOAD_JS.read_bytes(), "text/javascript; charset=utf-8")
        elif path == ENDPOINT + "state":
            seen = parse_qs(urlsplit(self.path).query).get("seen", [""])[0]
            version = self.builds.wait_after(seen, LONG_POLL_SECONDS)
            self.send(200, json.dumps({"version": version}).encode(), "application/json")
        elif path.endswith("/sw.js"):
            self.send(200, SERVICE_WORKER_JS.read_bytes(), "text/javascript; charset=utf-8")
        elif path.endswith(("/", ".html")) and self.builds.error is not None:
            page = ERROR_PAGE.format(error=html.escape(self.builds.error), script=self.reload_script())
            self.send(500, page.encode(), "text/html; charset=utf-8")
        elif path.endswith(("/", ".html")) and Path(self.translate_path(self.path)).is_dir():
            self.send_page(Path(self.translate_path(self.path)) / "index.html")
        elif path.endswith(".html"):
            self.send_page(Path(self.translate_path(self.path)))
        else:
            super().do_GET()

    def reload_script(self):
        return f'<script src="{ENDPOINT}reload.js?v={self.builds.version}" defer></script>'

    def send_page(self, file):
        if not file.is_file():
            return super().do_GET()  # its usual 404
        page = file.read_text(encoding="utf-8").replace("</body>", self.reload_script() + "\n</body>", 1)
        self.send(200, page.encode(), "text/html; charset=utf-8")

    def send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def touches_code(changes, code):
    """Whether any of watchfiles' (change, path) pairs is under one of `code`."""
    return any(Path(path).resolve().is_relative_to(root) for _, path in changes for root in code)


def rebuild(worker, builds):
    started = time.monotonic()
    error = worker.build()
    builds.publish(error)
    took = f"{(time.monotonic() - started) * 1000:.0f} ms"
    print(f"build failed ({took}): {error}" if error else f"built in {took}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--out", type=Path, default=ROOT / "_preview",
                        help="where previews are built (default: _preview, never _site)")
    args = parser.parse_args(argv)
    out = args.out.resolve()

    builds = Builds()
    handler = lambda *a, **k: PreviewHandler(*a, builds=builds, bundle=out / "bundle", **k)  # noqa: E731
    server = make_server(out / "site", args.port, handler=handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    worker = BuildWorker(out, url, args.content.resolve())
    code = [path.resolve() for path in CODE]
    watched = [*code, args.content.resolve(), *PAGES]
    rebuild(worker, builds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Preview on {url} (rebuilds when content/, site/ or calc/ change; Ctrl+C to stop)", flush=True)
    try:
        # watchfiles' default filter leaves out __pycache__, editors' swap files and the like
        for changes in watchfiles.watch(*watched, debounce=DEBOUNCE_MS, raise_interrupt=False):
            if touches_code(changes, code):
                worker.stop()  # new code: a new process, and a new bundle
            rebuild(worker, builds)
    except KeyboardInterrupt:
        pass
    worker.stop()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
