"""Where the calculator's runtime bundle lives in a built site.

Imported by the build and by scripts/serve.py, so it must stay free of
third-party imports.
"""

RUNTIME_DIR = "pyodide"    # pyodide/<version>/: the runtime, named after its version
CALC_DIR = "calc"          # calc/<sha256[:12]>/: the wheel and its lock, named after the wheel
SNAPSHOT_DIR = "snapshot"  # snapshot/<sha256[:12]>/: the boot snapshot, named after itself

# Paths whose files never change in place, so browsers and the service worker
# may keep them for good: each folder's name changes whenever its content does.
IMMUTABLE = tuple(f"{name}/" for name in (RUNTIME_DIR, CALC_DIR, SNAPSHOT_DIR))
