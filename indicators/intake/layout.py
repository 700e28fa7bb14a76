"""Wide tables as offices keep them, read into the long rows the checks take.

A wide table has a label column (the 街镇, or a budget line) and a column per figure:
an indicator (能源消费量, 地区生产总值), a month (1月 … 12月, with a 合计), a year (2023年预算,
2024年预算), or sub-columns under a merged header (能源消费量 over 本期 | 上年同期 | 增速%). A
title row may give the year and period (2025年1-9月… → 2025, Q3), a unit row the units
(单位：吨标准煤、万元), and rows under the data notes (注：…) and the source (数据来源：…).

`propose` finds the layout and says how it would read each column (a `Reading`); the
editor confirms or changes it; `long_rows` turns the table into long rows under that
reading. Nothing here guesses where a word could mean two things: the reading lists what
is still to be chosen (`Reading.missing`), and a file is not loaded until it is chosen.
Growth columns are never loaded: each is checked against the change the figures give.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from indicators import reference
from indicators.intake import cells, periods
from indicators.intake.model import (
    HEADER_SCAN_ROWS,
    Problem,
    clean_text,
    compare_key,
    declaration,
    written_text,
)

LABEL_SCAN_COLUMNS = 4
# How many rows the label column is looked for in: a table of 街镇 fits many times over, and
# a 200,000-row register is not read cell by cell to choose a sheet (3.8 s a sheet before).
LABEL_SCAN_ROWS = 500
# Columns that give each row's year, period, unit, note or source, as in a long table.
ROW_ROLES = ("year", "period", "unit", "note", "source")
# Column.label of a table beside the first that has no 街镇 (label) column of its own: its
# figures are never read, for the 街镇 on its rows are not known (the first table's row of
# the same number is another table's row).
NO_LABEL = -1
# Column.label of a column of another table beside the one read, on a sheet read whole
# because no table of it reads alone (a 合计 row first, say): not read either.
OTHER_TABLE = -2
NOT_READ = (NO_LABEL, OTHER_TABLE)


@cache
def _words() -> dict[str, Any]:
    spec = declaration()["layout"]
    out: dict[str, Any] = {
        k: frozenset(compare_key(w) for w in spec[k])
        for k in (
            "current",
            "previous",
            "growth",
            "decline",
            "total_columns",
            "skip_columns",
            "no_value",
            "budget_labels",
            "budget_words",
            "value_words",
            "single_notes",
            "cumulative_notes",
            "target_words",
            "progress_words",
        )
    }
    out["footnotes"] = [re.compile(p, re.I) for p in spec["footnotes"]]
    for name in ("year", "bracket", "month"):
        out[name] = re.compile(spec[name])
    out["source_line"] = re.compile(spec["source_line"], re.I)
    out["unit_line"] = re.compile(spec["unit_line"], re.I)
    out["unit_separators"] = re.compile(spec["unit_separators"])
    out["summary"] = [compare_key(w) for w in declaration()["summary_words"]]
    return out


@dataclass
class Column:
    """How one column of a wide table is read."""

    index: int  # 0-based, as in the row's cells
    header: str  # the header as written; the rows of a two-row header joined by " / "
    # value | growth (checked, not loaded) | total (checked) | unused, or a column that
    # gives each row's year, period, unit, note or source (ROW_ROLES)
    role: str = "value"
    indicator: str | None = None
    year: int | None = None  # the column's own year (2024年预算); else the table's
    previous: bool = False  # 上年同期: the year before the table's
    period: str | None = None  # the column's own period (1-9月); else the table's
    month: int | None = None  # one month's figure in a month grid: summed from January
    # one quarter's own figure (三季度 under 季度值，非累计): summed with the file's earlier
    # quarters into the year to date, never read as the year to date itself
    quarter: int | None = None
    unit: str | None = None  # as written; None: the catalogue's unit
    scope: str | None = None  # a transposed table's 街镇 column: its scope code
    sign: int = 1  # a growth column that says 下降 counts a fall as positive
    reason: str = ""  # why unused, or what is to be chosen: a key under layout.*
    suggest: str = ""  # for an ambiguous period: the forms to write instead
    # The label column of the table beside the first this column belongs to (a Block's);
    # None: the first table's (Reading.label); NO_LABEL: a table beside with none.
    label: int | None = None

    @property
    def letter(self) -> str:
        n, out = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out

    @property
    def signature(self) -> str:
        """The header with its numbers as #: 9月 and 10月 are one shape, 2024年预算 and
        2025年预算 too, so next month's or next year's file finds the same recipe."""
        return re.sub(r"\d+", "#", compare_key(self.header))


@dataclass
class Block:
    """A table beside the first, in columns of its own (an empty column between): each
    figure's 街镇 is its own table's label cell on that row, never the first table's."""

    label: int  # its label column, 0-based
    label_header: str
    header_rows: list[int]  # as Excel numbers them
    first: int  # its first and last columns, 0-based
    last: int


@dataclass
class Reading:
    """How a wide table is read: which rows are headers, which column holds the 街镇 (or
    the budget line), the table's year and period, and each column's reading."""

    kind: str  # observations | budget | targets
    header_rows: list[int]  # as Excel numbers them
    label: int  # the label column, 0-based
    label_header: str
    columns: list[Column] = field(default_factory=list)
    year: int | None = None
    period: str | None = None
    title: str = ""
    unit_text: str = ""  # the unit row as written
    source: str | None = None  # from a 数据来源 line under the table
    period_suggest: str = ""  # the title's period is ambiguous: the forms to write instead
    footnotes: list[int] = field(default_factory=list)  # rows under the data: notes, not read
    no_value: int = 0  # cells marked as having no figure (—, /, 无): left out
    recipe: str | None = None  # the saved recipe applied, if any
    recipe_by: str = ""  # who saved it, when, and for which 街镇 (None: the district)
    recipe_at: str = ""
    recipe_reach: list[str] | None = None
    transposed: bool = False  # indicators as rows and 街镇 as columns
    blocks: list[Block] = field(default_factory=list)  # the tables beside the first
    by_hand: bool = False  # header rows and label column set by the official (by_hand)
    # The editor's answers to ambiguous period words (三季度 -> 前三季度), kept in a recipe
    period_words: dict[str, str] = field(default_factory=dict)
    # Some figure columns name a target (目标) and some do not: targets or figures? asked
    kind_unsure: bool = False

    @property
    def shape(self) -> str:
        """What a recipe is keyed on: the kind, the label header and each column's header
        shape in order, a run of one shape (1月 … 9月) counted once."""
        sigs: list[str] = []
        labels = {b.label: b.label_header for b in self.blocks}
        table: int | None = None
        for col in self.columns:
            if col.label != table:  # a table beside: its label header marks where it starts
                table = col.label
                sigs.append("[" + compare_key(labels.get(col.label, "")) + "]")
            if not sigs or sigs[-1] != col.signature:
                sigs.append(col.signature)
        return "|".join([self.kind, compare_key(self.label_header), *sigs])

    def loaded(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value" and c.label not in NOT_READ]

    def tables(self) -> list[tuple[int, str, list[int], range]]:
        """Each table of the sheet: its label column, label header, header rows and the
        columns it spans; the first table's, then each one beside it."""
        ends = [b.first for b in self.blocks] + [1 << 20]
        out = [(self.label, self.label_header, self.header_rows, range(0, ends[0]))]
        for b, end in zip(self.blocks, ends[1:], strict=True):
            out.append((b.label, b.label_header, b.header_rows, range(b.first, end)))
        return out

    def table_of(self, col: Column) -> int:
        """The label column a column's figures take their 街镇 from."""
        return self.label if col.label is None else col.label

    def missing(self) -> list[Problem]:
        """What must be chosen before the table can load."""
        out = []
        if self.kind_unsure:
            out.append(Problem("layout_kind_unsure"))
        if self.kind == "observations":
            rows_give = {c.role for c in self.columns}
            if (
                self.year is None
                and "year" not in rows_give
                and any(c.year is None for c in self.loaded())
            ):
                out.append(Problem("layout_no_year"))
            if (
                self.period is None
                and "period" not in rows_give
                and any(
                    c.period is None and c.month is None and c.quarter is None
                    for c in self.loaded()
                )
            ):
                params = (("suggest", self.period_suggest or "-"),)
                out.append(Problem("layout_no_period", value=self.title, params=params))
            for col in self.loaded():
                if col.indicator is None and col.scope is None:
                    out.append(
                        Problem(
                            "layout_no_indicator",
                            params=(("header", col.header), ("letter", col.letter)),
                        )
                    )
        else:
            for col in self.loaded():
                if col.year is None and self.year is None:
                    out.append(Problem("layout_no_year"))
                    break
            for col in self.loaded():
                if self.kind == "targets" and col.indicator is None:
                    params = (("header", col.header), ("letter", col.letter))
                    out.append(Problem("layout_no_indicator", params=params))
        out += self._quarters_missing()
        same: dict[tuple, list[str]] = {}
        for col in self.loaded():
            key = (
                col.label,  # tables side by side may hold the same figure for other 街镇
                col.indicator,
                col.scope,
                col.previous,
                col.year,
                col.period,
                col.month,
                col.quarter,
            )
            same.setdefault(key, []).append(col.header)
        for headers in same.values():
            if len(headers) > 1:  # one figure read from two columns: which is it?
                out.append(Problem("layout_twice", params=(("headers", "; ".join(headers)),)))
        for col in self.columns:
            if col.reason == "ambiguous_month":
                params = (("header", col.header), ("suggest", col.suggest))
                out.append(Problem("layout_ambiguous", params=params))
            if col.reason == "ambiguous_quarter":
                word = _period_word(col.header)
                params = (("header", col.header), ("suggest", col.suggest), ("word", word))
                out.append(Problem("layout_ambiguous_quarter", params=params))
        if not self.loaded():
            out.append(Problem("layout_nothing"))
        return out

    def _quarters_missing(self) -> list[Problem]:
        """Single quarters are year to date only with every earlier quarter of the same
        figure in the file (三季度 needs 一季度 and 二季度): a quarter without them is asked."""
        out = []
        groups: dict[tuple, list[Column]] = {}
        for col in self.loaded():
            if col.quarter is not None:
                key = (col.label, col.indicator, col.previous, col.year)
                groups.setdefault(key, []).append(col)
        for cols in groups.values():
            have = {c.quarter for c in cols}
            for col in sorted(cols, key=lambda c: c.quarter or 0):
                lacking = [q for q in range(1, int(col.quarter or 0)) if q not in have]
                if lacking:
                    names = ", ".join(_quarter_name(q) for q in lacking)
                    params = (("header", col.header), ("missing", names), ("letter", col.letter))
                    out.append(Problem("layout_quarters_missing", params=params))
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reading:
        columns = [Column(**c) for c in data.get("columns", [])]
        blocks = [Block(**b) for b in data.get("blocks", [])]
        return cls(**{**data, "columns": columns, "blocks": blocks})


def _quarter_name(n: int) -> str:
    return str(declaration()["layout"]["quarter_names"][n])


def _period_word(header: str) -> str:
    """The period word in a column's header (三季度 in 三季度 / 数值, 9月), as the CLI's
    --period-word takes it; the header itself if none is found."""
    for part in header.split(" / "):
        text = compare_key(_strip_unit(part)[0])
        if ytd_answer(text) is not None:
            return text
    return header


def ytd_answer(word: str) -> str | None:
    """The year-to-date reading of an ambiguous period word (三季度 -> Q3, 9月 -> M09): the
    answer the preview offers for it; None for a word that is none."""
    if (n := periods.quarter_of(word)) is not None:
        return periods.to_date_code(n * 3)
    if (m := _words()["month"].match(compare_key(word))) and 1 <= int(m[1]) <= 12:
        return periods.to_date_code(int(m[1]))
    return None


def asked_words(reading: Reading) -> list[str]:
    """The ambiguous period words of a reading's columns, each once (三季度, 9月)."""
    asked = [c for c in reading.columns if c.reason in ("ambiguous_quarter", "ambiguous_month")]
    return list(dict.fromkeys(_period_word(c.header) for c in asked))


def _texts(cells_: list[Any]) -> list[str]:
    return [_head(c) for c in cells_]


def _head(cell: Any) -> str:
    """A header, title or label cell as read: footnote marks off before it is cleaned, so
    能源消费量① is 能源消费量 and 2024年² is 2024年, not 20242 (cells.footnote_free)."""
    return clean_text(cells.footnote_free(cell))


def _is_scope(text: str) -> bool:
    return bool(text) and reference.resolve_scope(text) is not None


def _is_summary(text: str) -> bool:
    key = compare_key(text)
    return any(w in key for w in _words()["summary"])


def _label_column(rows: list[tuple[int, list[Any]]]) -> tuple[int, int, int] | None:
    """The column whose cells name 街镇, the index of the first such row, and how many."""
    best: tuple[int, int, int] | None = None  # (count, -column, first row)
    head = rows[:LABEL_SCAN_ROWS]
    for c in range(LABEL_SCAN_COLUMNS):
        hits = [i for i, (_, row) in enumerate(head) if c < len(row) and _is_scope(_head(row[c]))]
        if len(hits) >= 2 and (best is None or (len(hits), -c) > best[:2]):
            best = (len(hits), -c, hits[0])
    return (-best[1], best[2], best[0]) if best else None


def _scope_row(rows: list[tuple[int, list[Any]]]) -> tuple[int, int] | None:
    """A transposed table: a header row naming two or more 街镇 (虹桥街道 | 北新泾街道 …) over
    rows of indicators. The label column (the indicators') and the header row's index."""
    for i, (_, row) in enumerate(rows[:HEADER_SCAN_ROWS]):
        scopes = [j for j, c in enumerate(row) if _is_scope(_head(c))]
        if len(scopes) < 2:
            continue
        below = rows[i + 1 : i + 1 + HEADER_SCAN_ROWS]
        texts = {
            j: sum(1 for _, r in below if _words_only(clean_text(_cell(r, j))))
            for j in range(min(scopes))
        }
        if texts and max(texts.values()) > 0:
            return max(texts, key=lambda j: (texts[j], -j)), i
    return None


def _words_only(text: str) -> bool:
    """A label, not a figure: text that does not read as a number."""
    if not text:
        return False
    try:
        cells.number(text)
    except cells.CellError:
        return True
    return False


def _budget_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, int] | None:
    """A budget table: a 项目/科目 header with year columns beside it (2024年预算)."""
    words = _words()
    for i, (_, row) in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = _texts(row)
        labels = [j for j, x in enumerate(texts) if compare_key(x) in words["budget_labels"]]
        years = [x for x in texts if _words()["year"].search(x)]
        if labels and len(years) >= 1:
            return labels[0], i
    return None


def _distinct(row: list[Any]) -> list[str]:
    seen: list[str] = []
    for x in _texts(row):
        if x and x not in seen:
            seen.append(x)
    return seen


def _header_block(
    rows: list[tuple[int, list[Any]]], first: int, label: int
) -> tuple[list[int], list[int]]:
    """The header rows just above the first data row (each with two or more different
    texts), and the rows above them (title, unit line)."""
    header: list[int] = []
    i = first - 1
    while i >= 0 and len(_distinct(rows[i][1])) >= 2 and not _is_unit_line(rows[i][1]):
        if _is_summary(clean_text(_cell(rows[i][1], label))):
            break
        header.insert(0, i)
        i -= 1
    return header, list(range(0, i + 1))


def _header_parts(
    rows: list[tuple[int, list[Any]]], header: list[int], label: int, j: int, spanned: bool = True
) -> list[str]:
    """Column j's header texts, top to bottom, each once. A CSV saved from a sheet with
    merged headers keeps a merged cell's text only in its first cell: in an upper header
    row, a blank cell of a column with a header of its own below takes the parent to its
    left (地区生产总值 | _ over 本期 | 上年同期), as the merged cell it was. Only in the
    table's columns right of its label column, from a parent column that has sub-headers
    of its own, never across a column with no header (a table beside), never in the last
    header row or in data rows."""
    texts = [_head(_cell(rows[i][1], j)) for i in header]
    if spanned:
        for k in range(len(header) - 1):
            if texts[k] or not any(texts[k + 1 :]):
                continue
            for left in range(j - 1, label, -1):
                above = [_head(_cell(rows[i][1], left)) for i in header]
                if not any(above) or not any(above[k + 1 :]):
                    break  # an empty column, or one with no sub-headers: no parent here
                if above[k]:
                    texts[k] = above[k]
                    break
    return list(dict.fromkeys(x for x in texts if x))


def _is_unit_line(row: list[Any]) -> bool:
    texts = _distinct(row)
    return any(_words()["unit_line"].match(x) for x in texts) and len(texts) <= 3


def _title_and_units(rows: list[tuple[int, list[Any]]], above: list[int]) -> tuple[str, str]:
    title, unit_text = "", ""
    for i in above:
        for text in _distinct(rows[i][1]):
            if m := _words()["unit_line"].match(text):
                unit_text = m[1].strip()
            elif _words()["year"].search(text) and not title:
                title = text
            elif len(text) > len(title) and not _words()["year"].search(title):
                title = text
    return title, unit_text


def title_period(text: str) -> tuple[int | None, str | None, str]:
    """The year and period a title names (2025年1-9月长宁区… -> 2025, Q3), and for an
    ambiguous period word (2025年三季度…) the forms to write instead."""
    key = "".join(clean_text(text).split())
    m = _words()["year"].search(key)
    if not m:
        return None, None, ""
    year = int(m[1])
    rest = key[m.end() :]
    suggest = ""
    for end in range(min(len(rest), 12), 0, -1):
        try:
            code, _ = periods.parse_period(rest[:end])
        except periods.PeriodError as err:
            suggest = suggest or err.suggest
            continue
        return year, code, ""
    if m[3]:  # 2024年度: the whole year
        return year, "Y", ""
    return year, None, suggest


def name_of(reading: Reading) -> str:
    """A recipe's name from the title without its year and period (2025年1-9月长宁区分街镇能耗
    情况表 -> 长宁区分街镇能耗情况表), as it stays the same from month to month."""
    key = "".join(clean_text(reading.title).split())
    m = _words()["year"].search(key)
    if not m:
        return key
    rest = key[m.end() :]
    for end in range(min(len(rest), 12), 0, -1):
        try:
            periods.parse_period(rest[:end])
        except periods.PeriodError:
            continue
        rest = rest[end:]
        break
    return (key[: m.start()] + rest) or key


def _row_column(header: str) -> str | None:
    """A column that gives each row's year, period or unit (年度, 报告期, 计量单位)."""
    spec = {c["id"]: c for c in declaration()["kinds"]["observations"]["columns"]}
    key = compare_key(header)
    for role in ROW_ROLES:
        if key in {compare_key(h) for h in spec[role]["headers"]}:
            return role
    if key in {compare_key(h) for h in declaration()["unit_headers"]}:
        return "unit"
    return None


def _strip_unit(part: str) -> tuple[str, str | None]:
    """A header part without its bracketed unit: 装机容量（kWp） -> 装机容量, kWp."""
    unit = None
    for m in _words()["bracket"].finditer(part):
        # （亿元，现价）: the unit among the bracket's words; （单位：万吨标准煤） in a title
        words = m[1].strip()
        if said := _words()["unit_line"].match(words):
            words = said[1].strip()
        for inner in _words()["unit_separators"].split(words):
            if compare_key(inner) in cells.unit_words() or (
                inner and compare_key(inner).strip("%") == ""
            ):
                unit = unit or inner
    stripped = _words()["bracket"].sub("", part).strip()
    return stripped, unit


def period_note(part: str) -> str | None:
    """What a bracketed note says a period word means: "single" (（当季）, （季度值，非累计）:
    the quarter's own figure) or "cumulative" (（累计）: the year to date); None if none."""
    words = _words()
    for m in words["bracket"].finditer(part):
        inner = [compare_key(w) for w in words["unit_separators"].split(m[1]) if w]
        if any(w in words["single_notes"] for w in inner):
            return "single"
        if any(w in words["cumulative_notes"] for w in inner):
            return "cumulative"
    return None


def _read_column(
    index: int,
    parts: list[str],
    kind: str,
    table_indicator: str | None,
    table_note: str | None = None,
) -> Column:
    """One wide-table column read from its header's parts: its role, year, period, unit
    and indicator, or why it is not read."""
    words = _words()
    col = Column(index, " / ".join(parts))
    if len(parts) == 1 and (given := _row_column(parts[0])):
        col.role = given
        return col
    texts: list[str] = []
    quarter: int | None = None
    note = next((n for p in parts if (n := period_note(p))), None) or table_note
    for part in parts:
        text, unit = _strip_unit(part)
        if unit and unit != "%":
            col.unit = unit
        key = compare_key(text)
        if key in cells.unit_words():
            col.unit = text
            continue
        if m := _words()["year"].search(text):
            col.year = int(m[1])
            text = (text[: m.start()] + text[m.end() :]).strip()
            key = compare_key(text)
        bare = key.rstrip("%").removesuffix("(%)")
        if bare in words["skip_columns"]:
            col.role, col.reason = "unused", "not_figures"
            return col
        if bare in words["growth"] or bare in words["decline"] or key.endswith("%"):
            if bare in words["decline"]:
                col.sign = -1
            col.role, col.reason = "growth", "growth_checked"
            continue
        if bare in words["previous"]:
            col.previous = True
            continue
        if (
            bare in words["current"]
            or bare in words["budget_words"]
            or bare in words["value_words"]
            or not bare
        ):
            continue
        if bare in words["total_columns"]:
            col.role, col.reason = "total", "total_checked"
            continue
        if m := _words()["month"].match(key):
            col.month = int(m[1])
            continue
        if (n := periods.quarter_of(key)) is not None:
            quarter = n  # what it means is settled below, with the notes of every row
            continue
        try:
            col.period = periods.parse_period(text)[0]
            continue
        except periods.PeriodError as err:
            if err.suggest:
                col.suggest = err.suggest
        texts.append(text)
    if quarter is not None:
        _settle_quarter(col, quarter, note)
    if kind in ("observations", "targets"):
        _column_indicator(col, texts, table_indicator)
    return col


def _settle_quarter(col: Column, quarter: int, note: str | None) -> None:
    """A quarter header read by its note: the quarter alone, the year to its end, or asked."""
    if note == "single":
        col.quarter = quarter
    elif note == "cumulative" or quarter == 1:  # the first quarter is its own year to date
        col.period = periods.to_date_code(quarter * 3)
    elif col.role == "value":  # the quarter alone, or January to its end? asked
        col.role, col.reason = "unused", "ambiguous_quarter"
        col.suggest = periods.ambiguous_suggestion(quarter * 3)


def _column_indicator(col: Column, texts: list[str], table_indicator: str | None) -> None:
    """The indicator the header's remaining words name, else the table's where no words
    remain; a figures column whose words name none is said as an unknown indicator."""
    for text in texts:
        found = reference.resolve_indicator(text) or reference.indicator_in_text(text)
        if found:
            col.indicator = found
            break
    if col.indicator is None and not texts:
        col.indicator = table_indicator
    if col.indicator is None and texts and col.role == "value":
        col.reason = "unknown_indicator"


def score(rows: list[tuple[int, list[Any]]], kind: str | None = None) -> int:
    """How much a sheet looks like a wide table: its rows that name a 街镇 (a budget
    table counts one), for choosing the data sheet of a workbook."""
    if kind in (None, "observations") and (found := _label_column(rows)):
        return found[2]
    if kind in (None, "budget") and _budget_header(rows):
        return 1
    return 0


def _spans(rows: list[tuple[int, list[Any]]]) -> list[range]:
    """The sheet's runs of columns between fully empty columns, looked for in the rows of
    two or more different texts (a title merged across the sheet shows in every column)."""
    used: set[int] = set()
    for _, row in rows[:LABEL_SCAN_ROWS]:
        if len(_distinct(row)) >= 2 and not _is_unit_line(row):
            used |= {j for j, c in enumerate(row) if clean_text(c)}
    spans: list[range] = []
    for j in sorted(used):
        if spans and spans[-1].stop == j:
            spans[-1] = range(spans[-1].start, j + 1)
        else:
            spans.append(range(j, j + 1))
    return spans


def _first_text(rows: list[tuple[int, list[Any]]], j: int) -> str:
    """A column's first text in a row of two or more texts: its header, as far as known."""
    for _, row in rows[:HEADER_SCAN_ROWS]:
        if len(_distinct(row)) >= 2 and (text := _head(_cell(row, j))):
            return text
    return ""


def _sliced(rows: list[tuple[int, list[Any]]], span: range) -> list[tuple[int, list[Any]]]:
    return [(n, list(row[span.start : span.stop])) for n, row in rows]


def _shifted(reading: Reading, by: int) -> Reading:
    """A reading of a slice of the sheet, in the sheet's column numbers."""
    reading.label += by
    for col in reading.columns:
        col.index += by
    return reading


def propose(rows: list[tuple[int, list[Any]]], kind: str | None = None) -> Reading | None:
    """How the table in `rows` would be read as a wide table, or None if it is not one.
    Tables side by side (an empty column between) are each read as a table of their own,
    their figures under their own label column; one beside with no label column of its
    own is not read (its columns are said, Column.label NO_LABEL)."""
    spans = _spans(rows)
    if len(spans) <= 1:
        return _propose_one(rows, kind)
    found = [(span, _propose_one(_sliced(rows, span), kind)) for span in spans]
    first = next((n for n, (_, r) in enumerate(found) if r is not None and r.loaded()), None)
    if first is None:  # no table reads alone: read whole, but only its label's own table
        return _own_table_only(_propose_one(rows, kind), spans)
    main = _shifted(found[first][1], found[first][0].start)  # type: ignore[arg-type]
    units = next((r.unit_text for _, r in found if r is not None and r.unit_text), "")
    for n, (span, other) in enumerate(found):
        if n == first:
            continue
        same = (
            n > first
            and other is not None
            and other.kind == main.kind
            and not other.transposed
            and not main.transposed
            and other.loaded()
        )
        if not same:  # no label column of its own (or no table): never the first's
            for j in span:
                main.columns.append(
                    Column(
                        j, _first_text(rows, j), role="unused", reason="no_label", label=NO_LABEL
                    )
                )
            continue
        assert other is not None
        _shifted(other, span.start)
        if not other.unit_text and units:  # a unit row written once for the sheet
            other.unit_text = units
            _assign_units(other)
        main.blocks.append(
            Block(other.label, other.label_header, other.header_rows, span.start, span.stop - 1)
        )
        for col in other.columns:
            col.label = other.label
            # a table beside with a title of its own: its year and period are its columns'
            if other.year is not None and other.year != main.year and col.year is None:
                col.year = other.year
            if other.period and other.period != main.period and col.period is None:
                col.period = other.period
        main.columns.extend(other.columns)
    if not main.unit_text and units:
        main.unit_text = units
        _assign_units(main)
    main.columns.sort(key=lambda c: c.index)
    return main


def _own_table_only(reading: Reading | None, spans: list[range]) -> Reading | None:
    """A sheet read whole though an empty column splits it: a column beyond the empty
    column from the label column is another table's, whose rows need not be the label's
    (its 街镇 in another order), so it is not read and said (Column.label OTHER_TABLE)."""
    own = next((span for span in spans if reading is not None and reading.label in span), None)
    if reading is None or reading.transposed or own is None:
        return reading
    for col in reading.columns:
        if col.index not in own and col.role != "unused":
            col.role, col.reason, col.label = "unused", "other_table", OTHER_TABLE
    return reading


def by_hand(
    rows: list[tuple[int, list[Any]]], kind: str, header_rows: list[int], label: int
) -> Reading:
    """The table in `rows` read as an official set it: these rows (as Excel numbers them)
    are its header, this column (0-based) gives each row's 街镇 (or an address naming it,
    or a budget's item). Each other column is read from its header as a proposal would;
    what it cannot tell stays to be chosen. Raises ValueError for rows or a column the
    table has not (the caller says which)."""
    numbers = [n for n, _ in rows]
    width = max((len(r) for _, r in rows), default=0)
    if not header_rows or any(n not in numbers for n in header_rows):
        raise ValueError("header_rows")
    if not 0 <= label < width:
        raise ValueError("label")
    header = sorted(numbers.index(n) for n in header_rows)
    reading = _propose_one(rows, kind, chosen=(label, header))
    assert reading is not None
    reading.by_hand = True
    return reading


def _propose_one(
    rows: list[tuple[int, list[Any]]],
    kind: str | None = None,
    chosen: tuple[int, list[int]] | None = None,
) -> Reading | None:
    """How one table in `rows` would be read as a wide table, or None if it is not one;
    `chosen`: its label column and header rows (indexes into `rows`) as set by hand."""
    found = None
    transposed = False
    if chosen is not None:
        found = (kind or "observations", chosen[0], chosen[1][-1] + 1)
    elif kind in (None, "observations", "targets") and (label := _label_column(rows)):
        found = (kind or "observations", label[0], label[1])
    elif kind in (None, "observations") and (across := _scope_row(rows)):
        found, transposed = ("observations", across[0], across[1] + 1), True
    elif kind in (None, "budget") and (budget := _budget_header(rows)):
        found = ("budget", budget[0], budget[1] + 1)
    if found is None:
        return None
    table_kind, label, first = found
    if chosen is not None:
        header, above = chosen[1], list(range(0, chosen[1][0]))
    else:
        header, above = _header_block(rows, first, label)
    title, unit_text = _title_and_units(rows, above)
    if not unit_text and title:  # 分街镇月度能源消费量（吨标准煤）
        unit_text = _strip_unit(title)[1] or ""
    year, period, suggest = title_period(title)
    width = max((len(r) for _, r in rows), default=0)
    label_header = " / ".join(
        dict.fromkeys(x for i in header if (x := _head(_cell(rows[i][1], label))))
    )
    table_indicator = reference.indicator_in_text(title) if title else None
    table_note = period_note(title) if title else None
    reading = Reading(
        table_kind,
        [rows[i][0] for i in header],
        label,
        label_header,
        year=year,
        period=period,
        title=title,
        unit_text=unit_text,
        period_suggest=suggest,
        transposed=transposed,
    )
    data = rows[first:]
    for j in range(width):
        if j == label:
            continue
        parts = _header_parts(rows, header, label, j)
        has_data = any(clean_text(_cell(r, j)) for _, r in data)
        if not parts and not has_data:
            continue
        if not parts:
            reading.columns.append(Column(j, "", role="unused", reason="no_header"))
            continue
        if transposed and (code := reference.resolve_scope(parts[-1])):
            reading.columns.append(Column(j, " / ".join(parts), scope=code))
            continue
        col = _read_column(j, parts, table_kind, table_indicator, table_note)
        own = _header_parts(rows, header, label, j, spanned=False)
        if own != parts and col.indicator is not None:
            # a parent spanning over a column that names another indicator itself: which
            # is it? asked (layout_no_indicator), never guessed
            alone = _read_column(j, own, table_kind, table_indicator, table_note).indicator
            if alone is not None and alone != col.indicator:
                col.indicator = None
        if transposed and col.role == "value":  # a column that is no 街镇 (合计, 备用)
            col.role, col.reason = "unused", "not_a_scope"
        reading.columns.append(col)
    if kind is None and table_kind == "observations" and not transposed:
        _settle_targets(reading)
    if reading.kind == "observations" and reading.period is None and not suggest:
        for col in reading.columns:  # 2023年 | 2024年 under a title naming no period
            if col.year is not None and col.period is None and col.quarter is None:
                col.period = "Y"
    _settle_months(reading)
    _assign_units(reading)
    return reading


def _says_target(text: str) -> bool | None:
    """True: the text names a target (光伏新增装机目标); None: a target's progress (目标完成率,
    目标完成情况: figures against a target, not the target); False: neither."""
    bare, unit = _strip_unit(text)
    key = compare_key(bare)
    if unit is None:  # 能源消费量（计划）: no unit in the brackets, so the words count
        key = compare_key(text)
    if not any(w in key for w in _words()["target_words"]):
        return False
    return None if any(w in key for w in _words()["progress_words"]) else True


def _settle_targets(reading: Reading) -> None:
    """A table of 街镇 rows is targets when its title or every figure column says 目标; when
    only some columns say so it is asked (Reading.kind_unsure), never guessed."""
    values = [c for c in reading.columns if c.role == "value"]
    said = [[_says_target(p) for p in c.header.split(" / ")] for c in values]
    saying = [s for s in said if True in s]
    title = _says_target(reading.title)
    partly = bool(saying) and len(saying) < len(values) and not title
    if partly or title is None or any(None in s for s in said):
        reading.kind_unsure = True
    elif saying or title:
        reading.kind = "targets"


def with_table(reading: Reading, year: int | None, period: str | None) -> Reading:
    """`reading` with the table's year and period set where given (the editor's choice
    for a title that names none); a period as offices write it (1-9月) is understood."""
    out = Reading.from_dict(reading.to_dict())
    if year is not None:
        out.year = year
    if period:
        try:
            out.period, _ = periods.parse_period(period)
        except periods.PeriodError:
            out.period = None
            out.period_suggest = period
    return out


def with_words(reading: Reading, answers: dict[str, str]) -> Reading:
    """`reading` with the editor's answers to its ambiguous period words (三季度 -> 前三季度,
    9月 -> 1-9月, or a code such as Q3): a column headed by the word, and a title naming
    it, read so. Only what is asked is answered: a column whose header or note already
    says what the word means (当季, 累计) keeps it. Raises PeriodError for an answer that
    is no period."""
    out = Reading.from_dict(reading.to_dict())
    if not answers:
        return out
    codes = {compare_key(w): periods.parse_period(a)[0] for w, a in answers.items()}
    out.period_words = {**out.period_words, **{str(w): str(a) for w, a in answers.items()}}
    for col in out.columns:
        if col.reason not in ("ambiguous_quarter", "ambiguous_month"):
            continue
        words = {compare_key(_strip_unit(p)[0]) for p in col.header.split(" / ")}
        found = [codes[w] for w in words if w in codes]
        if len(found) == 1:
            col.role, col.reason, col.suggest = "value", "", ""
            col.period, col.month, col.quarter = found[0], None, None
    if out.period is None and out.period_suggest:
        key = "".join(clean_text(out.title).split())
        for word, code in codes.items():
            if word and word in compare_key(key):
                year, period, _ = title_period(key.replace(word, code, 1))
                if period is not None and year == out.year:
                    out.period, out.period_suggest = period, ""
                break
    return out


def _cell(row: list[Any], j: int) -> Any:
    return row[j] if j < len(row) else None


def _settle_months(reading: Reading) -> None:
    """Month columns are single months only in a grid that starts at 1月; a lone 9月 could
    be the month or January to September: it is asked, never guessed."""
    months = [c for c in reading.columns if c.month is not None and c.role == "value"]
    grid = len(months) >= 2 and any(c.month == 1 for c in months)
    for col in months:
        if not grid or not 1 <= int(col.month or 0) <= 12:
            col.role, col.reason = "unused", "ambiguous_month"
            col.suggest = periods.ambiguous_suggestion(int(col.month or 0))
            col.month = None
    if not grid:
        for col in reading.columns:
            if col.role == "total":
                col.role, col.reason = "unused", "total_column"
    if reading.kind == "budget":
        for col in reading.columns:
            if col.role == "value" and col.year is None:
                col.role, col.reason = "unused", "no_year"


def _target_unit(reading: Reading, col: Column) -> str | None:
    if reading.kind == "budget":
        return "10k_yuan"
    if col.indicator is None:
        return None
    return reference.indicator(col.indicator).get("unit")


def _assign_units(reading: Reading) -> None:
    """A unit row (单位：吨标准煤、万元) gives each column the one of its units that converts
    to the column's indicator; none or more than one, and the column keeps its own."""
    units = unit_row_units(reading)
    for col in reading.columns:
        if col.unit or col.role not in ("value", "total") or col.scope:
            continue
        if len(units) == 1:
            col.unit = units[0]
            continue
        target = _target_unit(reading, col)
        fits = [u for u in units if target and _converts(u, target)]
        if len(fits) == 1:
            col.unit = fits[0]


def unit_row_units(reading: Reading) -> list[str]:
    """The units its unit row names (单位：吨标准煤、万元 -> 吨标准煤, 万元); none without one."""
    return [u for u in _words()["unit_separators"].split(reading.unit_text) if u]


def _unit_for(reading: Reading, indicator: str) -> str | None:
    """The one unit of the unit row that converts to the indicator's unit, if one does."""
    units = unit_row_units(reading)
    target = reference.indicator(indicator).get("unit")
    fits = [u for u in units if target and _converts(u, target)]
    return fits[0] if len(fits) == 1 else None


def _converts(unit: str, target: str) -> bool:
    try:
        cells.unit_factor(unit, target)
    except cells.CellError:
        return False
    return True


@dataclass
class LongTable:
    """A wide table as long rows, with what was not loaded and why."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    summary_rows: list[int] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings: loads, but said
    problems: list[Problem] = field(default_factory=list)
    # (row, value as written) -> the header of the cell it came from, for the report
    origins: dict[tuple[int, str], str] = field(default_factory=dict)


def long_rows(reading: Reading, rows: list[tuple[int, list[Any]]]) -> LongTable:
    """The table under `reading` as long rows of the reading's kind."""
    out = LongTable()
    words = _words()
    reading.footnotes, reading.no_value = [], 0
    value_id = {"observations": "value", "targets": "target_value"}.get(
        reading.kind, "amount_10k_yuan"
    )
    label_id = "item" if reading.kind == "budget" else "scope_code"
    # The long rows' columns are named as the kind's template names them; a value's own
    # column is named in the report (LongTable.origins).
    named = {c["id"]: c["headers"][0] for c in declaration()["kinds"][reading.kind]["columns"]}
    ids = ["year", "source", value_id]
    if reading.kind == "observations":
        ids += ["period", "indicator_id", "unit", "note"]
    if reading.kind == "targets":
        ids += ["period", "indicator_id", "unit", "kind"]
    out.headers = {label_id: reading.label_header or named[label_id]}
    out.headers |= {i: named[i] for i in ids}
    units = {c.unit for c in reading.loaded() if c.unit}
    if reading.kind == "budget" and len(units) == 1:  # a register's unit is in its header
        out.headers[value_id] = f"{named[value_id]}({units.pop()})"
    tables = reading.tables()
    for label_at, label_header, header_rows, span in tables:
        if len(tables) > 1:  # a table of the sheet's tables: its own rows, label and columns
            table = Reading.from_dict(reading.to_dict())
            table.label, table.label_header, table.header_rows = label_at, label_header, header_rows
            table.columns = [
                c for c in table.columns if c.index in span and c.label not in NOT_READ
            ]
            table.blocks, table.footnotes, table.no_value = [], [], 0
        else:
            table = reading
        _table_rows(table, rows, span, words, label_id, value_id, out)
        if table is not reading:
            reading.footnotes = sorted(set(reading.footnotes) | set(table.footnotes))
            reading.no_value += table.no_value
            reading.source = reading.source or table.source
    for sentinel, key in (
        (NO_LABEL, "layout_beside_no_label"),
        (OTHER_TABLE, "layout_beside_unread"),
    ):
        refused = [c for c in reading.columns if c.label == sentinel]
        if refused:
            letters = f"{refused[0].letter}–{refused[-1].letter}"
            if len(refused) == 1:
                letters = refused[0].letter
            headers = "; ".join(c.header for c in refused if c.header) or "-"
            out.notes.append(Problem(key, params=(("letters", letters), ("headers", headers))))
    out.summary_rows = sorted(set(out.summary_rows))
    out.rows.sort(key=lambda r: r[0])  # row by row, each table's figures on it in turn
    if reading.source:
        for _, cells_ in out.rows:
            cells_.setdefault("source", reading.source)
    return out


def _table_rows(
    reading: Reading,
    rows: list[tuple[int, list[Any]]],
    span: range,
    words: dict[str, Any],
    label_id: str,
    value_id: str,
    out: LongTable,
) -> None:
    """One table's rows (of the sheet's tables side by side, the one in `span`)."""
    last_header = max(reading.header_rows, default=0)
    label_key = compare_key(reading.label_header)
    read_any = False
    for excel_row, row in rows:
        if excel_row <= last_header:
            continue
        label = _head(_cell(row, reading.label))
        texts = [clean_text(c) for c in row[span.start : span.stop]]
        if not any(texts):
            continue
        first_text = next(x for x in texts if x)
        if any(p.match(first_text) for p in words["footnotes"]) and not _is_scope(label):
            reading.footnotes.append(excel_row)
            # the source is free text: kept as written (the match is on the cleaned line)
            written = written_text(next(c for c in row if clean_text(c)))
            if m := words["source_line"].match(written) or words["source_line"].match(first_text):
                reading.source = reading.source or m[1].strip()
            continue
        if label and _is_summary(label) and not _is_scope(label):
            out.summary_rows.append(excel_row)
            continue
        if read_any and _another_header(reading, row, label, label_key):
            # a table stacked under this one, with a header of its own: its rows are not
            # this table's, and are not read as this table's columns
            out.problems.append(Problem("layout_stacked_table", excel_row, reading.label_header))
            return
        read_any = True
        _row_figures(reading, excel_row, row, label, label_id, value_id, out)


def _another_header(reading: Reading, row: list[Any], label: str, label_key: str) -> bool:
    """A row below the data that reads as a table's header: its label cell repeats the
    label header (街镇), or two or more of the figure columns hold header words (an
    indicator, a year, a month, a row column's name)."""
    if not label or _is_scope(label):
        return False
    if label_key and compare_key(label) == label_key:
        return True
    if reading.transposed:
        return sum(1 for c in reading.loaded() if _is_scope(_head(_cell(row, c.index)))) >= 2
    said = 0
    for col in reading.loaded():
        text = clean_text(_cell(row, col.index))
        if not _words_only(text) or _no_value(text):
            continue
        if (
            reference.resolve_indicator(text)
            or reference.indicator_in_text(text)
            or _row_column(text)
            or _words()["year"].search(text)
            or _words()["month"].match(compare_key(text))
            or compare_key(text) == compare_key(col.header.split(" / ")[-1])
        ):
            said += 1
    return said >= 2


def _year_before(year: Any) -> Any:
    """The year before a year cell; a cell that is no year is left for the checks to
    report as written."""
    try:
        return int(cells.parse_cell({"type": "integer"}, year)) - 1
    except (cells.CellError, TypeError, ValueError):
        return year


def _no_value(cell: Any) -> bool:
    """A cell that means "no figure" (—, 无), a footnote mark after it or not (—①)."""
    return compare_key(cells.footnote_free(cell)) in _words()["no_value"]


def _row_figures(
    reading: Reading,
    excel_row: int,
    row: list[Any],
    label: str,
    label_id: str,
    value_id: str,
    out: LongTable,
) -> None:
    base = {label_id: label}
    given = {c.role: _cell(row, c.index) for c in reading.columns if c.role in ROW_ROLES}
    row_indicator, row_unit = None, None
    if reading.transposed:  # the row is an indicator; its 街镇 are the columns
        name, row_unit = _strip_unit(label)
        row_indicator = reference.resolve_indicator(name) or reference.indicator_in_text(name)
        if row_indicator is None:
            out.notes.append(Problem("layout_row_unknown", excel_row, reading.label_header, label))
            return
        if row_unit is None and not given.get("unit"):
            row_unit = _unit_for(reading, row_indicator)
    months: list[tuple[Column, Any]] = []
    quarters: list[tuple[Column, Any]] = []
    for col in reading.loaded():
        value = _cell(row, col.index)
        text = clean_text(value)
        if col.month is not None:
            months.append((col, value))
            continue
        if col.quarter is not None:
            quarters.append((col, value))
            continue
        if not text:
            continue
        if _no_value(value):
            reading.no_value += 1
            continue
        year = col.year or given.get("year") or reading.year
        if col.previous and year:  # the previous year's same period
            year = _year_before(year)
        cells_ = {**base, "year": year, value_id: value}
        if reading.kind == "observations":
            cells_ |= {
                "period": col.period or given.get("period") or reading.period,
                "indicator_id": row_indicator or col.indicator,
                "unit": col.unit or row_unit or given.get("unit") or "",
                "note": given.get("note"),
            }
        if reading.kind == "targets":
            cells_ |= {
                "period": col.period or reading.period or "Y",
                "indicator_id": col.indicator,
                "unit": col.unit or "",
                "kind": target_kind(col.indicator),
            }
        if col.scope:  # the 街镇 is the column's: a problem with it is placed there
            cells_["scope_code"] = col.header.split(" / ")[-1]
            out.origins[(excel_row, cells_["scope_code"])] = col.header
        if given.get("source"):
            cells_["source"] = given["source"]
        out.rows.append((excel_row, cells_))
        out.origins[(excel_row, text)] = col.header
    if months:
        _month_figures(reading, excel_row, row, base, months, out)
    if quarters:
        _quarter_figures(reading, excel_row, base, quarters, out)
    _check_growth(reading, excel_row, row, out)


def _month_figures(
    reading: Reading,
    excel_row: int,
    row: list[Any],
    base: dict[str, Any],
    months: list[tuple[Column, Any]],
    out: LongTable,
) -> None:
    """A month grid's single months as year-to-date figures (M03 = 1月+2月+3月), for each
    month whose months before it are all there; a total column is checked against them."""
    by_indicator: dict[str | None, list[tuple[Column, Any]]] = {}
    for col, value in months:
        by_indicator.setdefault(col.indicator, []).append((col, value))
    for indicator, cols in by_indicator.items():
        if indicator and not reference.indicator(indicator).get("additive"):
            out.problems.append(Problem("layout_months_not_additive", excel_row, cols[0][0].header))
            continue
        running, expected = 0.0, 1
        for col, value in sorted(cols, key=lambda cv: cv[0].month or 0):
            text = clean_text(value)
            if not text or _no_value(value):
                reading.no_value += bool(text)
                break
            if col.month != expected:
                out.problems.append(Problem("layout_month_gap", excel_row, col.header, text))
                break
            number = _summand(value, excel_row, col, out)
            if number is None:
                break
            running += number
            expected += 1
            out.rows.append(
                (
                    excel_row,
                    {
                        **base,
                        "year": col.year or reading.year,
                        "period": periods.to_date_code(int(col.month or 0)),
                        "indicator_id": indicator,
                        "value": round(running, 10),
                        "unit": col.unit or "",
                    },
                )
            )
        else:
            total = next(
                (c for c in reading.columns if c.role == "total" and c.indicator == indicator),
                None,
            )
            if total is not None:
                _check_total(total, excel_row, row, running, out)


def target_kind(indicator: str | None) -> str | None:
    """A target's kind as its indicator is: a rate (%) is a rate, a figure that adds up
    over the year is cumulative (pro rata), any other a level."""
    if indicator is None:
        return None
    spec = reference.indicator(indicator)
    if spec.get("unit") == "pct":
        return "rate"
    return "cumulative" if spec.get("additive") else "level"


def _summand(value: Any, excel_row: int, col: Column, out: LongTable) -> float | None:
    """A month's or a single quarter's figure, to be summed into year to date: None (the
    problem said) for a cell that is no number or carries a unit of its own; a footnote
    mark comes off and is said, as on a long row."""
    text = clean_text(value)
    try:
        number, mark = cells.number(value)
    except cells.CellError as err:  # shown as written where cleaning would make a digit
        as_written = cells.has_mark(value) or err.key == "digit_lookalike"
        shown = written_text(value) if as_written else text
        out.problems.append(
            Problem(err.key, excel_row, col.header, shown, tuple(err.params.items()))
        )
        return None
    if mark is not None:
        out.problems.append(Problem("layout_month_unit", excel_row, col.header, text))
        return None
    if found := cells.footnote(value)[1]:  # summed without it: said
        params = (("mark", found),)
        out.notes.append(
            Problem("footnote_removed", excel_row, col.header, written_text(value), params)
        )
    return number


def _quarter_figures(
    reading: Reading,
    excel_row: int,
    base: dict[str, Any],
    quarters: list[tuple[Column, Any]],
    out: LongTable,
) -> None:
    """Single quarters as year-to-date figures (Q3 = 一季度 + 二季度 + 三季度) of each figure
    whose earlier quarters are all on the row; a blank earlier quarter stops its sum."""
    groups: dict[tuple, list[tuple[Column, Any]]] = {}
    for col, value in quarters:
        groups.setdefault((col.indicator, col.previous, col.year), []).append((col, value))
    for (indicator, previous, col_year), cols in groups.items():
        if indicator and not reference.indicator(indicator).get("additive"):
            out.problems.append(
                Problem("layout_quarters_not_additive", excel_row, cols[0][0].header)
            )
            continue
        running, expected = 0.0, 1
        for col, value in sorted(cols, key=lambda cv: cv[0].quarter or 0):
            text = clean_text(value)
            if col.quarter != expected:
                break  # said once for the column (Reading.missing)
            if not text or _no_value(value):
                later = [c for c, v in cols if (c.quarter or 0) > expected and clean_text(v)]
                if later:  # a later quarter cannot be summed without this one
                    params = (
                        ("header", later[0].header),
                        ("missing", _quarter_name(expected)),
                        ("letter", later[0].letter),
                    )
                    out.problems.append(
                        Problem("layout_quarters_missing", excel_row, col.header, text, params)
                    )
                reading.no_value += bool(text)
                break
            number = _summand(value, excel_row, col, out)
            if number is None:
                break
            running += number
            expected += 1
            year = col_year or reading.year
            if previous and year:
                year = _year_before(year)
            out.rows.append(
                (
                    excel_row,
                    {
                        **base,
                        "year": year,
                        "period": periods.to_date_code(int(col.quarter or 0) * 3),
                        "indicator_id": indicator,
                        "value": round(running, 10),
                        "unit": col.unit or "",
                    },
                )
            )
            out.origins[(excel_row, text)] = col.header


def _check_total(total: Column, excel_row: int, row: list[Any], running: float, out) -> None:
    text = clean_text(_cell(row, total.index))
    if not text or _no_value(_cell(row, total.index)):
        return
    try:
        given, _ = cells.number(_cell(row, total.index))
    except cells.CellError:
        return
    if abs(given - running) > max(0.01, 0.001 * abs(given)):
        out.notes.append(
            Problem(
                "layout_total_differs",
                excel_row,
                total.header,
                text,
                (("sum", round(running, 4)),),
            )
        )


def _check_growth(reading: Reading, excel_row: int, row: list[Any], out: LongTable) -> None:
    """A growth column against the change its row's figures give: current on previous
    (本期 on 上年同期), or a year on the year before (2024年预算 on 2023年预算)."""
    for col in reading.columns:
        if col.role != "growth":
            continue
        text = clean_text(_cell(row, col.index))
        if not text or _no_value(_cell(row, col.index)):
            continue
        pair = _growth_pair(reading, col)
        if pair is None:
            continue
        try:
            given, _ = cells.number(_cell(row, col.index))
            now, _ = cells.number(_cell(row, pair[0].index))
            before, _ = cells.number(_cell(row, pair[1].index))
        except cells.CellError:
            continue
        if before == 0:
            continue
        computed = col.sign * (now / before - 1) * 100
        if abs(given - computed) > 0.1 + 0.005 * abs(computed):
            out.notes.append(
                Problem(
                    "layout_growth_differs",
                    excel_row,
                    col.header,
                    text,
                    (("computed", f"{computed:.2f}"),),
                )
            )


def _growth_pair(reading: Reading, growth: Column) -> tuple[Column, Column] | None:
    """The two figures a growth column compares: of its indicator, this period and the
    previous year's; or the two years just before it."""
    values = [c for c in reading.columns if c.role == "value" and c.month is None]
    if reading.kind == "observations":
        same = [c for c in values if c.indicator == growth.indicator]
        now = [c for c in same if not c.previous]
        before = [c for c in same if c.previous]
        if len(now) == 1 and len(before) == 1:
            return now[0], before[0]
        return None
    left = [c for c in values if c.index < growth.index and c.year is not None]
    if len(left) >= 2 and left[-1].year == (left[-2].year or 0) + 1:
        return left[-1], left[-2]
    return None
