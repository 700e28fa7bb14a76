"""Checking an upload against its declared schema: every cell parsed by its column's
type, every problem collected (row, column, value, why), units converted.

Raw rows in, a clean DataFrame ready to load plus the list of problems out. Pure: no
database, no Streamlit. Conflicts with data already loaded are found at load time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from indicators import reference
from indicators.intake import cells, periods, readings, recipes
from indicators.intake.model import (
    BULK_KINDS,
    Checked,
    Problem,
    RawTable,
    clean_text,
    compare_key,
    declaration,
    on_sheet,
    written_text,
)

if TYPE_CHECKING:
    import pandera.pandas as pa


def _limits(col: dict) -> dict:
    """A column's declaration with `max_ahead` (years after this one) as its `max`: a
    figure reported for a year to come is a typing slip."""
    if "max_ahead" not in col:
        return col
    return {**col, "max": date.today().year + int(col["max_ahead"])}


def _pandera_schema(columns: list[dict]) -> pa.DataFrameSchema:
    """Required values and ranges, generated from the declaration."""
    import pandera.pandas as pa  # here: a second of every CLI start, and readings never need it

    checks = {}
    for col in columns:
        col_checks = []
        if "min" in col:
            col_checks.append(pa.Check.ge(col["min"]))
        if "max" in col:
            col_checks.append(pa.Check.le(col["max"]))
        checks[col["id"]] = pa.Column(
            nullable=not col.get("required"), checks=col_checks, required=False
        )
    return pa.DataFrameSchema(checks)


def check(
    raw: RawTable, allowed_scopes: set[str] | None = None, placed: dict[str, str] | None = None
) -> Checked:
    """Parse and check every cell of `raw`, column by column. `allowed_scopes` limits
    which 街镇 the editor may change (None: all); `placed` gives the 街镇 of buildings a
    meter export names without one (readings.check)."""
    if raw.kind in BULK_KINDS:
        return readings.check(raw, allowed_scopes, placed)
    kind = raw.kind or "observations"
    decl = declaration()["kinds"][kind]
    columns = decl["columns"]
    raw_cells = _batches_in_years(columns, raw.cell_frame())
    parsed = _parse_cells(raw, columns, raw_cells)
    frame = parsed.frame
    problems = list(raw.problems) + parsed.problems
    notes = list(raw.notes) + parsed.notes
    problems += _convert_units(kind, frame, ~parsed.bad, parsed.marks, raw.headers, raw_cells)
    problems += _period_year_problems(frame, raw_cells, ~parsed.bad, raw.headers)
    if allowed_scopes is not None:
        problems += _not_allowed(kind, decl, frame, raw_cells, raw.headers, allowed_scopes)
    kind_problems, kind_notes = _kind_rules(kind, frame, raw_cells, raw.headers)
    problems += kind_problems
    notes += kind_notes
    frame = _fill_defaults(kind, _typed(frame, columns))
    problems, asked_rows = _table_problems(raw, kind, frame, raw_cells, problems, parsed)
    frame = _loadable(frame, columns, {p.row for p in problems} | asked_rows)
    if raw.origins:  # a wide table: name the column a value came from, not "value"
        problems = [_located(p, raw) for p in problems]
        notes = [_located(p, raw) for p in notes]
    if raw.row_sheets:  # read across sheets: each row said on its sheet
        problems = [on_sheet(p, raw.row_sheets) for p in problems]
        notes = [on_sheet(p, raw.row_sheets) for p in notes]
    return Checked(
        kind,
        frame,
        sorted(problems, key=_order),
        list(raw.summary_rows),
        list(raw.unused_columns),
        raw.sheet,
        list(raw.sheet_names),
        _total_mismatches(frame) if kind == "observations" else [],
        raw.reading,
        notes,
    )


@dataclass
class _Parsed:
    """Every column parsed: the frame, what did not parse, and what followed each number."""

    frame: pd.DataFrame
    problems: list[Problem]
    notes: list[Problem]
    bad: pd.Series  # rows with a cell that did not parse
    bad_cells: set[tuple[int, str]]
    marks: dict[str, pd.Series]  # what followed each number: None, "%" or a unit


def _parse_cells(raw: RawTable, columns: list[dict], raw_cells: pd.DataFrame) -> _Parsed:
    """Each declared column parsed by its type: a cell that does not parse is a problem at
    its row, a footnote mark removed from a figure is a note."""
    rows = raw_cells["excel_row"]
    out = _Parsed(
        frame=pd.DataFrame({"excel_row": rows}),
        problems=[],
        notes=[],
        bad=pd.Series(False, index=raw_cells.index),
        bad_cells=set(),
        marks={},
    )
    for col in columns:
        header = raw.headers.get(col["id"], col["headers"][0])
        values = (
            raw_cells[col["id"]]
            if col["id"] in raw_cells
            else pd.Series(None, index=raw_cells.index)
        )
        out.frame[col["id"]], errors, out.marks[col["id"]], footnotes = cells.parse_column(
            col, values
        )
        failed = errors.notna()
        for row, value, (key, params) in zip(
            rows[failed], values[failed], errors[failed], strict=True
        ):
            # a figure with a mark is shown as written: cleaned, 49①321 would read 491321
            as_written = cells.has_mark(value) or key == "digit_lookalike"
            shown = written_text(value) if as_written else clean_text(value)
            out.problems.append(Problem(key, int(row), header, shown, tuple(params.items())))
            out.bad_cells.add((int(row), header))
        marked = footnotes.notna() & ~failed
        out.notes += [
            Problem("footnote_removed", int(row), header, written_text(value), (("mark", mark),))
            for row, value, mark in zip(
                rows[marked], values[marked], footnotes[marked], strict=True
            )
        ]
        out.bad |= failed
    return out


def _not_allowed(
    kind: str,
    decl: dict,
    frame: pd.DataFrame,
    raw_cells: pd.DataFrame,
    headers: dict,
    allowed_scopes: set[str],
) -> list[Problem]:
    """For an editor limited to some 街镇: rows of another 街镇 are refused, and so is
    every row of a district-only kind, or else every row naming a department."""
    rows = raw_cells["excel_row"]
    problems = []
    if "scope_code" in raw_cells:
        outside = frame["scope_code"].notna() & ~frame["scope_code"].isin(list(allowed_scopes))
        header = headers.get("scope_code")
        problems += [
            Problem("scope_not_allowed", int(row), header, clean_text(value))
            for row, value in zip(rows[outside], raw_cells.loc[outside, "scope_code"], strict=True)
        ]
    if decl.get("district_only"):
        problems += _district_rows(kind, rows, raw_cells, headers)
    elif "department" in raw_cells:  # the district's rows
        header = headers.get("department")
        problems += [
            Problem("department_not_allowed", int(row), header, clean_text(value))
            for row, value in zip(
                rows[frame["department"].notna()],
                raw_cells.loc[frame["department"].notna(), "department"],
                strict=True,
            )
        ]
    return problems


def _kind_rules(
    kind: str, frame: pd.DataFrame, raw_cells: pd.DataFrame, headers: dict
) -> tuple[list[Problem], list[Problem]]:
    """The rules of one kind (problems, notes): a commitment's one owner, a plan target's
    planned indicator, a project's stage taken from its status."""
    if kind == "commitments":
        return _one_owner(frame, headers), []
    if kind == "plan_targets":
        return _planned(frame, raw_cells, headers), []
    if kind == "projects":
        return [], _stage_from_status(frame, raw_cells, headers)
    return [], []


def _table_problems(
    raw: RawTable,
    kind: str,
    frame: pd.DataFrame,
    raw_cells: pd.DataFrame,
    problems: list[Problem],
    parsed: _Parsed,
) -> tuple[list[Problem], set[int]]:
    """The problems so far with those of the typed table added (missing or out of range,
    duplicate keys, implausible figures, no rows) and those already asked taken out; and
    the rows of the asked ones."""
    decl = declaration()["kinds"][kind]
    columns = decl["columns"]
    # A cell that did not parse is empty now: do not report it again as missing.
    problems = problems + [
        p
        for p in _schema_problems(frame, [_limits(c) for c in columns], raw.headers)
        if (p.row, p.column) not in parsed.bad_cells
    ]
    problems, asked_rows = _asked_once(problems, columns, raw.headers)
    problems += _duplicates(frame, decl["key"], raw.headers)
    if kind == "observations" and raw.reading is not None and "unit" in raw_cells:
        # A wide table's figure whose unit the file never states is read in the catalogue's
        # unit: one off by 万 or 亿 must not load.
        unstated = raw_cells["unit"].map(clean_text).eq("")
        problems += _implausible(frame[unstated.to_numpy()], raw_cells, raw.headers)
    if frame.empty and not problems:
        problems.append(Problem("no_rows"))
    return problems, asked_rows


def _loadable(frame: pd.DataFrame, columns: list[dict], bad_rows: set) -> pd.DataFrame:
    """The rows without a problem, without the columns read only for what they tell."""
    frame = frame[~frame["excel_row"].isin(bad_rows)].reset_index(drop=True)
    # a column read for what it tells (an address gives the 街镇) is not stored
    return frame.drop(columns=[c["id"] for c in columns if not c.get("stored", True)])


# A 街镇 or year the file does not give, asked once for the file (or per row, naming the
# address): not again on every row as an empty required cell.
ASKED = {
    "no_scope_column": "scope_code",
    "title_scopes": "scope_code",
    "long_no_year": "year",
    "sheet_titles_differ": "year",
    "year_option_differs": "year",
}


def _asked_once(
    problems: list[Problem], columns: list[dict], headers: dict
) -> tuple[list[Problem], set[int]]:
    """The problems without those already asked, and the rows they were on (not loaded)."""
    file_asked = {ASKED[p.key] for p in problems if p.key in ASKED}
    row_asked = {p.row for p in problems if p.key == "address_no_scope"}
    named = {c["id"]: headers.get(c["id"], c["headers"][0]) for c in columns}

    def asked(p: Problem) -> bool:
        return p.key == "required" and (
            any(p.column == named[c] for c in file_asked)
            or (p.row in row_asked and p.column == named.get("scope_code"))
        )

    return [p for p in problems if not asked(p)], {p.row for p in problems if asked(p)}


def _district_rows(
    kind: str, rows: pd.Series, raw_cells: pd.DataFrame, headers: dict[str, str]
) -> list[Problem]:
    """Every row of a district-only kind (targets, plan values, department targets, the
    budget), named by its row: the 街镇 a target judges never sets it, its own included."""
    named = next((c for c in ("scope_code", "department", "item") if c in raw_cells), None)
    values = raw_cells[named].map(clean_text) if named else pd.Series("", index=rows.index)
    return [
        Problem(f"district_only_{kind}", int(row), headers.get(named) if named else None, value)
        for row, value in zip(rows, values, strict=True)
    ]


def _one_owner(frame: pd.DataFrame, headers: dict) -> list[Problem]:
    """A commitment belongs to one 街镇 or one department: neither or both is refused."""
    both = frame["scope_code"].notna() == frame["department"].notna()
    header = headers.get("department") or headers.get("scope_code")
    return [Problem("one_owner", int(row), header, "") for row in frame.loc[both, "excel_row"]]


def _planned(frame: pd.DataFrame, raw_cells: pd.DataFrame, headers: dict) -> list[Problem]:
    """A plan target is for an indicator a plan measures (fiveyear.yaml measures): a fall
    of a ratio or a total's growth; any other indicator is refused by its row."""
    from indicators.domain import fiveyear

    other = frame["indicator_id"].notna() & frame["indicator_id"].map(
        lambda i: fiveyear.measure(i) is None if isinstance(i, str) else False
    ).astype(bool)
    return [
        Problem("not_planned", int(row), headers.get("indicator_id"), clean_text(value))
        for row, value in zip(
            frame.loc[other, "excel_row"], raw_cells.loc[other, "indicator_id"], strict=True
        )
    ]


def _stage_from_status(
    frame: pd.DataFrame, raw_cells: pd.DataFrame, headers: dict
) -> list[Problem]:
    """A register with no stage column whose 项目状态 names a stage (已验收, 实施中): each such
    row's stage is taken from it, and a note says so (status stays stored as written). A
    status that names no stage leaves the stage empty: the status is free words."""
    if "stage" in headers or "status" not in raw_cells:
        return []
    words = {compare_key(w): code for w, code in declaration()["stage_words"].items()}
    stages = raw_cells["status"].map(lambda v: words.get(compare_key(v)) if clean_text(v) else None)
    taken = stages.notna()
    if not taken.any():
        return []
    frame.loc[taken.to_numpy(), "stage"] = stages[taken].to_numpy()
    header = headers.get("status")
    return [Problem("stage_from_status", None, header, "", (("n", int(taken.sum())),))]


def _located(problem: Problem, raw: RawTable) -> Problem:
    """A problem in a wide table's long row, placed at the cell it came from: the value's
    own column; a column the wide table has not (year, unit) is said as the reading's."""
    if problem.row is None or problem.column is None:
        return problem
    # (a figure with a footnote mark is said as written, and its origin kept as cleaned)
    header = raw.origins.get((problem.row, problem.value)) or raw.origins.get(
        (problem.row, clean_text(problem.value))
    )
    if header is not None and problem.column in raw.headers.values():
        return replace(problem, column=header)
    return problem


def _implausible(frame: pd.DataFrame, raw_cells: pd.DataFrame, headers: dict) -> list[Problem]:
    """Figures outside the catalogue's plausible range for their scope and period: a unit
    read wrong (万吨 as 吨, 亿元 as 万元) is off by 10,000, far outside it."""
    if frame.empty:
        return []
    ranges = {i["id"]: i["plausible"] for i in reference.catalogue() if "plausible" in i}
    rows = frame[frame["indicator_id"].isin(list(ranges)) & frame["value"].notna()]
    if rows.empty:
        return []
    low = rows["indicator_id"].map(lambda i: ranges[i]["min"]) * rows["period"].fillna("Y").map(
        reference.period_share
    )
    parts = rows["scope_code"].map(lambda c: max(1, len(reference.leaves_of(c))) if c else 1)
    high = rows["indicator_id"].map(lambda i: ranges[i]["max"]) * parts
    off = (rows["value"] < low) | (rows["value"] > high)
    out = []
    for i in rows.index[off.to_numpy()]:
        unit = reference.indicator(frame.at[i, "indicator_id"])["unit"]
        params = (
            ("figure", f"{frame.at[i, 'value']:,.10g}"),
            ("unit", unit),
            ("min", f"{low[i]:,.10g}"),
            ("max", f"{high[i]:,.10g}"),
        )
        text = clean_text(raw_cells.at[i, "value"])
        out.append(
            Problem(
                "implausible_value",
                int(frame.at[i, "excel_row"]),
                headers.get("value"),
                text,
                params,
            )
        )
    return out


def _batches_in_years(columns: list[dict], raw_cells: pd.DataFrame) -> pd.DataFrame:
    """A year cell that names its batch (2024年第一批) gives the year, and the batch where
    the kind keeps one and the row's batch cell is empty."""
    ids = {c["id"] for c in columns}
    if "year" not in raw_cells or "batch" not in ids:
        return raw_cells
    found = raw_cells["year"].map(clean_text).str.extract(declaration()["year_batch"])
    hit = found[0].notna()
    if not hit.any():
        return raw_cells
    out = raw_cells.copy()
    out.loc[hit, "year"] = found.loc[hit, 0]
    if "batch" not in out:
        out["batch"] = None
    empty = hit & out["batch"].map(clean_text).eq("")
    out.loc[empty, "batch"] = found.loc[empty, 1]
    return out


def _total_mismatches(frame: pd.DataFrame) -> list[tuple[int, str, float, float]]:
    """Group totals in the file (全区合计, 双桥双新泾合计) against the sum of their 街镇 in the
    same file, for additive indicators, where every 街镇 of the group is there. Rounded
    parts may miss a rounded total by a little: 0.1% (at least 0.01) is let pass."""
    additive = {i["id"] for i in reference.catalogue() if i["additive"]}
    rows = frame[frame["indicator_id"].isin(additive) & frame["value"].notna()]
    keys = ["indicator_id", "breakdown", "year", "period"]
    out = []
    for code in rows["scope_code"].unique():
        leaves = reference.leaves_of(code)
        if leaves == [code]:
            continue
        parts = rows[rows["scope_code"].isin(leaves)].groupby(keys)["value"].agg(["sum", "count"])
        parts = parts[parts["count"] == len(leaves)]  # every 街镇 of the group is in the file
        totals = rows[rows["scope_code"] == code].join(parts, on=keys, how="inner")
        off = (totals["value"] - totals["sum"]).abs() > (0.001 * totals["value"].abs()).clip(
            lower=0.01
        )
        out += [
            (int(r), code, float(v), float(p))
            for r, v, p in zip(
                totals.loc[off, "excel_row"],
                totals.loc[off, "value"],
                totals.loc[off, "sum"],
                strict=True,
            )
        ]
    return sorted(out)


def _typed(frame: pd.DataFrame, columns: list[dict]) -> pd.DataFrame:
    """Numbers as floats, as the tables hold them (whole numbers stay Python integers, so
    a year of 10**20 is reported out of range rather than overflowing)."""
    for col in columns:
        if col["type"] == "number":
            frame[col["id"]] = pd.to_numeric(frame[col["id"]]).astype("float64")
    return frame


def _period_year_problems(
    frame: pd.DataFrame, raw_cells: pd.DataFrame, parsed: pd.Series, headers: dict
) -> list[Problem]:
    """A period that names its year (2025年1-9月) must agree with the year column. Each
    distinct period text is read once: a file repeats its periods on every row."""
    if "period" not in raw_cells or "year" not in frame:
        return []
    texts = raw_cells["period"].where(parsed)
    named = {}
    for text in texts.dropna().unique():
        clean = clean_text(text)
        named[text] = periods.parse_period(clean)[1] if clean else None
    years = texts.map(named)
    differs = years.notna() & frame["year"].notna() & (years != frame["year"])
    return [
        Problem("period_year", int(row), headers.get("period"), clean_text(text), (("year", y),))
        for row, text, y in zip(
            frame.loc[differs, "excel_row"], texts[differs], frame.loc[differs, "year"], strict=True
        )
    ]


def _order(p: Problem) -> tuple[int, str]:
    return (p.row or 0, p.column or "")


def _unit_keys(units: pd.Series) -> pd.Series:
    """compare_key of a column, worked out once per distinct unit (a file repeats them)."""
    return units.map({u: compare_key(u) for u in units.dropna().unique()})


def _unit_from_cell(
    frame: pd.DataFrame, marks: pd.Series, headers: dict, todo: pd.Series
) -> list[Problem]:
    """A unit written in the value cell (3.2亿元) is the row's unit; a row whose unit column
    names another one is refused rather than guessed."""
    in_cell = marks.where(marks.ne("%") & todo)
    has = in_cell.notna()
    if not has.any():
        return []
    written = frame["unit"].fillna("").astype(str)
    differs = has & (written != "") & (_unit_keys(written) != _unit_keys(in_cell))
    frame.loc[has & (written == ""), "unit"] = in_cell[has & (written == "")]
    return [
        Problem("unit_cell_twice", int(r), headers.get("unit"), w, (("cell", c),))
        for r, w, c in zip(
            frame.loc[differs, "excel_row"], written[differs], in_cell[differs], strict=True
        )
    ]


def _unit_from_header(
    frame: pd.DataFrame, value_col: str, headers: dict, todo: pd.Series
) -> list[Problem]:
    """A unit in the value column's header (数值（万吨标准煤）) is the unit of every row that
    names none; a row naming another unit is refused rather than guessed."""
    header = headers.get(value_col, "")
    in_header = re.search(r"\(([^)]+)\)", header)  # clean_text made brackets ASCII
    if not in_header:
        return []
    unit = in_header[1].strip()
    written = frame["unit"].fillna("").astype(str).str.strip()
    differs = todo & (written != "") & (_unit_keys(written) != compare_key(unit))
    frame.loc[written == "", "unit"] = unit
    return [
        Problem("unit_twice", int(r), headers.get("unit"), w, (("header", header),))
        for r, w in zip(frame.loc[differs, "excel_row"], written[differs], strict=True)
    ]


def _convert_units(
    kind: str,
    frame: pd.DataFrame,
    parsed: pd.Series,
    marks: dict[str, pd.Series],
    headers: dict,
    raw_cells: pd.DataFrame,
) -> list[Problem]:
    """Values in the catalogue's unit, for rows whose every cell parsed: a unit column, a
    unit in the cell or in the value column's header converts a row's value (observations,
    targets); declared units of register columns take a unit in the cell or the header."""
    if kind in ("observations", "targets", "department_targets"):
        return _convert_indicator_units(kind, frame, parsed, marks, headers, raw_cells)
    problems: list[Problem] = []
    for col in declaration()["kinds"][kind]["columns"]:
        if "unit" in col:
            problems += _convert_column_unit(
                col, frame, parsed, marks[col["id"]], headers, raw_cells
            )
    return problems


def _convert_indicator_units(
    kind: str,
    frame: pd.DataFrame,
    parsed: pd.Series,
    marks: dict[str, pd.Series],
    headers: dict,
    raw_cells: pd.DataFrame,
) -> list[Problem]:
    """Each row's value in its indicator's catalogue unit, from the unit column, the cell
    or the value column's header; a unit that does not convert, a percent where the
    indicator is not one and a negative observation are refused."""
    rows = frame["excel_row"]
    value_col = "value" if kind == "observations" else "target_value"
    todo = parsed & frame["indicator_id"].notna()
    problems = _unit_from_cell(frame, marks[value_col], headers, todo)
    problems += _unit_from_header(frame, value_col, headers, todo)
    factor, target = _indicator_factors(frame, todo)
    no_unit = factor.isna()
    problems += [
        Problem("unit_no_convert", int(rows[i]), headers.get("unit"), u or "", (("target", t),))
        for i, u, t in zip(
            factor.index[no_unit],
            frame.loc[factor.index[no_unit], "unit"],
            target[no_unit],
            strict=True,
        )
    ]
    ok = factor.index[~no_unit]
    pct_bad = marks[value_col].eq("%")[ok] & (target[ok] != "pct")
    problems += [
        Problem(
            "percent_not_allowed",
            int(rows[i]),
            headers.get(value_col),
            clean_text(raw_cells.at[i, value_col]),
        )
        for i in ok[pct_bad.to_numpy()]
    ]
    values = frame.loc[ok, value_col]
    has = values.notna()
    frame.loc[ok[has.to_numpy()], value_col] = values[has].astype(float) * factor[ok][has].astype(
        float
    )
    frame.loc[ok, "unit"] = target[ok]
    if kind == "observations":
        problems += _negatives(frame, ok, target, headers, raw_cells)
    return problems


def _indicator_factors(frame: pd.DataFrame, todo: pd.Series) -> tuple[pd.Series, pd.Series]:
    """For each row to convert, the factor from its written unit to its indicator's
    catalogue unit (None where none converts), and that catalogue unit."""
    units = {i["id"]: i["unit"] for i in reference.catalogue()}
    target = frame.loc[todo, "indicator_id"].map(units)
    # One factor per distinct (unit written, catalogue unit); None where none converts.
    pairs = pd.DataFrame({"written": frame.loc[todo, "unit"], "unit": target})
    combos = pairs.drop_duplicates()
    combos["factor"] = [
        _factor_or_none(w, u) for w, u in zip(combos["written"], combos["unit"], strict=True)
    ]
    factor = pairs.merge(combos, on=["written", "unit"], how="left")["factor"]
    factor.index = target.index
    return factor, target


def _negatives(
    frame: pd.DataFrame, ok: pd.Index, target: pd.Series, headers: dict, raw_cells: pd.DataFrame
) -> list[Problem]:
    """An observed figure below zero, where its unit is not a percentage, is refused."""
    rows = frame["excel_row"]
    negative = pd.to_numeric(frame.loc[ok, "value"]).lt(0) & (target[ok] != "pct")
    return [
        Problem(
            "negative",
            int(rows[i]),
            headers.get("value"),
            clean_text(raw_cells.at[i, "value"]),
        )
        for i in ok[negative.to_numpy()]
    ]


def _convert_column_unit(
    col: dict,
    frame: pd.DataFrame,
    parsed: pd.Series,
    marks: pd.Series,
    headers: dict,
    raw_cells: pd.DataFrame,
) -> list[Problem]:
    """A register column with a declared unit, in that unit: each row's unit is the one in
    its cell, else the header's (both, differing: refused); a percent is refused."""
    problems: list[Problem] = []
    rows = frame["excel_row"]
    percent = marks.eq("%")
    todo = parsed & frame[col["id"]].notna()
    header = headers.get(col["id"], "")
    in_header = re.search(r"\(([^)]+)\)", header)  # clean_text made brackets ASCII
    written = marks.where(~percent)
    if in_header:
        both = todo & written.notna() & (_unit_keys(written) != compare_key(in_header[1]))
        problems += [
            Problem("unit_twice", int(r), header, str(w), (("header", header),))
            for r, w in zip(rows[both], written[both], strict=True)
        ]
        written = written.fillna(in_header[1])
    for unit, at in written[todo].dropna().groupby(written[todo].dropna()).groups.items():
        try:
            factor = cells.unit_factor(unit, col["unit"], col.get("header_units"))
            frame.loc[at, col["id"]] = frame.loc[at, col["id"]].astype(float) * factor
        except cells.CellError:
            problems += [
                Problem("unit_no_convert", int(r), header, unit, (("target", col["unit"]),))
                for r in rows[at]
            ]
    problems += [
        Problem("percent_not_allowed", int(rows[i]), header, clean_text(raw_cells.at[i, col["id"]]))
        for i in frame.index[(todo & percent).to_numpy()]
    ]
    return problems


def _factor_or_none(unit_text: str | None, target_unit: str) -> float | None:
    if unit_text is None or pd.isna(unit_text):
        return 1.0
    try:
        return cells.unit_factor(unit_text, target_unit)
    except cells.CellError:
        return None


def _fill_defaults(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    if "period" in frame:
        frame["period"] = frame["period"].fillna("Y")
    if "breakdown" in frame:
        frame["breakdown"] = frame["breakdown"].fillna("")
    if kind == "observations":
        frame["data_status"] = frame["data_status"].fillna("preliminary")
    if kind == "targets":
        frame["kind"] = frame["kind"].fillna("cumulative")
    if kind == "projects":
        made = [_made_id("P", r.name, r.year) for r in frame.itertuples()]
        frame["project_id"] = frame["project_id"].fillna(pd.Series(made, index=frame.index))
    if kind == "pv":
        made = [_made_id("PV", r.site, r.grid_connected_on) for r in frame.itertuples()]
        frame["site_id"] = frame["site_id"].fillna(pd.Series(made, index=frame.index))
    return frame


def _made_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def _schema_problems(frame: pd.DataFrame, columns: list[dict], headers: dict) -> list[Problem]:
    if frame.empty:
        return []
    from pandera.errors import SchemaErrors

    try:
        _pandera_schema(columns).validate(frame, lazy=True)
    except SchemaErrors as err:
        out = []
        by_id = {c["id"]: c for c in columns}
        for case in err.failure_cases.itertuples():
            col = by_id.get(case.column)
            if col is None or case.index is None or pd.isna(case.index):
                continue
            row = int(frame.loc[case.index, "excel_row"])
            header = headers.get(col["id"], col["headers"][0])
            value = "" if pd.isna(case.failure_case) else clean_text(case.failure_case)
            if str(case.check).startswith("not_nullable"):
                out.append(Problem("required", row, header, ""))
            elif col["type"] == "integer" and col["id"] == "year":
                out.append(
                    Problem(
                        "year_range",
                        row,
                        header,
                        value,
                        (("min", col.get("min")), ("max", col.get("max"))),
                    )
                )
            else:
                out.append(
                    Problem(
                        "out_of_range",
                        row,
                        header,
                        value,
                        (("min", col.get("min", "")), ("max", col.get("max", ""))),
                    )
                )
        return out
    return []


def _duplicates(frame: pd.DataFrame, key: list[str], headers: dict) -> list[Problem]:
    if frame.empty:
        return []
    cols = [k for k in key if k in frame]
    dup = frame[frame.duplicated(cols, keep="first")]
    first = frame.drop_duplicates(cols).set_index(cols)["excel_row"]
    out = []
    for r in dup.itertuples(index=False):
        k = tuple(getattr(r, c) for c in cols)
        k = k[0] if len(k) == 1 else k
        out.append(
            Problem("duplicate_row", int(r.excel_row), None, "", (("first", int(first.loc[k])),))
        )
    return out


def reason(problem: Problem, lang: str) -> str:
    """Why a problem is one, in the user's language."""
    from indicators.reference.i18n import owner_name, t, unit_label

    params = dict(problem.params)
    for unit in ("target", "unit"):
        if unit in params:
            params[unit] = unit_label(params[unit], lang)
    if "scope" in params and reference.resolve_owner(str(params["scope"])):
        params["scope"] = owner_name(reference.resolve_owner(str(params["scope"])), lang)
    return t(
        f"intake.{problem.key}", lang, value=problem.value, column=problem.column or "", **params
    )


def reading_notes(checked: Checked, lang: str, with_reading: bool = True) -> list[str]:
    """How the file was read, for the editor (the page and the CLI show the same lines):
    the sheet read and the others, summary rows skipped, columns not read and why."""
    from indicators.reference import i18n
    from indicators.reference.i18n import t

    notes = []
    if checked.sheet and len(checked.sheet_names) > 1:
        others = t("common.list_sep", lang).join(
            n for n in checked.sheet_names if n != checked.sheet
        )
        notes.append(t("intake.sheet_read", lang, sheet=checked.sheet, others=others))
    if checked.summary_rows:
        rows = ", ".join(map(str, checked.summary_rows))
        notes.append(t("intake.summary_rows", lang, rows=rows))
    if checked.reading is not None and with_reading:
        notes += reading_lines(checked.reading, lang)
    notes += [describe(note, lang) for note in checked.notes]
    if checked.unused_columns:
        parts = [
            t("intake.unused_repeats" if o else "intake.unused_unknown", lang, column=c, other=o)
            for c, o in checked.unused_columns
        ]
        notes.append(t("intake.unused_columns", lang, columns="; ".join(parts)))
    for row, code, total, parts in checked.total_mismatches:
        notes.append(
            t(
                "intake.total_differs",
                lang,
                row=row,
                scope=i18n.scope_name(code, lang),
                total=i18n.number(total, None, lang),
                parts=i18n.number(parts, None, lang),
            )
        )
    return notes


def reading_lines(reading: Any, lang: str) -> list[str]:
    """How a wide table is read (layout.Reading), a line for the table and one per column:
    what the CLI prints for confirmation and the upload page shows above its choices."""
    from indicators.reference import i18n
    from indicators.reference.i18n import t

    unknown = t("layout.unknown", lang)
    asked = {p.key for p in reading.missing()}
    by_column = unknown if "layout_no_period" in asked else t("layout.by_column", lang)
    year = reading.year or (unknown if "layout_no_year" in asked else t("layout.by_column", lang))
    lines = [
        t(
            "layout.table",
            lang,
            kind=t(f"upload.kind_{reading.kind}", lang),
            rows=t("common.list_sep", lang).join(map(str, reading.header_rows)) or "-",
            label=reading.label_header or "-",
            year=year,
            period=i18n.period_label(reading.period, lang) if reading.period else by_column,
            title=reading.title or "-",
        )
    ]
    for block in getattr(reading, "blocks", []):
        lines.append(
            t(
                "layout.beside",
                lang,
                first=_letter(block.first),
                last=_letter(block.last),
                rows=t("common.list_sep", lang).join(map(str, block.header_rows)) or "-",
                letter=_letter(block.label),
                label=block.label_header or "-",
            )
        )
    if reading.recipe:
        lines.append(recipes.described(reading, lang))
    if reading.unit_text:
        lines.append(t("layout.unit_row", lang, units=reading.unit_text))
    for col in reading.columns:
        what = _column_reading(col, reading, lang)
        lines.append(t("layout.column", lang, letter=col.letter, header=col.header, what=what))
    if reading.source:
        lines.append(t("layout.source", lang, source=reading.source))
    if reading.footnotes:
        rows = t("common.list_sep", lang).join(map(str, reading.footnotes))
        lines.append(t("layout.footnotes", lang, rows=rows))
    if reading.no_value:
        lines.append(t("layout.no_value", lang, n=reading.no_value))
    return lines


def _letter(index: int) -> str:
    from indicators.intake.layout import Column

    return Column(index, "").letter


def _column_reading(col: Any, reading: Any, lang: str) -> str:
    from indicators.reference import i18n
    from indicators.reference.i18n import t

    if col.scope:
        return t("layout.as_scope", lang, scope=i18n.scope_name(col.scope, lang))
    if col.role == "value":
        year = col.year or reading.year
        if col.previous and year:
            year -= 1
        when = t("layout.previous", lang) if col.previous else ""
        if col.month:
            when = t("layout.month_summed", lang, month=col.month)
        elif getattr(col, "quarter", None):
            when = t("layout.quarter_summed", lang, quarter=col.quarter)
        elif col.period or reading.period:
            when += i18n.period_label(col.period or reading.period, lang)
        elif reading.kind == "targets":  # a target with no period is the year's
            when += i18n.period_label("Y", lang)
        what = i18n.indicator_name(col.indicator, lang) if col.indicator else None
        if reading.kind == "budget":
            what = t("layout.budget_amount", lang)
        return t(
            "layout.as_value",
            lang,
            indicator=what or t("layout.unknown", lang),
            year=year or "",
            when=when,
            unit=col.unit or t("layout.catalogue_unit", lang),
        )
    if col.role == "unused":
        why = t(f"layout.why_{col.reason}", lang, recipe=reading.recipe, by=reading.recipe_by)
        return t("layout.as_unused", lang, why=why)
    return t(f"layout.as_{col.role}", lang)


def describe(problem: Problem, lang: str) -> str:
    """One problem as a line the user reads: row, column, value and why."""
    from indicators.reference.i18n import t

    why = reason(problem, lang)
    if problem.row is None:
        return t("intake.problem_file", lang, why=why)
    # a file read across sheets: 工作表 虹桥街道 第5行
    on = "_sheet" if problem.sheet is not None else ""
    if problem.column is None:
        return t(f"intake.problem_row{on}", lang, row=problem.row, sheet=problem.sheet, why=why)
    return t(
        f"intake.problem_line{on}",
        lang,
        sheet=problem.sheet,
        row=problem.row,
        column=problem.column,
        value=problem.value,
        why=why,
    )
