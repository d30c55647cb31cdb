"""The demo content, read from the TOML files in ``demo/data``.

The files hold plain data that a city official can edit: keys are the model
field names, ``slug`` is the natural key, ``field`` names a field of action by
slug, ``projects`` and ``options`` name projects and measures by slug. Long
texts are hard-wrapped in the files; ``paragraphs`` joins the lines of each
paragraph, so the stored text has one paragraph per blank-line-separated block.
"""

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Texts written hard-wrapped in the files (and their English twins, key + "_en").
PROSE = {"summary", "description", "area_description", "text", "reason"}
# Amounts and coordinates are exact decimals in the database; TOML reads them as numbers.
DECIMALS = {"estimated_cost", "latitude", "longitude"}


@dataclass(frozen=True)
class Content:
    accounts: dict
    process: dict
    fields: list
    measures: list
    projects: list
    labs: list
    feedback: list
    history: list
    phases: list
    workshop: dict
    consultations: list


def paragraphs(text):
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)


def read(directory=DATA):
    """All demo content, as dicts of model field values."""

    def table(name):
        with open(directory / f"{name}.toml", "rb") as file:
            return tomllib.load(file)

    measures = [_item(item) for item in table("measures")["measure"]]
    for item in measures:
        item.setdefault("estimated_cost", None)  # left out in the file: no estimate yet
    workshop = table("workshop")
    return Content(
        accounts=table("accounts"),
        process=_item(table("process")),
        fields=[_item(item) for item in table("fields")["field"]],
        measures=measures,
        projects=[_item(item) for item in table("projects")["project"]],
        labs=[_item(item) for item in table("labs")["lab"]],
        feedback=[_item(item) for item in table("feedback")["feedback"]],
        history=[_item(item) for item in table("history")["step"]],
        phases=[_item(item) for item in table("phases")["phase"]],
        workshop={**workshop, "agenda": "\n".join(workshop["agenda"])},
        consultations=[_item(item) for item in table("consultations")["consultation"]],
    )


def _item(item):
    values = {}
    for key, value in item.items():
        if isinstance(value, dict):
            value = _item(value)  # e.g. a feedback's answer
        elif key.removesuffix("_en") in PROSE:
            value = paragraphs(value)
        elif key in DECIMALS:
            value = Decimal(str(value))
        values[key] = value
    return values
