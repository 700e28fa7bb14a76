"""What the intake passes between its steps: the raw table read from a file, the checked
rows, and each problem found (row, column, value, why); the declaration of every kind
(`indicators/reference/intake.yaml`).

Every step of the intake imports this module; this module imports none of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from indicators import reference

# Terminal escapes (\x1b[31m), control characters but tab and line breaks, and the
# bidirectional overrides that make text read other than it is: never kept from a file.
CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
# How far down a sheet its header (and a wide table's label column) is looked for.
HEADER_SCAN_ROWS = 30
# Kinds whose files can hold millions of rows: they are read into one Arrow table of raw
# cells and checked as a set (see readings.py), not cell by cell in Python.
BULK_KINDS = ("readings",)
# A workbook read as one file across its sheets (one sheet per 街镇): a row of sheet n
# (from 1) is numbered n * SHEET_ROWS + its row there, and said as "工作表 X 第5行".
SHEET_ROWS = 10_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: where (row as Excel shows it, column), what, why."""

    key: str  # message key under intake.*
    row: int | None = None
    column: str | None = None
    value: str = ""
    params: tuple[tuple[str, Any], ...] = ()
    sheet: str | None = None  # the sheet the row is on, where a file is read across sheets


def on_sheet(problem: Problem, sheets: list[str]) -> Problem:
    """A problem whose row is numbered across sheets (SHEET_ROWS), on its sheet's row."""
    if not sheets or problem.row is None or problem.row < SHEET_ROWS:
        return problem
    n, row = divmod(problem.row, SHEET_ROWS)
    return Problem(problem.key, row, problem.column, problem.value, problem.params, sheets[n - 1])


@dataclass
class RawTable:
    """The cells below the header, as text or the spreadsheet's own values."""

    kind: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # column id -> header as written
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (excel row, cells)
    summary_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    sheet: str | None = None  # the sheet read, in a workbook
    # The columns not read: (header as written, why: unknown | repeats a column read)
    unused_columns: list[tuple[str, str]] = field(default_factory=list)
    # A wide table: how it was read (layout.Reading), whether the editor must confirm it,
    # warnings that do not stop a load, and for the report the header each long row's
    # value came from ((row, value as written) -> header).
    reading: Any = None
    confirm: bool = False
    notes: list[Problem] = field(default_factory=list)
    origins: dict[tuple[int, str], str] = field(default_factory=dict)
    # Large files: the raw cells as text, a column per declared column id, plus excel_row
    # (read by Arrow instead of row by row into `rows`).
    cells: pa.Table | None = None
    # The sheet's first rows as read (HEADER_SCAN_ROWS), to set its reading by hand.
    head: list[tuple[int, list[Any]]] = field(default_factory=list)
    # A workbook read across its sheets: the sheets whose rows are numbered by SHEET_ROWS.
    row_sheets: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # each sheet's title, read across sheets

    def cell_frame(self) -> pd.DataFrame:
        """The raw cells as columns: excel_row and a column per declared column found."""
        if self.cells is not None:
            return self.cells.to_pandas()
        frame = pd.DataFrame.from_records(
            [cells for _, cells in self.rows], columns=list(self.headers)
        ).astype(object)
        frame.insert(0, "excel_row", [r for r, _ in self.rows])
        return frame


@dataclass
class Checked:
    kind: str
    frame: pd.DataFrame  # clean rows, with excel_row
    problems: list[Problem] = field(default_factory=list)
    summary_rows: list[int] = field(default_factory=list)
    unused_columns: list[tuple[str, str]] = field(default_factory=list)  # see RawTable
    sheet: str | None = None  # the sheet read, in a workbook
    sheet_names: list[str] = field(default_factory=list)
    # A group's total in the file that differs from its 街镇 in the same file:
    # (row, scope_code, total, sum of its 街镇). It loads (a reported figure wins); it is said.
    total_mismatches: list[tuple[int, str, float, float]] = field(default_factory=list)
    reading: Any = None  # see RawTable
    notes: list[Problem] = field(default_factory=list)
    # A meter export naming buildings only: the buildings the register does not place,
    # (name as written, rows), to be placed by the official before anything loads.
    unknown_buildings: list[tuple[str, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def declaration() -> dict[str, Any]:
    return reference.intake_declaration()


def kinds() -> list[str]:
    return list(declaration()["kinds"])


def compare_key(value: Any) -> str:
    """How the intake compares words (headers, units, names): full-width forms as ASCII,
    spaces and line breaks removed, case ignored."""
    return "".join(clean_text(value).split()).casefold()


def clean_text(value: Any) -> str:
    """Full-width characters to their ASCII forms, surrounding spaces removed: how a name,
    unit or code is read. Never what free text is stored as (see written_text)."""
    return CONTROL.sub("", unicodedata.normalize("NFKC", written_text(value))).strip()


def written_text(value: Any) -> str:
    """A cell's text as written (a free-text column stores this): only control characters
    and the spaces around it removed; full-width punctuation (，（）〔〕) stays."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL.sub("", str(value)).strip()
