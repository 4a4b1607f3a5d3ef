"""Numbers as people write them, identically on CPython and in Pyodide."""


def fmt(x, decimals=2):
    """1000, 12.5, 0.25: at most `decimals` decimals, no exponent, no trailing zeros."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
