"""Figures the docs give about the build (sizes, counts) are the build's own:
each is read from the text and compared with the built site, so none can drift
again when calc, the runtime or the trace changes."""

import gzip
import re
import zipfile

import build

DOCS = build.ROOT / "docs"
RUNTIME_FOLDERS = ("pyodide", "calc", "snapshot")


def figure(path, pattern):
    """The number `pattern`'s group matches in the file (exactly once)."""
    found = re.findall(pattern, path.read_text(encoding="utf-8"))
    assert len(found) == 1, (path.name, pattern, found)
    return float(found[0])


def near(path, pattern, value, within):
    """Each figure `pattern` matches in the file (at least one) is `value` give or take `within`."""
    found = [float(x) for x in re.findall(pattern, path.read_text(encoding="utf-8"))]
    assert found, (path.name, pattern)
    assert all(abs(x - value) < within for x in found), (path.name, pattern, found, value)


def calc_folder(site):
    (lock,) = site.glob("calc/*/pyodide-lock.json")
    return lock.parent


def test_the_trimmed_stdlib_figures(built_site):
    stdlib = calc_folder(built_site) / "python_stdlib.zip"
    modules = sum(1 for name in zipfile.ZipFile(stdlib).namelist() if name.endswith(".pyc"))
    assert figure(DOCS / "runtime.md", r"module that got imported \((\d+) of") == modules
    assert figure(DOCS / "performance.md", r"only the (\d+) modules the boot") == modules
    mb = round(stdlib.stat().st_size / 1e6, 1)
    assert figure(DOCS / "runtime.md", r"only those `\.pyc` files go into the trimmed zip\s+\((\d+\.\d) MB\)") == mb
    boot = build.SITE / "static" / "js" / "worker" / "boot.js"
    assert figure(boot, r"The standard library calc needs \((\d+\.\d) MB, compiled\)") == mb


def test_the_wheel_and_lock_figure(built_site):
    folder = calc_folder(built_site)
    data = b"".join(p.read_bytes() for p in sorted(folder.glob("*.whl")) + [folder / "pyodide-lock.json"])
    kb = figure(DOCS / "performance.md", r"\| calc as an integrity-checked wheel in the lock \| (\d+) KB")
    # within 5%: calc's texts change often, and a kilobyte either way is not drift
    assert abs(kb * 1000 / len(data) - 1) < 0.05, (kb, len(data))


def test_the_runtime_figures(built_site):
    (runtime,) = built_site.glob("pyodide/*/")
    stdlib = calc_folder(built_site) / "python_stdlib.zip"
    js = [runtime / "pyodide.asm.mjs", runtime / "pyodide.mjs"]
    raw = sum(p.stat().st_size for p in [runtime / "pyodide.asm.wasm", *js, stdlib])
    first_visit = (sum(len(gzip.compress(p.read_bytes(), 9)) for p in js)  # the host compresses JavaScript
                   + (runtime / "pyodide.asm.wasm.gz").stat().st_size + stdlib.stat().st_size)
    performance = DOCS / "performance.md"
    near(performance, r"and the trimmed stdlib \| (\d+\.\d) MB raw", raw / 1e6, 0.06)
    near(performance, r"a first visit downloads (\d+\.\d) MB of it", first_visit / 1e6, 0.06)
    # the runtime's own standard library, which the build trims
    full = (build.ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").stat().st_size / 1e6
    near(performance, r"1\.3 MB instead of (\d\.\d) MB", full, 0.06)
    near(performance, r"\(1\.3 MB, not (\d\.\d) MB\)", full, 0.06)
    near(DOCS / "runtime.md", r"own `python_stdlib\.zip` \((\d\.\d) MB\)", full, 0.06)
    near(build.SITE / "static" / "js" / "worker" / "boot.js", r"not the whole of it \((\d\.\d) MB\)", full, 0.06)


def test_the_snapshot_figures(built_site):
    # Snapshots are not byte-reproducible, so each build's differs a little: 0.1 MB either way is not drift.
    (snapshot,) = built_site.glob("snapshot/*/snapshot.bin.gz")
    gz = snapshot.stat().st_size / 1e6
    performance = DOCS / "performance.md"
    for pattern in [r"-(\d\.\d) MB \(the snapshot\)", r"snapshot on 4G, even at (\d\.\d) MB",
                    r"the (\d\.\d) MB snapshot", r"\*\*(\d\.\d) MB\*\* \(already gzipped",
                    r"On a \*first\* visit it pays when its (\d\.\d) MB"]:
        near(performance, pattern, gz, 0.1)
    near(build.SITE / "static" / "js" / "worker" / "boot.js", r"the snapshot \((\d\.\d) MB gzipped\)", gz, 0.1)
    # its sparse pages (docs/runtime.md): "PSP1", the memory's length, the page size, then the stored pages
    packed = gzip.decompress(snapshot.read_bytes())
    assert packed[:4] == b"PSP1"
    memory, page = int.from_bytes(packed[4:8], "little"), int.from_bytes(packed[8:12], "little")
    pages = -(-memory // page)
    stored = len(packed) - 12 - -(-pages // 8)  # less the header and the bitmap of one bit a page
    runtime = DOCS / "runtime.md"
    near(runtime, r"the interpreter's whole memory \((\d+\.\d) MB\)", memory / 1e6, 0.1)
    near(runtime, r"a boot unzips (\d+\.\d) MB instead of (?:\d+\.\d) MB", stored / 1e6, 0.1)
    near(runtime, r"a boot unzips (?:\d+\.\d) MB instead of (\d+\.\d) MB", memory / 1e6, 0.1)
    near(performance, r"\*\* \(already gzipped; (\d+\.\d) MB unzipped\)", memory / 1e6, 0.1)
    near(performance, r"non-zero pages \((\d+\.\d) of (?:\d+\.\d) MB", stored / 1e6, 0.1)
    near(performance, r"non-zero pages \((?:\d+\.\d) of (\d+\.\d) MB", memory / 1e6, 0.1)
    near(performance, r"so the worker unzips (\d+\.\d) MB", stored / 1e6, 0.1)


def test_the_offline_copy_figures(built_site):
    files = [p for p in built_site.rglob("*") if p.is_file()]
    runtime = sum(p.stat().st_size for p in files if p.relative_to(built_site).parts[0] in RUNTIME_FOLDERS)
    pages = sum(p.stat().st_size for p in files if p.relative_to(built_site).parts[0] not in RUNTIME_FOLDERS)
    hardening = DOCS / "hardening.md"
    assert figure(hardening, r"The calculator's runtime\*\* \(about (\d+) MB") == round(runtime / 1e6)
    assert figure(hardening, r"no room on the device for the calculator \(about (\d+) MB\)") == round(runtime / 1e6)
    assert figure(build.ROOT / "README.md", r"the Python runtime \(about (\d+) MB\)") == round(runtime / 1e6)
    assert figure(hardening, r"icon \(about (\d+\.\d) MB\)") == round(pages / 1e6, 1)
