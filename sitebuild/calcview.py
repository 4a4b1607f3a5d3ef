"""calc's data as the templates show it: the form's sections, the points table,
the score's levels, the labels the page script needs.

This is the one module of the build that knows how calc arranges its data
(calc.score's factors, bands and category edges). When calc offers these as a
public presentation API, this module becomes a thin adapter to it and nothing
else in the build changes: the templates see only the names returned here.
"""

import json

import calc
from calc import score as calc_score
from calc.text import fmt


def template_globals():
    """Every name the templates use from calc, computed once per build."""
    rows = points_rows()
    return {
        "calc": calculator_view(rows),
        "points_rows": rows,
        "levels_text": levels_text(),
        "score_cap": calc_score.SCORE_CAP,
        "qfracture_disclaimer": calc.QFRACTURE_DISCLAIMER,
        "fmt_number": fmt,
    }


def calculator_view(rows):
    """What the calculator partial needs: the form's sections and fields, each
    factor's bar maximum, and the labels calculator.js shows."""
    sections = []
    for section in calc.SECTIONS:
        fields = [f for f in calc.FIELDS if f.section == section.key and not f.unit_of]
        sections.append({"section": section, "fields": fields})
    # each factor's bar is scaled to the most points it can give
    factors = [{"factor": item["factor"], "max": max(points for _, points in item["rows"])} for item in rows]
    labels = {"categories": calc.CATEGORY_LABELS}
    return {
        "sections": sections,
        "fields": calc.FIELDS_BY_KEY,
        "factors": factors,
        # "<" escaped so the JSON can never close its <script> element
        "labels_json": json.dumps(labels, separators=(",", ":")).replace("<", "\\u003c"),
        "disclaimer": calc.QFRACTURE_DISCLAIMER,
    }


def points_rows():
    """Each factor of the score with its (what counts, points) rows, in calc's order."""
    rows = []
    for factor in calc.FACTORS:
        if factor.kind == "bands":
            pairs = [(band.label, band.points) for band in factor.bands]
        elif factor.kind == "choice":
            pairs = [(label, points) for _, points, label in factor.choices]
        else:
            names = [calc.FIELDS_BY_KEY[key].label for key in factor.flags]
            label = " or ".join(names) + (" (counted once)" if len(names) > 1 else "")
            pairs = [(label, factor.points)]
        rows.append({"factor": factor, "rows": pairs})
    return rows


def levels_text():
    """'under 20 low; 20 to 39 moderate; ...' from calc's category edges."""
    parts, low = [], 0
    for below, name in calc_score.CATEGORIES:
        label = calc.CATEGORY_LABELS[name].lower()
        if low == 0:
            parts.append(f"under {below} {label}")
        elif below == calc_score.INF:
            parts.append(f"{low} and over {label}")
        else:
            parts.append(f"{low} to {below - 1} {label}")
        low = below
    return "; ".join(parts)
