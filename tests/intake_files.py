"""Upload files as officials make them, built by the tests (never checked in)."""

from __future__ import annotations

import io

from openpyxl import Workbook


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join(_csv_cell(c) for c in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def _csv_cell(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return f'"{text}"' if "," in text else text


def xlsx_bytes(
    rows: list[list[object]],
    merges: list[str] = (),
    sheet: str = "Sheet1",
    extra_sheets: dict[str, list[list[object]]] | None = None,
) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for name, other in (extra_sheets or {}).items():
        extra = book.create_sheet(name)
        for row in other:
            extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A GBK CSV as Chinese Excel saves it: a title row, a blank row, full-width digits,
# thousands separators, units that convert, and a 合计 row.
GBK_ROWS = [
    ["2025年1-9月各街镇能源消费情况", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["街镇", "年份", "期间", "指标", "数值", "单位"],
    ["虹桥街道", "2025", "Q3", "能源消费总量", "１２,３４５.６", "吨标准煤"],
    [" 新泾镇 ", "2025年", "Q3", "energy_total", "1.5", "万吨标准煤"],
    ["北新泾", "2025", "Q3", "能源消费总量", "9,876", "tce"],
    ["合计", "2025", "Q3", "能源消费总量", "37,221.6", "吨标准煤"],
]


def load_rows(
    rows: list[list[object]],
    editor: str = "test",
    name: str = "x.csv",
    replace: bool = False,
    confirm_note: str | None = "test rows: their plausibility is not under test",
) -> int:
    """Check and load a small CSV made of `rows` (replacing rows it changes, if asked;
    figures outside their plausible bounds confirmed with `confirm_note`); the batch id."""
    from indicators.intake import checks, files, loading

    data = csv_bytes(rows)
    checked = checks.check(files.read_upload(data, name))
    result = loading.load(
        checked,
        editor=editor,
        file_name=name,
        data=data,
        replace=replace,
        confirm_note=confirm_note,
    )
    return result.batch_id
