"""Reading recipes (读取模板): a wide table's confirmed reading, kept by name and keyed on
the table's header shape (layout.Reading.shape), so next month's file of that shape is
read the same way with no questions.

A recipe keeps what the editor chose for each column — read or not, which indicator, this
year or the previous, the unit — by the column's header shape (9月 and 10月 are one
shape). It never keeps a year or a period: those come from each file's own title and
headers, and where a file gives none the editor is asked again. A figure is never loaded
under last month's date.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from indicators import db
from indicators.intake.layout import Reading

# What a recipe sets on a column; the rest (month, year, period) is read from the header.
CHOICES = ("role", "indicator", "previous", "unit", "sign", "reason")


def body(reading: Reading) -> dict[str, Any]:
    """What a recipe keeps of a reading."""
    columns = {}
    for col in reading.columns:
        columns.setdefault(col.signature, {k: getattr(col, k) for k in CHOICES})
    return {"kind": reading.kind, "label": reading.label_header, "columns": columns}


def apply(reading: Reading, name: str, kept: dict[str, Any]) -> Reading:
    """`reading` with the choices of the recipe `name`; a column the recipe does not know
    keeps its proposed reading."""
    out = Reading.from_dict(reading.to_dict())
    for col in out.columns:
        chosen = kept["columns"].get(col.signature)
        if chosen:
            for key in CHOICES:
                setattr(col, key, chosen[key])
    out.recipe = name
    return out


def save(name: str, reading: Reading, editor: str) -> None:
    params = {
        "name": name,
        "shape": reading.shape,
        "kind": reading.kind,
        "body": json.dumps(body(reading), ensure_ascii=False),
        "editor": editor,
    }
    db.write(lambda con: db.run(con, "recipes/save", params), mart=False)


def for_shape(shape: str) -> tuple[str, dict[str, Any]] | None:
    """The recipe saved last for this header shape: (name, what it keeps)."""
    found = db.read("recipes/by_shape", {"shape": shape})
    if found.empty:
        return None
    return str(found.at[0, "name"]), json.loads(found.at[0, "body"])


def named(name: str) -> dict[str, Any] | None:
    """A recipe by name: its shape, kind, editor, time and what it keeps; None if none."""
    found = db.read("recipes/by_name", {"name": name})
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    row["body"] = json.loads(row["body"])
    return row


def listing() -> pd.DataFrame:
    return db.read("recipes/all")


def remove(name: str) -> bool:
    if named(name) is None:
        return False
    db.write(lambda con: db.run(con, "recipes/remove", {"name": name}), mart=False)
    return True


def settle(reading: Reading, recipe: str | None = None) -> tuple[Reading, str | None]:
    """The reading to use: the named recipe's, else the recipe saved for this shape, else
    the proposal. Returns it and why a named recipe cannot be used (a message key)."""
    if recipe is not None:
        kept = named(recipe)
        if kept is None:
            return reading, "recipe_unknown"
        if kept["shape"] != reading.shape:
            return reading, "recipe_other_shape"
        return apply(reading, recipe, kept["body"]), None
    found = for_shape(reading.shape)
    if found is None:
        return reading, None
    return apply(reading, *found), None
