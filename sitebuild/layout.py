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
