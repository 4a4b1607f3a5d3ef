"""Content-addressed files: every script, style and icon is served from a folder
named after its own sha256, so a page names exactly the files it was built with
and an old page can never load new code, or the reverse.

    site/static/js/offline.js  ->  static/<sha256[:12]>/js/offline.js

A folder inside js/ holds modules that import each other by relative paths
(the calculator's worker and its boot): its files are addressed together, by
the folder's hash, so each still finds the others it was built with.

    site/static/js/worker/boot.js  ->  static/<folder_hash(js/worker)>/js/worker/boot.js
"""

import hashlib
import shutil

from .layout import STATIC_DIR


def short_hash(data):
    return hashlib.sha256(data).hexdigest()[:12]


def folder_hash(folder):
    """One hash for a folder's files: their names and contents, in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def module_folder(source, path):
    """The folder of modules `path` is addressed with (source/js/<folder>), or None."""
    parts = path.relative_to(source).parts
    return source / parts[0] / parts[1] if len(parts) > 2 and parts[0] == "js" else None


def copy_static(source, out):
    """Copy each file of `source` to out/static/<its hash>/<its path>.

    Returns {"js/offline.js": "static/<hash>/js/offline.js", ...}: what a
    template's url('static/js/offline.js') becomes. The original file names are
    kept, so the worker and the browser's tools still show them."""
    names = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source).as_posix()
        group = module_folder(source, path)
        address = folder_hash(group) if group else short_hash(path.read_bytes())
        target = f"{STATIC_DIR}/{address}/{rel}"
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / target)
        names[rel] = target
    return names
