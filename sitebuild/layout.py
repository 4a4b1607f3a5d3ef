"""Where the calculator's runtime bundle and the hashed assets live in a built site.

Imported by the build and by scripts/serve.py, so it must stay free of
third-party imports.
"""

RUNTIME_DIR = "pyodide"    # pyodide/<version>-<hash12>/: the runtime, named after its version and files
CALC_DIR = "calc"          # calc/<hash12>/: the wheel and its lock, named after both files
SNAPSHOT_DIR = "snapshot"  # snapshot/<hash12>/: the boot snapshot, named after itself
STATIC_DIR = "static"      # static/<hash12>/<path>: each script, style and icon, named after itself

# The calculator's runtime bundle: written once by the build (or the live
# preview), and saved for offline use only once the reader has used the
# calculator or asked for it.
IMMUTABLE = tuple(f"{name}/" for name in (RUNTIME_DIR, CALC_DIR, SNAPSHOT_DIR))
# Paths whose files never change in place, so browsers and the service worker
# may keep them for good: each folder's name changes whenever its content does.
HASHED = IMMUTABLE + (f"{STATIC_DIR}/",)

# The Content-Security-Policy, written once: every page carries it in a meta tag
# (site/templates/base.html). A meta tag cannot reach a worker or a service
# worker, whose policy comes only from their script's own response headers:
# scripts/serve.py sends it with those two scripts (WORKER_SCRIPTS), so that the
# tests run them under it. A static host that sends no headers (GitHub Pages)
# runs them without one; see docs/hardening.md.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")
WORKER_SCRIPTS = ("sw.js", "worker.js")  # file names: the service worker, and the calculator's worker
