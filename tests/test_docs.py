"""docs/model.md is the spec: its tables are calc's data, and it is complete on its own."""

import re
import subprocess
import sys
from pathlib import Path

import calc

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def test_the_tables_in_docs_model_md_are_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "model_tables.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_field_factor_and_code_is_in_the_spec():
    for f in calc.FIELDS:
        assert f"`{f.key}`" in DOC, f.key
    for factor in calc.FACTORS:
        assert f"`{factor.key}`" in DOC, factor.key
    for code in ("fracture_risk_assessment", "dxa_scan", "validated_tools_higher", "validated_tools_lower",
                 "check_units", "imprecise_", "not_answered", "stop_smoking", "less_alcohol",
                 "more_exercise", "`all`", "typical"):
        assert code in DOC, code


def test_the_spec_does_not_send_readers_outside_the_repository():
    # complete on its own: no pointer to the shared folder's MODEL.md
    assert "MODEL.md" not in DOC and "../shared" not in DOC
    for path in ROOT.glob("calc/**/*.py"):
        assert "MODEL.md" not in path.read_text(), path


def test_every_source_has_a_link():
    sources = DOC.split("## Sources", 1)[1]
    entries = [line for line in sources.splitlines() if line.startswith("- ")]
    assert len(entries) >= 10
    for entry in entries:
        assert re.search(r"https://", entry), entry


def test_the_version_is_written_once_in_pyproject():
    import tomllib
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert calc.__version__ == version
    # the spec states which calc it specifies, and it is this one
    assert f"`calc` {version}" in DOC
    assert "__version__ =" not in (ROOT / "calc" / "__init__.py").read_text().replace("__version__ = _version()", "")
