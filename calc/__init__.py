"""calc: the bone health calculator's scoring package (pure Python, no dependencies).

    import calc
    calc.assess({"age": 67, "sex": "female", "weight_kg": 58})

This package is the only scoring code: the website runs it in the browser
through Pyodide. See MODEL.md (the contract) and docs/model.md.
"""

from .core import assess
from .fields import FIELDS, FIELDS_BY_KEY, SECTIONS, schema
from .parse import ValidationError
from .qfracture import DISCLAIMER as QFRACTURE_DISCLAIMER
from .score import CATEGORY_LABELS, FACTORS

__version__ = "1.0.0"

__all__ = [
    "assess", "ValidationError", "FIELDS", "FIELDS_BY_KEY", "SECTIONS", "schema",
    "FACTORS", "CATEGORY_LABELS", "QFRACTURE_DISCLAIMER", "__version__",
]
