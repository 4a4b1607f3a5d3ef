#!/usr/bin/env python3
"""Serve a built site on localhost with the MIME types Pyodide needs.

    python -m scripts.serve [--dir _site] [--port 8000]

A wrong type for .wasm makes Pyodide hang, and a wrong type for .mjs fails the
worker, so the types are set here rather than left to the machine's mime.types.
The content-addressed files (scripts, styles, the runtime) may be cached for good; everything else is
revalidated on each visit.
"""

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from sitebuild.layout import CSP, HASHED, IMMUTABLE, WORKER_SCRIPTS  # noqa: F401 (preview.py imports IMMUTABLE)

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    "": "application/octet-stream",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = TYPES

    def end_headers(self):
        # static/<hash>/, pyodide/<version>-<hash>/, calc/<hash>/ and snapshot/<hash>/
        # never change in place.
        if self.path.lstrip("/").startswith(HASHED):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        # The pages' own policy, for the two scripts that run as workers: a page's
        # meta tag does not reach them (see sitebuild/layout.py).
        if self.path.split("?", 1)[0].rsplit("/", 1)[-1] in WORKER_SCRIPTS:
            self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


class _CountingWriter:
    """The response stream, counting every byte written to it (headers and body)."""

    def __init__(self, stream, count):
        self.stream, self.count = stream, count

    def write(self, data):
        self.count(len(data))
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)


class CountingHandler(Handler):
    """Handler that adds each response's bytes to server.sent and its path to
    server.requested: the only place a service worker's downloads can be seen."""

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.server.add_sent)

    def do_GET(self):
        self.server.requested.append(self.path)
        super().do_GET()


class Server(http.server.ThreadingHTTPServer):
    sent = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requested, self._lock = [], threading.Lock()

    def add_sent(self, n):
        with self._lock:
            self.sent += n

    def handle_error(self, request, client_address):
        # A browser that closes a connection mid-download is not a server error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(root, port=8000, host="127.0.0.1", verbose=False, handler=Handler):
    handler = functools.partial(handler, directory=str(root))
    server = Server((host, port), handler)
    server.verbose = verbose
    server.daemon_threads = True
    return server


class Restartable:
    """A server for one folder that can be stopped and started again on the same
    port (the same origin), as offline tests and benchmarks need."""

    def __init__(self, root, handler=Handler):
        self.root, self.port, self.server, self.handler = root, 0, None, handler

    def start(self):
        self.server = make_server(self.root, self.port, handler=self.handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.port}/"

    def stop(self):
        """Stop serving (again: a no-op)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parent.parent / "_site"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not Path(args.dir, "index.html").is_file():
        print(f"{args.dir} has no index.html: build the site first (make site)", file=sys.stderr)
        return 1
    server = make_server(args.dir, args.port, verbose=True)
    print(f"Serving {args.dir} on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
