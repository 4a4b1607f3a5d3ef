#!/usr/bin/env python3
"""The build side of the live preview (scripts/preview.py starts it; not for
running by hand).

It keeps the build's modules, calc included, loaded between builds, and
writes the calculator's bundle once, so that an article edit costs only the
pages: no interpreter start, no 13 MB copy. It builds on each 'build' line
read from stdin and answers each with one JSON line, {"error": null} or
{"error": "file:line: what is wrong"}. When calc or the build's own code
changes, preview.py starts a new worker, which sees the new code.

    python -m scripts.preview_worker --out DIR --base-url URL --content DIR
      DIR/bundle/  the runtime bundle (pyodide/, calc/, snapshot/)
      DIR/site/    the pages, which link to it
"""

import argparse
import json
import shutil
import sys
import traceback
from pathlib import Path

import build
from sitebuild import BuildError

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--content", type=Path, required=True)
    args = parser.parse_args(argv)
    bundle, cache = None, {}
    for _ in sys.stdin:
        try:
            if bundle is None:
                shutil.rmtree(args.out / "bundle", ignore_errors=True)
                (args.out / "bundle").mkdir(parents=True)
                bundle = build.write_bundle(args.out / "bundle")
            build.build(args.out / "site", args.base_url, args.content, bundle=bundle, cache=cache)
            error = None
        except BuildError as problem:
            error = str(problem)
        except Exception:  # a bug in the build: show it in the browser too, and carry on
            error = traceback.format_exc(limit=-3)
        print(json.dumps({"error": error}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
