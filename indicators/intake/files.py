"""Reading uploaded files as officials keep them: CSV saved by Chinese Excel (GBK) or
UTF-8, Excel's "Unicode text" (UTF-16, tab-separated .txt) and .tsv, and .xlsx or Excel
97-2003 .xls with title rows, merged cells and blank rows.

Bytes in, a table of raw cells out, each row carrying its row number as Excel shows it.
Nothing here raises on bad input: every problem comes back as a `Problem`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import threading
import zipfile
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache, reduce
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from indicators import reference
from indicators.intake import layout, periods
from indicators.intake.cells import footnote_free, unit_words
from indicators.intake.model import (
    BULK_KINDS,
    HEADER_SCAN_ROWS,
    SHEET_ROWS,
    Problem,
    RawTable,
    clean_text,
    compare_key,
    declaration,
    kinds,
)
from indicators.reference import i18n

EXTENSIONS = (".xlsx", ".xls", ".csv", ".txt", ".tsv", ".parquet")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
# How a file's first bytes say what it is, whatever its name: an .xlsx is a zip; an .xls
# is an OLE compound file; UTF-16 text starts with a byte-order mark (Excel's "Unicode text").
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The kinds a wide table can hold, and the columns a long one of them has that a wide one
# spreads over its headers (the indicator and figure; the year and amount).
WIDE_SPREAD = {
    "observations": {"indicator_id", "value"},
    "budget": {"year", "amount_10k_yuan"},
    "targets": {"indicator_id", "target_value"},
}


@cache
def _header_names(kind: str) -> dict[str, str]:
    """Every header a kind's columns go by (as compared), to its column id."""
    return {
        compare_key(h): col["id"]
        for col in declaration()["kinds"][kind]["columns"]
        for h in col["headers"]
    }


def _column_for(cell: Any, kind: str) -> str | None:
    """The declared column a header cell names, if any."""
    names = _header_names(kind)
    key = compare_key(footnote_free(cell))  # 数值① is 数值: a mark is no part of a name
    # A header may carry its unit in brackets: 金额（万元） -> 金额
    return names.get(key) or names.get(key.split("(")[0])


def _match_headers(cells: list[Any], kind: str) -> dict[int, str]:
    """Which cell holds which declared column (cell index -> column id)."""
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        col_id = _column_for(cell, kind)
        if col_id and col_id not in found.values():
            found[i] = col_id
    return found


def _decode(data: bytes) -> str | None:
    """UTF-16 when a byte-order mark says so (Excel's "Unicode text" save), else UTF-8
    (with or without a BOM) first, then GB18030, the superset of GBK. Only the mark decides
    UTF-16: without one, zero bytes mean a binary file."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")  # the mark says which byte order, and goes
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def decode(data: bytes) -> str | None:
    """A small text file's bytes as the intake reads a CSV's (None: not UTF-8 or GBK)."""
    return _decode(data)


def _sniff(text: str, delimiter: str | None = None) -> type[csv.Dialect] | csv.Dialect:
    if delimiter == "\t":  # a .tsv, or Excel's Unicode text: tabs, whatever the cells hold
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _delimiter(data: bytes, suffix: str) -> str | None:
    """The delimiter a text file's kind fixes: tabs in a .tsv and in Excel's "Unicode text"
    (a .txt in UTF-16 with a mark); None for a .csv or another .txt: sniffed."""
    unicode_text = suffix == ".txt" and data.startswith(UTF16_BOMS)
    return "\t" if suffix == ".tsv" or unicode_text else None


def _csv_rows(
    text: str, max_lines: int | None = None, delimiter: str | None = None
) -> tuple[list[tuple[int, list[Any]]], list[Problem]]:
    dialect = _sniff(text, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    starts = []  # the line each row starts on
    start = 1
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
            starts.append(start)
            if max_lines is not None and len(rows) >= max_lines:
                return rows, []
            start = reader.line_num + 1
    except csv.Error as exc:
        return [], [Problem("bad_csv", value=str(exc))]
    swallowed = _swallowing_row(rows, starts, text, dialect.delimiter)
    if swallowed is not None:
        return [], [Problem("unclosed_quote", row=swallowed)]
    return rows, []


def _swallowing_row(
    rows: list[tuple[int, list[Any]]], starts: list[int], text: str, delimiter: str
) -> int | None:
    """The line of a row whose stray quote swallowed the lines after it into one cell, if
    any: a cell over several lines holding a line shaped like a row (as many delimiters),
    or a quote never closed before the end of the file."""
    width = max((len(cells) for _, cells in rows[:HEADER_SCAN_ROWS]), default=0)
    for (end, cells), start in zip(rows, starts, strict=True):
        if end == start or width < 2:
            continue
        inner = (line for cell in cells for line in str(cell).split("\n")[1:])
        if any(line.count(delimiter) >= width - 1 for line in inner):
            return start
    if rows and "".join(text.splitlines(True)[starts[-1] - 1 :]).count('"') % 2:
        return starts[-1]
    return None


def _xlsx_rows(
    table: RawTable, data: bytes, sheet: str | None, kind: str | None
) -> tuple[list[tuple[int, list[Any]]], list[Problem]]:
    """The rows of the named sheet, or of the sheet whose header fits a kind best (a
    workbook often opens on a 填报说明 sheet); table.sheet says which was read."""
    from openpyxl import load_workbook

    if data.startswith(OLE_MAGIC):  # an .xls named .xlsx (or a password-protected .xlsx)
        return _xls_rows(table, data, sheet, kind)
    try:
        # A small .xlsx can hold a sheet that unpacks to gigabytes: look before opening it.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        cap = declaration()["limits"]["xlsx_max_unpacked_bytes"]
        if unpacked > cap:
            return [], [Problem("too_big_unpacked", params=(("mb", cap // 2**20),))]
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        return [], [Problem("bad_xlsx", value=type(exc).__name__)]
    return _pick_sheet(table, book.sheetnames, sheet, kind, lambda name: _sheet_rows(book[name]))


def _pick_sheet(
    table: RawTable, names: list[str], sheet: str | None, kind: str | None, rows_of
) -> tuple[list[tuple[int, list[Any]]], list[Problem]]:
    """The named sheet's rows, or the rows of the sheet whose header fits a kind best."""
    table.sheet_names = names
    if sheet is not None and sheet not in names:
        return [], [Problem("no_sheet", value=sheet, params=(("sheets", ", ".join(names)),))]
    if sheet is not None or len(names) == 1:
        table.sheet = sheet or names[0]
        return rows_of(table.sheet), []
    across = _sheets_by_scope(table, names, rows_of, kind)
    if across is not None:
        return across, []
    best: tuple[tuple[int, int, int], str, list] | None = None
    for n, name in enumerate(names):
        rows = rows_of(name)
        header = _best_header(rows, kind)
        # the most columns found, then a wide table's most 街镇 rows, then the first
        score = (header[0] if header else 0, layout.score(rows, kind), -n)
        if best is None or score > best[0]:
            best = (score, name, rows)
    assert best is not None
    table.sheet = best[1]
    return best[2], []


_STDERR = threading.Lock()


@contextmanager
def _quiet_stderr():
    """Nothing written to the process's stderr meanwhile: the Rust .xls reader prints a
    panic message there before a corrupt file comes back as an exception."""
    with _STDERR:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _xls_rows(
    table: RawTable, data: bytes, sheet: str | None, kind: str | None
) -> tuple[list[tuple[int, list[Any]]], list[Problem]]:
    """An Excel 97-2003 workbook (python-calamine), read as an .xlsx is: the named sheet or
    the best one, merged ranges filled, dates as datetimes, blank cells as None."""
    if data.startswith(ZIP_MAGIC):  # an .xlsx named .xls: its zip is checked as one
        return _xlsx_rows(table, data, sheet, kind)
    import python_calamine

    max_cells = declaration()["limits"]["xls_max_cells"]
    sheets: dict[str, list[tuple[int, list[Any]]]] = {}
    try:
        with _quiet_stderr():
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = [
                m.name
                for m in book.sheets_metadata
                if m.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
            for name in [sheet] if sheet in names else names:  # the named sheet alone
                ws = book.get_sheet_by_name(name)
                end = ws.end or (0, 0)
                if (end[0] + 1) * (end[1] + 1) > max_cells:
                    params = (("rows", end[0] + 1), ("columns", end[1] + 1), ("n", max_cells))
                    return [], [Problem("too_many_cells", value=name, params=params)]
                sheets[name] = _calamine_rows(ws)
    except BaseException as exc:  # a corrupt file panics the Rust reader (PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
            raise
        return [], [Problem("bad_xls", value=type(exc).__name__)]
    if not names:
        return [], [Problem("bad_xls", value="no worksheet")]
    return _pick_sheet(table, names, sheet, kind, sheets.__getitem__)


def _calamine_rows(ws) -> list[tuple[int, list[Any]]]:
    """A calamine sheet's rows as openpyxl gives an .xlsx's: from A1, a blank cell None, a
    date a datetime, and a merged range's value in every cell it covers."""
    rows = [
        [
            None
            if v == ""
            else datetime(v.year, v.month, v.day)
            if isinstance(v, date) and not isinstance(v, datetime)
            else v
            for v in row
        ]
        for row in ws.to_python(skip_empty_area=False)
    ]
    for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []:
        top_left = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        for r in range(r0, r1 + 1):
            while len(rows) <= r:
                rows.append([])
            row = rows[r]
            row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = top_left
    return [(r, cells) for r, cells in enumerate(rows, start=1)]


def _sheet_rows(ws) -> list[tuple[int, list[Any]]]:
    """A worksheet's rows as (row number, cells)."""
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
    return rows


def read_upload(
    data: bytes,
    filename: str,
    kind: str | None = None,
    sheet: str | None = None,
    reading: Any = None,
    scope: str | None = None,
    year: int | None = None,
    period: str | None = None,
) -> RawTable:
    """Read an uploaded file into raw rows under the declared columns of `kind` (or the
    kind whose headers it matches best). A wide table is read as `layout` proposes, or as
    `reading` says (the proposal as the editor confirmed or changed it, or a recipe).
    A long table's 街镇, year and period, where it has no column for them, come from
    `scope`, `year`, `period` (the editor's word for the whole file) or its context (see
    `_context`)."""
    table = RawTable()
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        table.problems.append(Problem("bad_extension", value=suffix or filename))
        return table
    if not data.strip():
        table.problems.append(Problem("empty_file"))
        return table
    if suffix == ".parquet":
        if _too_big(table, data, "readings_max_bytes"):
            return table
        _read_parquet(table, data)
        return table
    if suffix in TEXT_EXTENSIONS:
        # Zero bytes: a binary file, unless a byte-order mark says UTF-16 (checked first).
        if b"\x00" in data and not data.startswith(UTF16_BOMS):
            table.problems.append(Problem("binary_file"))
            return table
        text = _decode(data)
        if text is None:
            table.problems.append(Problem("bad_encoding"))
            return table
        if "\x00" in text:  # UTF-32, or a binary file that happens to start with a mark
            table.problems.append(Problem("binary_file"))
            return table
        delimiter = _delimiter(data, suffix)
        # Counting lines is cheap; parsing millions of rows only to refuse them is not.
        max_rows = declaration()["limits"]["csv_max_rows"]
        if text.count("\n") > max_rows + HEADER_SCAN_ROWS:
            table.problems.append(Problem("too_many_rows", params=(("n", max_rows),)))
            return table
        head, problems = _csv_rows(text, max_lines=HEADER_SCAN_ROWS, delimiter=delimiter)
        detected = None if problems else _detect_kind(head, kind)
        bulk = detected in BULK_KINDS
        if _too_big(table, data, "readings_max_bytes" if bulk else "csv_max_bytes"):
            return table
        # A large CSV comes from a system, not a hand: Arrow parses it, far faster than
        # reading it row by row (a ragged row is then reported rather than padded).
        if bulk or (detected and len(data) > declaration()["limits"]["bulk_csv_bytes"]):
            _read_bulk_csv(table, text, head, kind, delimiter)
            if not bulk and not table.problems:
                _drop_blank_and_summary_rows(table)
            return table
        rows, problems = _csv_rows(text, delimiter=delimiter)
    else:
        if _too_big(table, data, "max_bytes"):
            return table
        read = _xls_rows if suffix == ".xls" else _xlsx_rows
        rows, problems = read(table, data, sheet, kind)
    table.problems += problems
    if problems:
        return table
    table.head = rows[:HEADER_SCAN_ROWS]  # for a reading set by hand, if the guess fails
    if reading is not None or _may_be_wide(rows, kind):
        wide = reading or layout.propose(rows, kind)
        if wide is not None:
            _read_wide(table, rows, wide, confirm=reading is None)
            return table
    _find_header(table, rows, kind)
    if table.kind is not None and table.kind not in BULK_KINDS:
        _context(table, rows, scope, year, period)
    if table.kind in BULK_KINDS and not table.problems:
        _rows_to_cells(table)
    return table


def _may_be_wide(rows: list[tuple[int, list[Any]]], kind: str | None) -> bool:
    """Whether to look for a wide table: no long header, or one of indicator data or a
    budget without a column a wide table spreads over its headers (街镇 | 年度 | 能源消费量 …).
    A register that misses a column is a register, and is told which."""
    best = _best_header(rows, kind)
    if best is None:
        return True
    found, columns = set(best[3].values()), declaration()["kinds"][best[2]]["columns"]
    if all(c["id"] in found for c in columns if c.get("required")):
        return False
    return not WIDE_SPREAD.get(best[2], found) <= found


def _read_wide(
    table: RawTable, rows: list[tuple[int, list[Any]]], reading: Any, confirm: bool
) -> None:
    """A wide table as long rows under `reading`: what must still be chosen stops it."""
    table.kind = reading.kind
    table.reading = reading
    table.confirm = confirm
    long = layout.long_rows(reading, rows)
    table.headers = long.headers
    table.rows = long.rows
    table.summary_rows = long.summary_rows
    table.notes = long.notes
    table.origins = long.origins
    table.problems += reading.missing() + long.problems
    max_rows = declaration()["limits"]["max_rows"]
    if len(table.rows) > max_rows:
        table.problems.append(Problem("too_many_rows", params=(("n", max_rows),)))


def _too_big(table: RawTable, data: bytes, limit: str) -> bool:
    max_bytes = declaration()["limits"][limit]
    if len(data) > max_bytes:
        table.problems.append(Problem("too_big", params=(("mb", max_bytes // 2**20),)))
        return True
    return False


def _detect_kind(head: list[tuple[int, list[Any]]], kind: str | None) -> str | None:
    found = _best_header(head, kind)
    return found[2] if found else None


def _column_ids(kind: str) -> list[str]:
    return [c["id"] for c in declaration()["kinds"][kind]["columns"]]


# A column of units must be read or the file refused: values read without their unit can
# be off by 10,000 (万吨标准煤 read as tce). How many of its cells are looked at:
UNIT_SAMPLE = 200


def _account_for_columns(
    table: RawTable, header: list[Any], found: dict[int, str], samples: dict[int, list]
) -> None:
    """List the columns the reading leaves out, and refuse the file where one of them holds
    units (its header is a unit header, or most of its cells are unit words)."""
    unit_headers = {compare_key(w) for w in declaration()["unit_headers"]}
    units = unit_words() | unit_headers
    for i, cell in enumerate(header):
        name = clean_text(cell)
        if i in found or not name:
            continue
        repeats = _column_for(cell, str(table.kind))
        table.unused_columns.append((name, table.headers[repeats] if repeats else ""))
        values = [compare_key(v) for v in samples.get(i, []) if clean_text(v)]
        unit_values = [v for v in values if v in units]
        if compare_key(name) in unit_headers or (values and len(unit_values) * 2 > len(values)):
            example = clean_text(unit_values[0]) if unit_values else ""
            table.problems.append(Problem("unit_column_unused", column=name, value=example))


def _side_by_side(table: RawTable, header: list[Any]) -> bool:
    """Refuse a header that names the 街镇 column twice, or another declared column again
    after an empty one (街镇 … | | 街镇 …): two tables side by side, whose rows are not one
    another's; only the first would be read, the other dropped or read under its 街镇."""
    decl = {c["id"]: c for c in declaration()["kinds"][str(table.kind)]["columns"]}
    seen: dict[str, int] = {}
    for i, cell in enumerate(header):
        col_id = _column_for(cell, str(table.kind))
        if col_id is None:
            continue
        # a second 街镇 column, or a column named again after an empty one
        if col_id in seen and (
            decl[col_id]["type"] == "scope"
            or any(not clean_text(c) for c in header[seen[col_id] + 1 : i])
        ):
            first, again = layout.Column(seen[col_id], "").letter, layout.Column(i, "").letter
            table.problems.append(
                Problem(
                    "long_side_by_side",
                    column=clean_text(cell),
                    params=(("first", first), ("again", again)),
                )
            )
            return True
        seen[col_id] = i
    return False


def _missing_required(table: RawTable) -> None:
    for col in declaration()["kinds"][table.kind]["columns"]:
        if set(col.get("from_register", [])) & set(table.headers):
            continue  # each row's value comes from a register (readings: the buildings')
        if col.get("required") and col["id"] not in table.headers:
            table.problems.append(Problem("missing_column", column=col["headers"][0]))


def _row_numbers(first: int, n: int) -> pa.Array:
    """first, first + 1, … for n rows (an Arrow array made from a Python range takes seconds
    at millions of rows)."""
    import numpy as np

    return pa.array(np.arange(first, first + n, dtype=np.int64))


def _read_parquet(table: RawTable, data: bytes) -> None:
    """A Parquet file of readings: a column per field, named as in the template."""
    import pyarrow.parquet as pq

    try:
        source = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        table.problems.append(Problem("bad_parquet", value=type(exc).__name__))
        return
    table.kind = "readings"
    found = _match_headers(source.column_names, table.kind)
    table.headers = {col_id: source.column_names[i] for i, col_id in found.items()}
    _missing_required(table)
    if table.problems:
        return
    # Parquet has no header row: row N is the N-th record.
    columns = {"excel_row": _row_numbers(1, source.num_rows)}
    for col_id in _column_ids(table.kind):
        if col_id in table.headers:
            columns[col_id] = source.column(table.headers[col_id])
    table.cells = pa.table(columns)


def _read_bulk_csv(
    table: RawTable,
    text: str,
    head: list[tuple[int, list[Any]]],
    kind: str | None,
    delimiter: str | None = None,
) -> None:
    """A large CSV, parsed by Arrow below the header the first lines showed."""
    import pyarrow.csv as pacsv

    n_matches, neg_index, table.kind, found = _best_header(head, kind)
    header_line = head[-neg_index][0]
    table.headers = {
        col_id: clean_text(footnote_free(head[-neg_index][1][i])) for i, col_id in found.items()
    }
    if _side_by_side(table, head[-neg_index][1]):
        return
    _missing_required(table)
    if table.problems:
        return
    width = len(head[-neg_index][1])
    names = [f"c{i}" for i in range(width)]
    data = text.encode("utf-8")
    delimiter = _sniff(text, delimiter).delimiter

    def parse(use_threads: bool, bad_rows: list) -> pa.Table:
        def invalid(row: pacsv.InvalidRow) -> str:
            bad_rows.append(row)
            return "skip"

        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                skip_rows=header_line, column_names=names, use_threads=use_threads
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )

    bad_rows: list = []
    try:
        source = parse(True, bad_rows)
        if bad_rows:  # only a single-threaded read knows their line numbers
            bad_rows.clear()
            parse(False, bad_rows)
    except pa.ArrowInvalid as exc:
        table.problems.append(Problem("bad_csv", value=str(exc).splitlines()[0]))
        return
    for row in bad_rows[:100]:
        table.problems.append(
            Problem(
                "bad_column_count",
                row=row.number,
                params=(("expected", row.expected_columns), ("actual", row.actual_columns)),
            )
        )
    if table.problems:
        return
    # Lines as Excel numbers them: the header is line `header_line`, blank lines kept.
    samples = {
        i: source.column(names[i]).slice(0, UNIT_SAMPLE).drop_null().to_pylist()
        for i in range(width)
        if i not in found
    }
    _account_for_columns(table, head[-neg_index][1], found, samples)
    if table.problems:
        return
    first = header_line + 1
    columns = {"excel_row": _row_numbers(first, source.num_rows)}
    for i, col_id in found.items():
        columns[col_id] = source.column(names[i])
    table.cells = pa.table(columns)


def _scope_totals(values: pa.ChunkedArray) -> list[str]:
    """The labels among `values` that name a scope although they read as a total."""
    return [v for v in set(values.to_pylist()) if v and reference.resolve_scope(v)]


def _drop_blank_and_summary_rows(table: RawTable) -> None:
    """What the row-by-row reader does, on Arrow columns: blank rows go; summary rows
    (合计/总计/小计 where a 街镇 or the first column would be) are reported and go."""
    import pyarrow.compute as pc

    cells = table.cells
    assert cells is not None
    ids = [c for c in cells.column_names if c != "excel_row"]
    # A cell is blank when nothing but spaces (of any width) is in it.
    keep = reduce(pc.or_, [pc.match_substring_regex(cells[c], r"[^\s\p{Z}]") for c in ids])
    keep = pc.fill_null(keep, False)
    decl = {c["id"]: c for c in declaration()["kinds"][table.kind]["columns"]}
    labels = [c for c in ids if decl[c]["type"] == "scope"] or ids[:1]
    keys = {
        c: pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(cells[c], "NFKC"), r"\s", ""))
        for c in labels
    }
    words = "|".join(re.escape(compare_key(w)) for w in declaration()["summary_words"])
    summary = pc.fill_null(
        reduce(pc.or_, [pc.match_substring_regex(keys[c], words) for c in labels]), False
    )
    summary = pc.and_(summary, keep)
    # A total that names a scope (双桥双新泾合计, 全区合计) is that group's figure: it loads.
    for c in labels:
        totals = pa.array(_scope_totals(cells.filter(summary)[c]), type=cells[c].type)
        named = pc.is_in(cells[c], totals)
        summary = pc.and_(summary, pc.invert(pc.fill_null(named, False)))
    table.summary_rows = cells.filter(summary)["excel_row"].to_pylist()
    table.cells = cells.filter(pc.and_(keep, pc.invert(summary)))
    max_rows = declaration()["limits"]["csv_max_rows"]
    if table.cells.num_rows > max_rows:
        table.problems.append(Problem("too_many_rows", params=(("n", max_rows),)))


def _rows_to_cells(table: RawTable) -> None:
    """Rows read cell by cell (a small .xlsx) as the Arrow table bulk kinds are checked on."""
    columns: dict[str, list] = {"excel_row": [r for r, _ in table.rows]}
    for col_id in table.headers:
        columns[col_id] = [
            None if cells.get(col_id) is None else str(cells.get(col_id)) for _, cells in table.rows
        ]
    table.cells = pa.table(columns)
    table.rows = []


def _best_header(
    rows: list[tuple[int, list[Any]]], kind: str | None
) -> tuple[int, int, str, dict[int, str]] | None:
    """The header row among the first lines: (matches, -index, kind, cell -> column id)."""
    candidates = [kind] if kind else kinds()
    best: tuple[int, int, str, dict[int, str]] | None = None
    best_complete = False
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        for k in candidates:
            found = _match_headers(cells, k)
            # Two kinds matching as many cells of one row: the one whose required columns
            # are all there (编号 | 项目名称 | 街镇 | 装机容量 | 日期 is a PV list, not a
            # project register without its 年度).
            complete = _has_required(k, set(found.values()))
            score = (len(found), -index, complete)
            if len(found) >= 2 and (best is None or score > (*best[:2], best_complete)):
                best, best_complete = (len(found), -index, k, found), complete
    return best


def _has_required(kind: str, found: set[str]) -> bool:
    return all(
        c["id"] in found or set(c.get("from_register", [])) & found
        for c in declaration()["kinds"][kind]["columns"]
        if c.get("required")
    )


def _find_header(table: RawTable, rows: list[tuple[int, list[Any]]], kind: str | None) -> None:
    best = _best_header(rows, kind)
    if best is None:
        table.problems.append(Problem("no_header", params=(("kind", kind or ""),)))
        return
    _, neg_index, table.kind, found = best
    header_row = rows[-neg_index][1]
    table.headers = {
        col_id: clean_text(footnote_free(header_row[i])) for i, col_id in found.items()
    }
    if _side_by_side(table, header_row):
        return
    others = [i for i in range(len(header_row)) if i not in found]
    samples: dict[int, list] = {i: [] for i in others}
    for _, cells in rows[-neg_index + 1 : -neg_index + 1 + UNIT_SAMPLE]:
        for i in others:
            if i < len(cells) and cells[i] is not None:
                samples[i].append(cells[i])
    _account_for_columns(table, header_row, found, samples)
    decl = {c["id"]: c for c in declaration()["kinds"][table.kind]["columns"]}
    _missing_required(table)
    unit_row = _unit_row(table, rows[-neg_index + 1 : -neg_index + 2], found, decl)
    summary = declaration()["summary_words"]
    label_columns = [c for c in found.values() if decl[c]["type"] == "scope"] or [found[min(found)]]
    max_rows = declaration()["limits"]["max_rows"]
    for excel_row, cells in rows[-neg_index + 1 :]:
        values = {col_id: (cells[i] if i < len(cells) else None) for i, col_id in found.items()}
        if not any(clean_text(v) for v in values.values()) or excel_row == unit_row:
            continue  # a blank row, or the units under the header (read above)
        # A summary row says 合计/总计/小计 where a 街镇 or the first column would be, or in
        # the sheet's first column when that is not read (a register's 序号: 合计 | | 179.5).
        labels = [clean_text(values[c]) for c in label_columns]
        if 0 not in found and cells:
            labels.append(clean_text(cells[0]))
        if any(
            compare_key(word) in compare_key(text) and not reference.resolve_scope(text)
            for text in labels
            for word in summary
        ):
            table.summary_rows.append(excel_row)
            continue
        table.rows.append((excel_row, values))
        if len(table.rows) > max_rows:
            table.problems.append(Problem("too_many_rows", params=(("n", max_rows),)))
            return


def _unit_row(
    table: RawTable, below: list[tuple[int, list[Any]]], found: dict[int, str], decl: dict
) -> int | None:
    """A row of units right under a register's header (| | 万元 | 吨标准煤 | kW): each unit
    goes into its column's header, as if written 金额（万元）, and the row is not data. Only
    a row whose every cell is a unit word (or 单位) and that gives a unit to a column with
    one; its row number, or None."""
    if not below:
        return None
    excel_row, cells = below[0]
    words = unit_words() | {compare_key(w) for w in declaration()["unit_headers"]}
    written = {i: clean_text(c) for i, c in enumerate(cells) if clean_text(c)}
    units = {i: text for i, text in written.items() if i in found and "unit" in decl[found[i]]}
    if not units or any(compare_key(text) not in words for text in written.values()):
        return None
    for i, unit in units.items():
        header = table.headers[found[i]]
        if "(" not in header:
            table.headers[found[i]] = f"{header}({unit})"
    said = " / ".join(table.headers[found[i]] for i in units)
    table.notes.append(Problem("unit_row_read", params=(("row", excel_row), ("columns", said))))
    return excel_row


def form_csv(kind: str, entries: pd.DataFrame) -> bytes:
    """Rows entered in an in-app grid as an upload of `kind` (CSV, UTF-8, the template's
    Chinese headers; 街镇 and departments by name; an empty cell empty), so a grid and a
    file go through the same checks and the same load. Text goes as typed: free text is
    read back as written (a formula's quoting apostrophe taken off, see formulas.unquote)."""
    columns = [c for c in declaration()["kinds"][kind]["columns"] if c["id"] in entries]
    frame = pd.DataFrame({c["headers"][0]: entries[c["id"]] for c in columns})
    for c in columns:
        if c["type"] in ("scope", "department"):
            frame[c["headers"][0]] = [
                i18n.owner_name(code, "zh") if isinstance(code, str) and code else ""
                for code in entries[c["id"]]
            ]
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


# Where a long table's 街镇, year and period come from when it has no column for them
# (issue 24): the editor's word for the whole file (--scope, --year, --period), an address
# column, the sheet a row is on, or the title. A reading that is not certain is asked.


def _sheets_by_scope(table: RawTable, names: list[str], rows_of, kind: str | None) -> list | None:
    """A workbook with one sheet per 街镇 (the sheet names are 街镇, each sheet the same
    form, no 街镇 column) as one table: the first sheet's header with a 街镇 column added,
    then every sheet's rows, each with its sheet's name as 街镇 and numbered by SHEET_ROWS.
    None (read one sheet as before) unless every sheet with a header is named for a 街镇
    and they all share it. Sheets without a header (填报说明) are skipped and said."""
    forms, skipped = [], []
    for name in names:
        rows = rows_of(name)
        best = _best_header(rows, kind)
        if best is None:
            skipped.append(name)
            continue
        if (
            best[2] in BULK_KINDS
            or reference.resolve_scope(clean_text(footnote_free(name))) is None
        ):
            return None
        forms.append((name, rows, best))
    if len(forms) < 2:
        return None
    headers = set()
    for _, rows, best in forms:
        header = rows[-best[1]][1]
        headers.add(
            (best[2], tuple(compare_key(footnote_free(c)) for c in header if clean_text(c)))
        )
    if len(headers) != 1 or "scope_code" in forms[0][2][3].values():
        return None
    scope_header = declaration()["kinds"][forms[0][2][2]]["columns"]
    scope_header = next(c["headers"][0] for c in scope_header if c["id"] == "scope_code")
    first_rows, first_best = forms[0][1], forms[0][2]
    at = -first_best[1]
    width = len(first_rows[at][1])
    out = list(first_rows[:at]) + [(first_rows[at][0], list(first_rows[at][1]) + [scope_header])]
    table.row_sheets = [name for name, _, _ in forms]
    table.titles = []
    for n, (name, rows, best) in enumerate(forms, start=1):
        table.titles.append(_title_text(rows[: -best[1]]))
        for r, cells in rows[-best[1] + 1 :]:
            padded = (list(cells) + [None] * width)[:width]
            out.append((n * SHEET_ROWS + r, padded + [name]))
    table.sheet = None
    table.notes.append(
        Problem(
            "sheets_as_scopes",
            value=", ".join(table.row_sheets),
            params=(("skipped", ", ".join(skipped) or "-"),),
        )
    )
    return out


def _title_text(above: list[tuple[int, list[Any]]]) -> str:
    """The lines above a header as one text (a title merged across shows once)."""
    texts: list[str] = []
    for _, cells in above:
        for cell in cells:
            text = clean_text(footnote_free(cell))
            if text and text not in texts:
                texts.append(text)
    return " ".join(texts)


def _scopes_named(text: str) -> set[str]:
    """The 街镇 a text names by full name (虹桥街道; 虹桥 or 虹桥路 name none)."""
    key = compare_key(text)
    return {c for c in reference.leaves() if compare_key(reference.scope(c)["name_zh"]) in key}


def _cell_scope(value: Any) -> str | None:
    text = clean_text(footnote_free(value))
    return (reference.resolve_scope(text) or reference.scope_in_text(text)) if text else None


def _context(
    table: RawTable,
    rows: list[tuple[int, list[Any]]],
    scope: str | None,
    year: int | None,
    period: str | None,
) -> None:
    kind = str(table.kind)
    ids = {c["id"] for c in declaration()["kinds"][kind]["columns"] if c.get("required")}
    best = _best_header(rows, kind)
    if best is None:
        return
    titles = table.titles if table.row_sheets else [_title_text(rows[: -best[1]])]
    if table.row_sheets:  # the column of sheet names added is said as the sheets
        table.headers["scope_code"] = i18n.t("intake.sheet_column", "zh")
    if "scope_code" in ids:
        _scope_context(table, scope, titles[0])
    # A figure's year and period from the title or --year/--period; a register's year is
    # each row's own (a project's year of support), never one for the whole file.
    if kind == "observations" and "year" not in table.headers:
        _year_context(table, titles, year, period, "period" in _column_ids(kind))


def _without_missing(table: RawTable, col_id: str) -> None:
    """Drop the missing-column problem of a column the context has given."""
    first = next(c for c in declaration()["kinds"][str(table.kind)]["columns"] if c["id"] == col_id)
    missing = Problem("missing_column", column=first["headers"][0])
    table.problems = [p for p in table.problems if p != missing]


def _scope_context(table: RawTable, scope: str | None, title: str) -> None:
    """Each row's 街镇 where the file has no 街镇 column, or a blank one: from --scope,
    else the address (its one 街镇 by full name), else a title naming one 街镇. A 街镇
    cell or --scope that an address contradicts is refused, naming both. Never from the
    row above."""
    has_column = "scope_code" in table.headers
    address = table.headers.get("address")
    if scope is not None:
        _scope_from_option(table, scope)
    elif has_column and address:
        _blank_scopes_from_address(table)
    elif address:
        _scopes_from_address(table)
    elif not has_column:
        _scope_from_title(table, title)
        return
    if address:  # a 街镇 (cell or --scope) the row's address contradicts
        _scope_address_differ(table)


def _scope_name(code: str) -> str:
    """A 街镇's name as a cell would give it."""
    return reference.scope(code)["name_zh"]


def _scope_from_option(table: RawTable, scope: str) -> None:
    """--scope fills every blank 街镇 cell (or is the column, where the file has none); a
    cell naming another 街镇 is refused."""
    if "scope_code" not in table.headers:
        table.headers["scope_code"] = "--scope"
        for _, cells in table.rows:
            cells["scope_code"] = _scope_name(scope)
        _without_missing(table, "scope_code")
        return
    header = table.headers["scope_code"]
    for r, cells in table.rows:
        written = cells.get("scope_code")
        if not clean_text(written):
            cells["scope_code"] = _scope_name(scope)
        elif _cell_scope(written) != scope:
            table.problems.append(
                Problem(
                    "scope_option_differs",
                    r,
                    header,
                    clean_text(written),
                    (("scope", _scope_name(scope)),),
                )
            )


def _blank_scopes_from_address(table: RawTable) -> None:
    """A blank 街镇 cell takes the 街镇 its row's address names; a note lists those rows."""
    filled = []
    for r, cells in table.rows:
        if not clean_text(cells.get("scope_code")):
            code = reference.scope_in_text(clean_text(cells.get("address")))
            if code is not None:
                cells["scope_code"] = _scope_name(code)
                filled.append(r)
    if filled:
        table.notes.append(
            Problem(
                "scope_from_address_blank",
                column=table.headers["address"],
                params=(("rows", ", ".join(map(str, filled))),),
            )
        )


def _scopes_from_address(table: RawTable) -> None:
    """With no 街镇 column, each row's 街镇 is the one its address names; an address that
    names none is refused by its row."""
    address = table.headers["address"]
    table.headers["scope_code"] = address
    _without_missing(table, "scope_code")
    for r, cells in table.rows:
        text = clean_text(cells.get("address"))
        code = reference.scope_in_text(text)
        if code is None:
            table.problems.append(Problem("address_no_scope", r, address, text))
            cells["scope_code"] = None
        else:
            cells["scope_code"] = _scope_name(code)
    # where every row's 街镇 came from: said, as for a title or a blank cell
    table.notes.append(Problem("scope_from_address", column=address))


def _scope_from_title(table: RawTable, title: str) -> None:
    """With neither a 街镇 column nor an address, a title naming one 街镇 gives every row's;
    a title naming several, or none, is asked once for the file."""
    named = _scopes_named(title)
    _without_missing(table, "scope_code")
    if len(named) == 1:
        code = named.pop()
        table.headers["scope_code"] = title
        for _, cells in table.rows:
            cells["scope_code"] = _scope_name(code)
        table.notes.append(Problem("scope_from_title", value=title, params=(("scope", code),)))
    elif named:
        table.problems.append(Problem("title_scopes", value=title))
    else:
        table.problems.append(Problem("no_scope_column"))


def _scope_address_differ(table: RawTable) -> None:
    """A row whose 街镇 (cell or --scope) its address contradicts is refused, naming both."""
    address = table.headers["address"]
    for r, cells in table.rows:
        given = _cell_scope(cells.get("scope_code"))
        said = reference.scope_in_text(clean_text(cells.get("address")))
        if given and said and said not in reference.leaves_of(given):
            table.problems.append(
                Problem(
                    "scope_address_differ",
                    r,
                    table.headers["scope_code"],
                    clean_text(cells.get("scope_code")),
                    (
                        ("address", clean_text(cells.get("address"))),
                        ("address_column", address),
                    ),
                )
            )


def _year_context(
    table: RawTable, titles: list[str], year: int | None, period: str | None, has_period: bool
) -> None:
    """A long table's year (and period) where it has no 年份 column: from the title (every
    sheet's, the same), else --year/--period; else asked."""
    _without_missing(table, "year")
    read = {layout.title_period(t) for t in titles}
    title_year, title_period, suggest = read.pop() if len(read) == 1 else (None, None, "")
    if len(read) > 0:  # sheets whose titles name other years or periods
        table.problems.append(Problem("sheet_titles_differ", value=" / ".join(titles)))
        return
    if title_year is not None and year is not None and title_year != year:
        table.problems.append(
            Problem("year_option_differs", value=titles[0], params=(("year", year),))
        )
        return
    found_year = title_year or year
    if found_year is None:
        table.problems.append(Problem("long_no_year"))
        return
    table.headers["year"] = titles[0] if title_year else "--year"
    for _, cells in table.rows:
        cells["year"] = found_year
    if title_year:
        table.notes.append(
            Problem("year_from_title", value=titles[0], params=(("year", title_year),))
        )
    if not has_period or "period" in table.headers:
        return
    code = title_period if title_year else None
    if code is None and period:
        try:
            code, _ = periods.parse_period(period)
        except periods.PeriodError as err:
            suggest = err.suggest or period
    if code is None:
        table.problems.append(
            Problem("long_no_period", value=titles[0], params=(("suggest", suggest or "Q3"),))
        )
        return
    table.headers["period"] = titles[0] if title_period and title_year else "--period"
    for _, cells in table.rows:
        cells["period"] = code
