"""Reading uploaded files as officials keep them: CSV saved by Chinese Excel (GBK) or
UTF-8, and .xlsx with title rows, merged cells and blank rows.

Bytes in, a table of raw cells out, each row carrying its row number as Excel shows it.
Nothing here raises on bad input: every problem comes back as a `Problem`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
EXTENSIONS = (".csv", ".xlsx")
HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: where (row as Excel shows it, column), what, why."""

    key: str  # message key under intake.*
    row: int | None = None
    column: str | None = None
    value: str = ""
    params: tuple[tuple[str, Any], ...] = ()


@dataclass
class RawTable:
    """The cells below the header, as text or the spreadsheet's own values."""

    kind: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # column id -> header as written
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (excel row, cells)
    summary_rows: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


@cache
def declaration() -> dict[str, Any]:
    return yaml.safe_load((HERE / "intake.yaml").read_text(encoding="utf-8"))


def kinds() -> list[str]:
    return list(declaration()["kinds"])


def clean_text(value: Any) -> str:
    """Full-width characters to their ASCII forms, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _header_key(text: Any) -> str:
    return "".join(clean_text(text).split()).casefold()


def _match_headers(cells: list[Any], kind: str) -> dict[int, str]:
    """Which cell holds which declared column (cell index -> column id)."""
    names = {}
    for col in declaration()["kinds"][kind]["columns"]:
        for h in col["headers"]:
            names[_header_key(h)] = col["id"]
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _header_key(cell)
        # A header may carry its unit in brackets: 金额（万元） -> 金额
        bare = key.split("(")[0]
        col_id = names.get(key) or names.get(bare)
        if col_id and col_id not in found.values():
            found[i] = col_id
    return found


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM) first, then GB18030, the superset of GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(data: bytes) -> tuple[list[tuple[int, list[Any]]], list[Problem]]:
    text = _decode(data)
    if text is None:
        return [], [Problem("bad_encoding")]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        return [], [Problem("bad_csv", value=str(exc))]
    return rows, []


def _xlsx_rows(
    data: bytes, sheet: str | None
) -> tuple[list[tuple[int, list[Any]]], list[Problem], list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        return [], [Problem("bad_xlsx", value=type(exc).__name__)], []
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        return [], [Problem("no_sheet", value=sheet, params=(("sheets", ", ".join(names)),))], names
    ws = book[sheet] if sheet else book[names[0]]
    # A merged range shows its value in every cell it covers, as the reader sees it.
    fills = {}
    for rng in ws.merged_cells.ranges:
        top_left = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                fills[(r, c)] = top_left
    rows = []
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [fills.get((r, c + 1), v) for c, v in enumerate(row)]
        rows.append((r, cells))
    return rows, [], names


def read_upload(
    data: bytes, filename: str, kind: str | None = None, sheet: str | None = None
) -> RawTable:
    """Read an uploaded file into raw rows under the declared columns of `kind` (or the
    kind whose headers it matches best)."""
    table = RawTable()
    limits = declaration()["limits"]
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        table.problems.append(Problem("bad_extension", value=suffix or filename))
        return table
    if not data.strip():
        table.problems.append(Problem("empty_file"))
        return table
    if len(data) > limits["max_bytes"]:
        table.problems.append(Problem("too_big", params=(("mb", limits["max_bytes"] // 2**20),)))
        return table
    if suffix == ".csv":
        if b"\x00" in data:
            table.problems.append(Problem("binary_file"))
            return table
        rows, problems = _csv_rows(data)
    else:
        rows, problems, table.sheet_names = _xlsx_rows(data, sheet)
    table.problems += problems
    if problems:
        return table
    _find_header(table, rows, kind)
    return table


def _find_header(table: RawTable, rows: list[tuple[int, list[Any]]], kind: str | None) -> None:
    candidates = [kind] if kind else kinds()
    best: tuple[int, int, str, dict[int, str]] | None = None  # (matches, -index, kind, map)
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        for k in candidates:
            found = _match_headers(cells, k)
            if len(found) >= 2 and (best is None or (len(found), -index) > best[:2]):
                best = (len(found), -index, k, found)
    if best is None:
        table.problems.append(Problem("no_header", params=(("kind", kind or ""),)))
        return
    _, neg_index, table.kind, found = best
    header_row = rows[-neg_index][1]
    table.headers = {col_id: clean_text(header_row[i]) for i, col_id in found.items()}
    decl = {c["id"]: c for c in declaration()["kinds"][table.kind]["columns"]}
    missing = [c for c, d in decl.items() if d.get("required") and c not in table.headers]
    for col_id in missing:
        table.problems.append(Problem("missing_column", column=decl[col_id]["headers"][0]))
    summary = declaration()["summary_words"]
    label_columns = [c for c in found.values() if decl[c]["type"] == "scope"] or [found[min(found)]]
    max_rows = declaration()["limits"]["max_rows"]
    for excel_row, cells in rows[-neg_index + 1 :]:
        values = {col_id: (cells[i] if i < len(cells) else None) for i, col_id in found.items()}
        if not any(clean_text(v) for v in values.values()):
            continue  # a blank row
        # A summary row says 合计/总计/小计 where a 街镇 or the first column would be.
        labels = [clean_text(values[c]) for c in label_columns]
        if any(_header_key(word) in _header_key(text) for text in labels for word in summary):
            table.summary_rows.append(excel_row)
            continue
        table.rows.append((excel_row, values))
        if len(table.rows) > max_rows:
            table.problems.append(Problem("too_many_rows", params=(("n", max_rows),)))
            return
