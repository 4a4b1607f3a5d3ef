"""The bundle the calculator boots from, written beside the pages:

  pyodide/<version>-<hash>/  the pinned Pyodide runtime, copied from its npm package, and its
                             wasm gzipped by the build (the worker unzips it itself, so a phone
                             downloads 3.5 MB instead of 9.6 MB whether or not the host compresses)
  calc/<hash>/               a reproducible calc wheel, a pyodide-lock.json naming only it, and
                             python_stdlib.zip: only the standard library modules calc imports, compiled
  snapshot/<hash>/           a memory snapshot of the interpreter with calc imported, and its probe

Each folder is named after all of its files' content (assets.folder_hash, taken
after every file is written, the gzipped wasm and the trimmed stdlib included;
the snapshot after its own bytes), so a file never changes in place, and a build
whose inputs did not change gives the same names: readers download nothing new.

write_bundle() returns the paths the templates link to. A site built with
NO_BUNDLE has the same pages and none of these files (for tests of the pages).
"""

import base64
import gzip
import hashlib
import importlib.metadata
import inspect
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from . import BuildError
from .assets import folder_hash
from .layout import CALC_DIR, RUNTIME_DIR, SNAPSHOT_DIR

# The runtime files a browser needs; nothing else from the npm package is served.
# The full python_stdlib.zip is not among them: calc/<hash>/ has the part calc uses.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# The wasm as the build gzips it, beside the original (kept for browsers without
# DecompressionStream and as the worker's fallback).
GZIPPED_WASM = "pyodide.asm.wasm.gz"
# What the templates get instead of a bundle when none was written.
NO_BUNDLE = {"runtime": "", "calc_lock": "", "snapshot": {"url": "", "integrity": "", "probe": ""}, "boot_bytes": {}}


def write_bundle(out, pyodide, project, version, snapshot_script, snapshot_cache):
    """Write the runtime, the calc wheel and lock, and the snapshot into `out`.

    pyodide: the npm package's folder; project: the folder holding pyproject.toml;
    version: calc's version. Returns {"runtime", "calc_lock", "snapshot", "boot_bytes"}."""
    runtime = copy_runtime(out, pyodide)
    name, wheel = build_wheel(project)
    stdlib, snapshot_gz, meta = boot_files(pyodide, name, wheel, snapshot_script, snapshot_cache)
    lock = write_calc_bundle(out, pyodide, project, version, name, wheel, stdlib)
    snapshot = write_snapshot(out, snapshot_gz, meta)
    bundle = {"runtime": runtime, "calc_lock": lock, "snapshot": snapshot}
    return {**bundle, "boot_bytes": boot_bytes(out, bundle, name)}


def boot_bytes(out, bundle, wheel):
    """The size of each file the worker downloads while it starts, by its part
    in the boot: the page shows "X of about Y MB" from these. The runtime's
    JavaScript is imported, not fetched, and is not counted there either."""
    calc_dir = (out / bundle["calc_lock"]).parent
    size = lambda path: path.stat().st_size  # noqa: E731
    return {
        "wasm": size(out / bundle["runtime"] / "pyodide.asm.wasm"),
        "wasm_gz": size(out / bundle["runtime"] / GZIPPED_WASM),
        "lock": size(calc_dir / "pyodide-lock.json"),
        "stdlib": size(calc_dir / "python_stdlib.zip"),
        "wheel": size(calc_dir / wheel),
        "snapshot": size(out / bundle["snapshot"]["url"]) + size(out / bundle["snapshot"]["probe"]),
    }


# --- the runtime

def pyodide_version(pyodide):
    if not (pyodide / "package.json").is_file():
        raise BuildError(f"{pyodide}: the Pyodide runtime is not installed; run 'npm ci' (make site does)")
    return json.loads((pyodide / "package.json").read_text())["version"]


def copy_runtime(out, pyodide):
    """Copy the pinned runtime to pyodide/<version>-<hash>/; return that path.

    The version is for people; the hash of the files is what makes the name
    change whenever a byte does (a re-published or patched package)."""
    version = pyodide_version(pyodide)
    work = out / RUNTIME_DIR / f"{version}.copying"
    work.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(pyodide / name, work / name)
    # mtime=0: the same runtime always gives the same bytes (the folder is immutable)
    wasm = (pyodide / "pyodide.asm.wasm").read_bytes()
    (work / GZIPPED_WASM).write_bytes(gzip.compress(wasm, compresslevel=9, mtime=0))
    # Hashed after every file is in, the gzipped wasm too.
    name = f"{version}-{folder_hash(work)}"
    work.rename(out / RUNTIME_DIR / name)
    return f"{RUNTIME_DIR}/{name}/"


# --- the calc wheel, registered in a lock file by its sha256

def project_name(project):
    return tomllib.loads((project / "pyproject.toml").read_text())["project"]["name"]


def project_version(project):
    """The version pyproject.toml gives: the one place it is written."""
    return tomllib.loads((project / "pyproject.toml").read_text())["project"]["version"]


# Every wheel entry's date: zip dates start in 1980. setuptools dates entries
# from SOURCE_DATE_EPOCH when it is set, and from the files' times otherwise.
WHEEL_EPOCH = "315532800"


def wheel_pyproject(project):
    """The pyproject.toml the wheel is built from: only what the package is
    (name, version, licence, Python) and which files go in it, taken from the
    project's own. The rest (description, extras, scripts) would go into the
    wheel's metadata too, so an edit to a test dependency would give calc and
    the boot snapshot new addresses, and every reader would download both again."""
    config = tomllib.loads((project / "pyproject.toml").read_text())
    meta, files = config["project"], config["tool"]["setuptools"]
    text = json.dumps  # a JSON string or list of strings is a TOML one too
    lines = ["[build-system]", 'requires = ["setuptools"]', 'build-backend = "setuptools.build_meta"', "",
             "[project]"]
    lines += [f"{key} = {text(meta[key])}" for key in ("name", "version", "requires-python", "license") if key in meta]
    lines += ["", "[tool.setuptools]", f"packages = {text(files['packages'])}", "",
              "[tool.setuptools.package-data]"]
    lines += [f"{text(package)} = {text(patterns)}" for package, patterns in files.get("package-data", {}).items()]
    return "\n".join(lines) + "\n"


def pinned_setuptools(project):
    """The setuptools version constraints.txt pins (it names the builder in the wheel)."""
    for line in (project / "constraints.txt").read_text().splitlines():
        if line.strip().lower().startswith("setuptools=="):
            return line.split("==", 1)[1].split("#")[0].strip()
    raise BuildError("constraints.txt pins no setuptools version: calc's wheel is built with it")


def build_wheel(project):
    """calc's wheel, built by pip with setuptools, reproducibly: the same sources
    give the same bytes and sha256 on any machine. Returns (file name, bytes).

    It is built in a temporary folder, from a copy of the package folder and
    wheel_pyproject(), so the build writes nothing into the checkout and two
    builds at once cannot meet. The copy's files are made 644 and the build
    runs under umask 022 (setuptools records each file's mode, and a
    checkout's depends on the machine's umask), with SOURCE_DATE_EPOCH for the
    entries' dates. It is made by the setuptools pinned in constraints.txt
    (its version is written into the wheel), offline (no index, no build
    isolation), and pip and setuptools read no settings from the environment."""
    name = project_name(project)
    pinned = pinned_setuptools(project)
    try:
        installed = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != pinned:
        raise BuildError(f"calc's wheel is built with setuptools {pinned} (constraints.txt), and this Python "
                         f"({sys.executable}) has {installed or 'none'}: run the build with the project's "
                         ".venv (make site or make serve install it)")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "SETUPTOOLS_"))}
    with tempfile.TemporaryDirectory() as work:
        source, wheels = Path(work, "source"), Path(work, "wheels")
        shutil.copytree(project / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (source / "pyproject.toml").write_text(wheel_pyproject(project))
        for path in source.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        built = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--isolated", "--quiet", "--disable-pip-version-check",
             "--no-index", "--no-deps", "--no-build-isolation", "--wheel-dir", str(wheels), str(source)],
            capture_output=True, text=True, env={**env, "SOURCE_DATE_EPOCH": WHEEL_EPOCH},
            umask=0o022)  # the files the build writes (METADATA, ...) get their mode from it
        if built.returncode != 0:
            raise BuildError(f"pip could not build the {name} wheel:\n{built.stdout}{built.stderr}")
        (wheel,) = wheels.glob("*.whl")
        return wheel.name, wheel.read_bytes()


def write_calc_bundle(out, pyodide, project, version, name, wheel, stdlib):
    """Write the wheel, its lock file and the trimmed standard library under
    calc/<hash>/, the hash covering the wheel and the stdlib; return the lock's path."""
    sha256 = hashlib.sha256(wheel).hexdigest()
    upstream = json.loads((pyodide / "pyodide-lock.json").read_text())
    package = project_name(project)
    lock = {
        # The runtime checks "info" against itself; only calc is listed, so nothing
        # can be fetched from anywhere but this folder.
        "info": upstream["info"],
        "packages": {
            package: {
                "name": package, "version": version, "file_name": name,
                "install_dir": "site", "sha256": sha256, "package_type": "package",
                "imports": [package], "depends": [], "unvendored_tests": False, "tool": {},
            }
        },
    }
    # Named after all three files: the lock also carries the runtime's "info", so a
    # new runtime with the same wheel still gives a new folder, and a new trimmed
    # stdlib gives one too.
    work = out / CALC_DIR / "writing"
    work.mkdir(parents=True)
    (work / name).write_bytes(wheel)
    (work / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    # Beside the lock, so the worker finds it from the lock's URL.
    (work / "python_stdlib.zip").write_bytes(stdlib)
    folder = out / CALC_DIR / folder_hash(work)
    work.rename(folder)
    return f"{CALC_DIR}/{folder.name}/pyodide-lock.json"


# --- built with the runtime in Node: the stdlib calc needs, and a memory snapshot

def trimmed_stdlib(full_zip, compiled):
    """A standard library zip of only the modules calc uses, as .pyc files
    compiled by the runtime itself (`compiled`: {path: base64}), with the full
    zip's folder entries."""
    source = zipfile.ZipFile(full_zip)
    missing = {name[:-1] for name in compiled} - set(source.namelist())
    if missing:
        raise BuildError(f"trimming the standard library: not in the runtime's zip: {sorted(missing)}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as trimmed:
        for info in source.infolist():
            if info.is_dir():
                trimmed.writestr(info, b"")
        for name, data in sorted(compiled.items()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            trimmed.writestr(info, base64.b64decode(data), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


# The trace's own inputs, kept beside the script that runs them (not the tests'
# golden cases: a new test case must not change the published snapshot).
TRACE_INPUTS = Path(__file__).with_name("trace_inputs.json")


def trace_inputs(path=TRACE_INPUTS):
    """The inputs the trace runs, so that every stdlib module they reach is kept."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["inputs"]


def snapshot_key(version, wheel, inputs, script, trim=trimmed_stdlib):
    """The cache key of a trace and its snapshot: everything they are made from,
    the code that trims the stdlib included (an edit to it must not reuse a zip
    trimmed the old way). The Pages workflow keys its cache on the same files."""
    made_from = [version, hashlib.sha256(wheel).hexdigest(), inputs, inspect.getsource(trim)]
    return hashlib.sha256("|".join(made_from).encode() + b"|" + script).hexdigest()[:24]


def boot_files(pyodide, wheel_name_, wheel, script, cache):
    """(trimmed stdlib zip, gzipped snapshot, snapshot meta), made by `script` in Node.

    1. trace: the full runtime installs the wheel, imports calc and runs every
       input of trace_inputs.json; the stdlib modules it imported are kept, compiled to .pyc
       by the runtime, and the rest dropped (2.5 MB to 1.3 MB, docstrings dropped; as source
       0.8 MB, but then every boot compiles them, about 1.5 s of CPU).
    2. snapshot: the runtime boots on that trimmed stdlib (so calc is proven to
       import and run on it), imports calc, runs the probe, and saves its memory.
    A snapshot fits only the runtime that made it, so it is made here from the
    same pinned runtime the site serves. Making one is not byte-reproducible,
    so both are cached by their inputs: rebuilding unchanged sources reuses them.
    """
    inputs = json.dumps(trace_inputs(), sort_keys=True)
    cached = cache / snapshot_key(pyodide_version(pyodide), wheel, inputs, script.read_bytes())
    if not (cached / "meta.json").is_file():
        if not shutil.which("node"):
            raise BuildError("node: Node.js is needed to make the boot snapshot (make site installs it)")
        cached.mkdir(parents=True, exist_ok=True)
        runtime_dir = str(Path(pyodide).resolve())
        with tempfile.TemporaryDirectory() as work:
            wheel_path = Path(work) / wheel_name_
            wheel_path.write_bytes(wheel)
            (Path(work) / "inputs.json").write_text(inputs)
            compiled = json.loads(node(script, "trace", runtime_dir, wheel_path, Path(work) / "inputs.json"))
            (cached / "python_stdlib.zip").write_bytes(trimmed_stdlib(Path(pyodide) / "python_stdlib.zip", compiled))
            meta = node(script, "snapshot", runtime_dir, wheel_path, cached / "python_stdlib.zip",
                        cached / "snapshot.bin.gz")
        (cached / "meta.json").write_text(meta)
    return ((cached / "python_stdlib.zip").read_bytes(), (cached / "snapshot.bin.gz").read_bytes(),
            json.loads((cached / "meta.json").read_text()))


def node(script, *args):
    done = subprocess.run(["node", str(script), *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"{script} {args[0]}: failed:\n{done.stderr[-2000:]}")
    return done.stdout


def write_snapshot(out, data, meta):
    """Write snapshot/<hash>/ (the gzipped snapshot and its probe); return its paths."""
    digest = hashlib.sha256(data).digest()
    folder = out / SNAPSHOT_DIR / digest.hex()[:12]
    folder.mkdir(parents=True)
    (folder / "snapshot.bin.gz").write_bytes(data)
    (folder / "probe.json").write_text(json.dumps({"input": meta["probe_input"], "output": meta["probe_output"]}))
    rel = f"{SNAPSHOT_DIR}/{digest.hex()[:12]}/"
    return {
        "url": rel + "snapshot.bin.gz",
        "integrity": "sha256-" + base64.b64encode(digest).decode(),
        "probe": rel + "probe.json",
    }
