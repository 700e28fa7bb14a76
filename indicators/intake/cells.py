"""One cell's value, read as officials write it: numbers with separators, a percent sign
or a unit after them; dates in the forms Excel and people use; 街镇, indicators, periods
and status words by their names. Used by the checks of every kind, large or small.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from indicators import formulas, reference
from indicators.intake import periods
from indicators.intake.model import clean_text, compare_key, declaration, written_text

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# A number with a unit written after it in the cell: 3.2亿元, 1,234.5 tce, 12.5万吨标准煤.
NUMBER_AND_UNIT = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([^\d.].*)$")
# A date cell saved as a number (a CSV from Excel, a cell formatted as a number): days
# since Excel's epoch, read only in the range of years 1955 to 2119.
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_DATE = date(2000, 1, 1)  # dates in files: from this day to the end of next year
EXCEL_SERIALS = (20000, 80000)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


class CellError(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@cache
def _footnote_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The footnote marks of intake.yaml: one or more at the end of a cell, and one inside."""
    spec = declaration()["footnote_marks"]
    one = "|".join(f"(?:{p})" for p in spec["after"])
    return re.compile(rf"(?:{one})(?:\s*(?:{one}))*\s*$"), re.compile(spec["inside"])


# Marks are looked for in a cell's last characters only: a search from every position of
# a long cell of marks or spaces would take time growing with the square of its length.
MARKS_TAIL = 32


def footnote(value: Any) -> tuple[Any, str | None]:
    """A figure's cell without the footnote marks after it (49,321① -> 49,321, ①), read on
    the text as written, before any normalisation turns ① or ² into a digit. Returns the
    cell without its marks and the marks as written (None: there were none). A mark inside
    the figure (49①321), or a cell of marks alone, is refused."""
    if not isinstance(value, str):
        return value, None
    text = written_text(value)
    trailing, inside = _footnote_patterns()
    found = trailing.search(text, max(0, len(text) - MARKS_TAIL))
    rest, marks = (text[: found.start()].rstrip(), found[0].strip()) if found else (text, None)
    if marks is not None and not re.search(r"[0-9\uff10-\uff19]", rest):  # ASCII, full-width
        raise CellError("not_a_number")  # ① alone, or a whole (12): no figure to mark
    if inside.search(rest):
        raise CellError("footnote_inside")
    if (false := _false_digit(rest)) is not None:
        raise CellError("digit_lookalike", char=false)
    return (rest if marks else value), marks


_FULL_WIDTH_DIGIT = re.compile(r"[\uff10-\uff19]")  # a digit as written, read as ASCII


def _false_digit(text: str) -> str | None:
    """The first character of a figure that is no digit as written but that NFKC reads as
    one (a subscript ₁, 🄂, a bold 𝟏), which would become a digit of the figure; a
    power or subscript straight after a Latin letter is a unit's (m³, tCO₂)."""
    for i, c in enumerate(text):
        if (
            c.isascii()
            or _FULL_WIDTH_DIGIT.fullmatch(c)
            or (i and text[i - 1].isascii() and text[i - 1].isalpha())
        ):
            continue
        if any(d.isdigit() for d in unicodedata.normalize("NFKC", c)):
            return c
    return None


def has_mark(value: Any) -> bool:
    """Whether a cell holds a footnote mark anywhere: a message then shows it as written
    (cleaned, ① would read as 1)."""
    if not isinstance(value, str):
        return False
    trailing, inside = _footnote_patterns()
    text = written_text(value)
    return bool(inside.search(text) or trailing.search(text, max(0, len(text) - MARKS_TAIL)))


def footnote_free(text: Any) -> Any:
    """A header, title or label without footnote marks (能源消费量① -> 能源消费量, 2024年² ->
    2024年, 虹桥街道① -> 虹桥街道): a mark is never read as a digit of a year or of a name."""
    if not isinstance(text, str):
        return text
    written = written_text(text)
    found = _footnote_patterns()[0].search(written, max(0, len(written) - MARKS_TAIL))
    if found and found.start():
        written = written[: found.start()].rstrip()
    return _header_marks().sub("", written) or text


@cache
def _header_marks() -> re.Pattern:
    return re.compile(declaration()["footnote_marks"]["in_headers"])


def number(value: Any) -> tuple[float, str | None]:
    """A number from a cell: thousands separators, spaces, a trailing % or a unit allowed;
    footnote marks after it are taken off first (see `footnote`).
    Returns the number and what followed it: None, "%" or the unit as written."""
    if isinstance(value, bool):
        raise CellError("not_a_number")
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise CellError("not_a_number")
        if not math.isfinite(value):
            raise CellError("not_finite")
        return float(value), None
    value, _ = footnote(value)
    text = clean_text(value).replace(",", "").replace(" ", "")
    mark = None
    if text.endswith("%"):
        text, mark = text[:-1], "%"
    elif not NUMBER.match(text) and (with_unit := NUMBER_AND_UNIT.match(text)):
        text, mark = with_unit[1], with_unit[2]
        # 12.5万 says how many but not of what (万吨标准煤? 万元 in a 万元 column?)
        if mark.casefold() in declaration()["bare_multipliers"]:
            raise CellError("bare_multiplier")
    if not NUMBER.match(text):
        raise CellError("not_a_number")
    number = float(text)
    if not math.isfinite(number):  # 1e309 overflows to infinity
        raise CellError("not_finite")
    return number, mark


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if re.fullmatch(r"[0-9]{5}(\.0+)?", text):  # an Excel serial: 45838 is 2025-06-30
        serial = int(float(text))
        if EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
            return EXCEL_EPOCH + timedelta(days=serial)
    for pattern in declaration()["date_patterns"]:  # e.g. 2025年6月30日
        m = re.match(pattern, text)
        if m:
            text = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("not_a_date")


def word(value: Any, words: dict[str, str], key: str) -> str:
    text = compare_key(value)
    for word, code in words.items():
        if text == str(word).casefold():
            return code
    raise CellError(key)


def unit_factor(unit_text: str, target_unit: str, extra: dict | None = None) -> float:
    """The factor that turns a value in `unit_text` into `target_unit`; `extra` are units
    one column reads besides (its `header_units`: 吨 under 年节约标煤 is 吨标准煤)."""
    key = compare_key(unit_text)
    for name, factor in {**declaration()["units"].get(target_unit, {}), **(extra or {})}.items():
        if key == "".join(str(name).split()).casefold():
            return float(factor)
    raise CellError("unit_no_convert", target=target_unit)


def parse_cell(col: dict, value: Any) -> Any:
    kind = col["type"]
    if kind in ("number", "integer"):  # marks off before any normalisation: ① is no 1
        value, _ = footnote(value)
    elif kind in ("scope", "department", "indicator"):  # 虹桥街道①, 能源消费总量*: the name
        value = footnote_free(value)
    text = clean_text(value)
    if text == "":
        return None
    # Text loses the apostrophe that quotes a formula (our downloads and Excel put it
    # there: see formulas.unquote), so a table downloaded and uploaded stores what it held.
    if kind == "free_text":
        return formulas.unquote(written_text(value))
    if kind == "text":
        return formulas.unquote(text)
    if kind == "number":
        return number(value)
    if kind == "integer":
        suffix = declaration()["year_suffix"]
        whole, mark = number(text.removesuffix(suffix) if isinstance(value, str) else value)
        if not whole.is_integer() or mark not in (None, "%"):
            raise CellError("not_an_integer")
        return int(whole)
    if kind == "date":
        day = parse_date(value)
        last = date(date.today().year + 1, 12, 31)
        if not FIRST_DATE <= day <= last:  # 1900-01-01 or 2099: a slip, not a date of ours
            raise CellError(
                "date_out_of_range", first=FIRST_DATE.isoformat(), last=last.isoformat()
            )
        return day
    if kind == "scope":
        code = reference.resolve_scope(text) or reference.scope_in_text(text)
        if code is None:
            raise CellError("unknown_scope")
        return code
    if kind == "department":
        code = reference.resolve_department(text)
        if code is None:
            raise CellError("unknown_department")
        return code
    if kind == "plan":
        from indicators.domain import fiveyear

        found = fiveyear.plan(text)
        if found is None:
            raise CellError("unknown_plan")
        return found["id"]
    if kind == "indicator":
        code = reference.resolve_indicator(text)
        if code is None:
            raise CellError("unknown_indicator")
        return code
    if kind == "period":
        try:
            return periods.parse_period(text)[0]
        except periods.PeriodError as err:
            raise CellError(err.key, suggest=err.suggest) from None
    if kind == "status":
        return word(value, declaration()["status_words"], "bad_status")
    if kind == "kind":
        return word(value, declaration()["kind_words"], "bad_kind")
    if kind == "progress":
        return word(value, declaration()["progress_words"], "bad_progress")
    if kind == "cadence":
        return word(value, declaration()["cadence_words"], "bad_cadence")
    if kind == "stage":
        return word(value, declaration()["stage_words"], "bad_stage")
    if kind == "unit":
        return text
    raise ValueError(kind)


# ASCII digits only: \d would take full-width digits, which clean_text turns into ASCII
# on the one-cell path.
PLAIN_NUMBER = r"[+-]?[0-9]+(\.[0-9]+)?"


def parse_column(col: dict, values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """A whole column parsed by its declared type: the values, each cell's error
    (key, params) or None, what followed a number (None, "%" or a unit), and the footnote
    marks taken off a number (None, or the marks as written: see `footnote`).

    Each distinct cell is parsed once, with the same rules as one cell (parse_cell): a file
    repeats its 街镇, years, indicators and units on every row. Plain numbers, the bulk of
    a value column, are read in one vectorised step.
    """
    n = len(values)
    parsed = np.full(n, None, dtype=object)
    errors = np.full(n, None, dtype=object)
    marks = np.full(n, None, dtype=object)
    footnotes = np.full(n, None, dtype=object)
    todo = values.notna().to_numpy()
    if col["type"] == "number":
        text = values.astype("string")
        plain = text.str.fullmatch(PLAIN_NUMBER).fillna(False).astype(bool).to_numpy()
        if values.dtype == object:  # True and False are not numbers
            plain = plain & ~values.map(lambda v: isinstance(v, bool)).to_numpy(dtype=bool)
        parsed[plain] = pd.to_numeric(text[plain]).astype(float).to_numpy()
        todo = todo & ~plain
    codes, uniques = pd.factorize(values[todo])
    if len(uniques):
        results = np.empty(len(uniques), dtype=object)
        failures = np.empty(len(uniques), dtype=object)
        signs = np.empty(len(uniques), dtype=object)
        notes = np.empty(len(uniques), dtype=object)
        for i, value in enumerate(uniques):
            try:
                result = parse_cell(col, value)
            except CellError as err:
                failures[i] = (err.key, err.params)
                continue
            if col["type"] == "number" and result is not None:
                result, signs[i] = result
            if col["type"] in ("number", "integer"):
                notes[i] = footnote(value)[1]
            results[i] = result
        parsed[todo] = results.take(codes)
        errors[todo] = failures.take(codes)
        marks[todo] = signs.take(codes)
        footnotes[todo] = notes.take(codes)
    return tuple(
        pd.Series(a, index=values.index, dtype=object) for a in (parsed, errors, marks, footnotes)
    )


@cache
def unit_words() -> frozenset[str]:
    """Every unit word a file may use, for any column: the catalogue's and the meters'."""
    words = {compare_key(w) for units in declaration()["units"].values() for w in units}
    for kind in reference.energy_types().values():
        words |= {compare_key(u) for u in kind.get("units", {})}
    return frozenset(words - {""})
