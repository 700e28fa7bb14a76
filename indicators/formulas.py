"""Text that a spreadsheet would run as a formula, made harmless wherever a table leaves
the app: our CSV and XLSX downloads, the CSV the command line prints, and the tables shown
on pages (whose own toolbar downloads CSV and whose cells copy into Excel).

The quoting is Excel's own: an apostrophe before the text. It is a mark, not content: the
intake takes it off again (`unquote`), so a table downloaded, edited and uploaded, or a
grid saved, stores the text as it was typed."""

from __future__ import annotations

import re

import pandas as pd

# A text cell that starts with one of these is a formula to Excel: neutralise it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-1,234.5", "+3.2%") is read as a number, never run: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?%?")


def is_formula(value: object) -> bool:
    """Whether a spreadsheet would run `value` as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def harmless(value: object) -> object:
    return "'" + value if is_formula(value) else value


def unquote(text: str) -> str:
    """The text a quoted cell stands for: the apostrophe `harmless` (or Excel) put before
    a formula taken off; any other text as it is. (A leading apostrophe before = + - @ is
    therefore never stored: as in Excel, it only says "this is text".)"""
    return text[1:] if text.startswith("'") and is_formula(text[1:]) else text


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would run as formulas get a leading apostrophe; numbers and
    other cells stay exactly as they are, and every column keeps its type (a text column
    with no text in it stays a text column)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = pd.Series(
                [harmless(v) for v in values], index=out.index, dtype=values.dtype
            )
    return out


def table_csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text with no live formula: what the pages' downloads and the command
    line's `--format csv` both write."""
    return neutralise(frame).to_csv(index=False, lineterminator="\n")
