"""Text that a spreadsheet would run as a formula, made harmless wherever a table leaves
the app: our CSV and XLSX downloads, and the tables shown on pages (whose own toolbar
downloads CSV and whose cells copy into Excel)."""

from __future__ import annotations

import re

import pandas as pd

# A text cell that starts with one of these is a formula to Excel: neutralise it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-1,234.5", "+3.2%") is read as a number, never run: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?%?")


def harmless(value: object) -> object:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would run as formulas get a leading apostrophe; numbers and
    other cells stay exactly as they are."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [harmless(v) for v in out[column]]
    return out
