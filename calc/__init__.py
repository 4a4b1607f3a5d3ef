"""calc: the bone health calculator's scoring package (pure Python, no dependencies).

    import calc
    calc.assess({"age": 67, "sex": "female", "weight": 58})
    calc.assess_json('{"age": 67}')      # JSON text in and out: the browser's glue

This package is the only scoring code: the website runs it in the browser
through Pyodide. docs/model.md is its specification.
"""

from .core import assess, assess_json
from .fields import FIELDS, FIELDS_BY_KEY, SECTIONS, schema
from .parse import ValidationError
from .qfracture import DISCLAIMER as QFRACTURE_DISCLAIMER
from .score import CATEGORY_LABELS, FACTORS


def _version():
    """The version pyproject.toml gives, as installed; one place for it."""
    try:
        from importlib.metadata import version
        return version("calc")
    except Exception:  # noqa: BLE001 - not installed (a bare source tree)
        return "0+unknown"


__version__ = _version()

__all__ = [
    "assess", "assess_json", "ValidationError", "FIELDS", "FIELDS_BY_KEY", "SECTIONS", "schema",
    "FACTORS", "CATEGORY_LABELS", "QFRACTURE_DISCLAIMER", "__version__",
]
