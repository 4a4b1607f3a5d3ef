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


def test_the_wheel_and_lock_figures(built_site):
    folder = calc_folder(built_site)
    data = b"".join(p.read_bytes() for p in sorted(folder.glob("*.whl")) + [folder / "pyodide-lock.json"])
    row = r"\| calc wheel and lock \| (\d+) KB \| (\d+) KB \|"
    raw, gz = re.search(row, (DOCS / "runtime.md").read_text()).groups()
    # within 5%: calc's texts change often, and a kilobyte either way is not drift
    assert abs(int(raw) * 1000 / len(data) - 1) < 0.05, (raw, len(data))
    assert abs(int(gz) * 1000 / len(gzip.compress(data, 9)) - 1) < 0.05, (gz, len(data))


def test_the_offline_copy_figures(built_site):
    files = [p for p in built_site.rglob("*") if p.is_file()]
    runtime = sum(p.stat().st_size for p in files if p.relative_to(built_site).parts[0] in RUNTIME_FOLDERS)
    pages = sum(p.stat().st_size for p in files if p.relative_to(built_site).parts[0] not in RUNTIME_FOLDERS)
    hardening = DOCS / "hardening.md"
    assert figure(hardening, r"The calculator's runtime\*\* \(about (\d+) MB") == round(runtime / 1e6)
    assert figure(hardening, r"no room on the device for the calculator \(about (\d+) MB\)") == round(runtime / 1e6)
    assert figure(build.ROOT / "README.md", r"the Python runtime \(about (\d+) MB\)") == round(runtime / 1e6)
    assert figure(hardening, r"icon \(about (\d+\.\d) MB\)") == round(pages / 1e6, 1)
