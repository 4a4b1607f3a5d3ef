"""calc's data as the templates show it: a thin adapter to calc's presentation
API (calc.view), so the templates see only the names returned here."""

import json

import calc
from calc import view


def template_globals():
    """Every name the templates use from calc, computed once per build."""
    table = view.points_table()
    return {
        "calc": calculator_view(table),
        "points_rows": table,
        "levels_text": view.levels_text(),
        "score_cap": view.SCORE_CAP,
        "qfracture_disclaimer": calc.QFRACTURE_DISCLAIMER,
    }


def calculator_view(table):
    """What the calculator partial needs: the form, each factor's bar maximum,
    and the labels calculator.js shows (all from calc)."""
    # the yes/no words calc reads, so a shared link's "no" never ticks a box
    labels = {"levels": view.LEVEL_LABELS, "next_steps": view.NEXT_STEPS,
              "true_words": view.YES_NO_WORDS["true"], "false_words": view.YES_NO_WORDS["false"]}
    return {
        "sections": view.form(),
        "fields": calc.FIELDS_BY_KEY,
        "factors": table,
        # "<" escaped so the JSON can never close its <script> element
        "labels_json": json.dumps(labels, separators=(",", ":")).replace("<", "\\u003c"),
        "text": view.RESULT_TEXT,
    }
