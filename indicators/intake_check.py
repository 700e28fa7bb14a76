"""Checking an upload against its declared schema: every cell parsed by its column's
type, every problem collected (row, column, value, why), units converted.

Raw rows in, a clean DataFrame ready to load plus the list of problems out. Pure: no
database, no Streamlit. Conflicts with data already loaded are found at load time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import pandera.pandas as pa

from indicators import reference
from indicators.intake_read import BULK_KINDS, Problem, RawTable, clean_text, declaration

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


@dataclass
class Checked:
    kind: str
    frame: pd.DataFrame  # clean rows, with excel_row
    problems: list[Problem] = field(default_factory=list)
    summary_rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _CellError(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _number(value: Any) -> tuple[float, bool]:
    """A number from a cell: thousands separators, spaces and a trailing % allowed.
    Returns the number and whether it carried a percent sign."""
    if isinstance(value, bool):
        raise _CellError("not_a_number")
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise _CellError("not_a_number")
        return float(value), False
    text = clean_text(value).replace(",", "").replace(" ", "")
    percent = text.endswith("%")
    text = text.rstrip("%")
    if not NUMBER.match(text):
        raise _CellError("not_a_number")
    return float(text), percent


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    for pattern in declaration()["date_patterns"]:  # e.g. 2025年6月30日
        m = re.match(pattern, text)
        if m:
            text = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _CellError("not_a_date")


def _word(value: Any, words: dict[str, str], key: str) -> str:
    text = "".join(clean_text(value).split()).casefold()
    for word, code in words.items():
        if text == str(word).casefold():
            return code
    raise _CellError(key)


def _unit_factor(unit_text: str, target_unit: str) -> float:
    """The factor that turns a value in `unit_text` into `target_unit`."""
    key = "".join(clean_text(unit_text).split()).casefold()
    for name, factor in declaration()["units"].get(target_unit, {}).items():
        if key == str(name).casefold():
            return float(factor)
    raise _CellError("unit_no_convert", target=target_unit)


def _parse(col: dict, value: Any) -> Any:
    kind = col["type"]
    text = clean_text(value)
    if text == "":
        return None
    if kind == "text":
        return text
    if kind == "number":
        return _number(value)
    if kind == "integer":
        suffix = declaration()["year_suffix"]
        number, _ = _number(text.removesuffix(suffix) if isinstance(value, str) else value)
        if not number.is_integer():
            raise _CellError("not_an_integer")
        return int(number)
    if kind == "date":
        return _date(value)
    if kind == "scope":
        code = reference.resolve_scope(text)
        if code is None:
            raise _CellError("unknown_scope")
        return code
    if kind == "indicator":
        code = reference.resolve_indicator(text)
        if code is None:
            raise _CellError("unknown_indicator")
        return code
    if kind == "period":
        period = declaration()["period_words"].get(text, text.upper())
        if period not in reference.PERIODS:
            raise _CellError("bad_period")
        return period
    if kind == "status":
        return _word(value, declaration()["status_words"], "bad_status")
    if kind == "kind":
        return _word(value, declaration()["kind_words"], "bad_kind")
    if kind == "unit":
        return text
    raise ValueError(kind)


def _parse_cached(col: dict, value: Any, memo: dict) -> Any:
    """_parse, remembered per column and cell value: a file repeats its 街镇, years,
    indicators and units on every row. Numbers vary too much to be worth remembering."""
    if col["type"] == "number" or not isinstance(value, str | int | float | date | None):
        return _parse(col, value)
    key = (col["id"], type(value), value)
    if key not in memo:
        try:
            memo[key] = (True, _parse(col, value))
        except _CellError as err:
            memo[key] = (False, (err.key, err.params))
    ok, result = memo[key]
    if not ok:
        raise _CellError(result[0], **result[1])
    return result


def _pandera_schema(columns: list[dict]) -> pa.DataFrameSchema:
    """Required values and ranges, generated from the declaration."""
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


def check(raw: RawTable, allowed_scopes: set[str] | None = None) -> Checked:
    """Parse and check every row of `raw`. `allowed_scopes` limits which 街镇 the editor may
    change (None: all)."""
    if raw.cells is not None or raw.kind in BULK_KINDS:
        from indicators import readings

        return readings.check(raw, allowed_scopes)
    kind = raw.kind or "observations"
    decl = declaration()["kinds"][kind]
    columns = decl["columns"]
    problems = list(raw.problems)
    records, bad_cells, memo = [], set(), {}
    for excel_row, cells in raw.rows:
        record: dict[str, Any] = {"excel_row": excel_row}
        percent_cols = set()
        for col in columns:
            value = cells.get(col["id"])
            header = raw.headers.get(col["id"], col["headers"][0])
            try:
                parsed = _parse_cached(col, value, memo)
            except _CellError as err:
                problems.append(
                    Problem(
                        err.key, excel_row, header, clean_text(value), tuple(err.params.items())
                    )
                )
                bad_cells.add((excel_row, header))
                parsed = None
            if col["type"] == "number" and parsed is not None:
                parsed, pct = parsed
                if pct:
                    percent_cols.add(col["id"])
            record[col["id"]] = parsed
        if not any(row == excel_row for row, _ in bad_cells):
            problems += _convert_units(kind, record, percent_cols, raw.headers, cells)
        if (
            allowed_scopes is not None
            and record.get("scope_code") is not None
            and record["scope_code"] not in allowed_scopes
        ):
            problems.append(
                Problem(
                    "scope_not_allowed",
                    excel_row,
                    raw.headers.get("scope_code"),
                    clean_text(cells.get("scope_code")),
                )
            )
        records.append(record)
    frame = pd.DataFrame(records, columns=["excel_row", *[c["id"] for c in columns]])
    frame = _fill_defaults(kind, frame)
    # A cell that did not parse is empty now: do not report it again as missing.
    problems += [
        p
        for p in _schema_problems(frame, columns, raw.headers)
        if (p.row, p.column) not in bad_cells
    ]
    problems += _duplicates(frame, decl["key"], raw.headers)
    if not raw.rows and not problems:
        problems.append(Problem("no_rows"))
    bad_rows = {p.row for p in problems}
    frame = frame[~frame["excel_row"].isin(bad_rows)].reset_index(drop=True)
    return Checked(kind, frame, sorted(problems, key=_order), list(raw.summary_rows))


def _order(p: Problem) -> tuple[int, str]:
    return (p.row or 0, p.column or "")


def _convert_units(
    kind: str, record: dict, percent_cols: set[str], headers: dict, cells: dict
) -> list[Problem]:
    """Values in the catalogue's unit: a unit column converts a row's value (observations,
    targets); declared units of register columns take a unit written in the header."""
    row = record["excel_row"]
    problems: list[Problem] = []
    if kind in ("observations", "targets") and record.get("indicator_id"):
        target_unit = reference.indicator(record["indicator_id"])["unit"]
        value_col = "value" if kind == "observations" else "target_value"
        unit_text = record.get("unit")
        try:
            factor = 1.0 if unit_text is None else _unit_factor(unit_text, target_unit)
        except _CellError:
            problems.append(
                Problem(
                    "unit_no_convert",
                    row,
                    headers.get("unit"),
                    unit_text or "",
                    (("target", target_unit),),
                )
            )
            return problems
        if value_col in percent_cols and target_unit != "pct":
            problems.append(
                Problem(
                    "percent_not_allowed",
                    row,
                    headers.get(value_col),
                    clean_text(cells.get(value_col)),
                )
            )
        if record.get(value_col) is not None:
            record[value_col] = record[value_col] * factor
        record["unit"] = target_unit
        if (
            kind == "observations"
            and record["value"] is not None
            and record["value"] < 0
            and target_unit != "pct"
        ):
            problems.append(
                Problem("negative", row, headers.get("value"), clean_text(cells.get("value")))
            )
        return problems
    for col in declaration()["kinds"][kind]["columns"]:
        if "unit" in col and record.get(col["id"]) is not None:
            header = headers.get(col["id"], "")
            unit_text = re.search(r"\(([^)]+)\)", header)  # clean_text made brackets ASCII
            if unit_text:
                try:
                    record[col["id"]] *= _unit_factor(unit_text[1], col["unit"])
                except _CellError:
                    problems.append(
                        Problem(
                            "unit_no_convert", row, header, unit_text[1], (("target", col["unit"]),)
                        )
                    )
            if col["id"] in percent_cols:
                problems.append(
                    Problem("percent_not_allowed", row, header, clean_text(cells.get(col["id"])))
                )
    return problems


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
    try:
        _pandera_schema(columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
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
    from indicators.i18n import t, unit_label

    params = dict(problem.params)
    if "target" in params:
        params["target"] = unit_label(params["target"], lang)
    return t(
        f"intake.{problem.key}", lang, value=problem.value, column=problem.column or "", **params
    )


def describe(problem: Problem, lang: str) -> str:
    """One problem as a line the user reads: row, column, value and why."""
    from indicators.i18n import t

    why = reason(problem, lang)
    if problem.row is None:
        return t("intake.problem_file", lang, why=why)
    if problem.column is None:
        return t("intake.problem_row", lang, row=problem.row, why=why)
    return t(
        "intake.problem_line",
        lang,
        row=problem.row,
        column=problem.column,
        value=problem.value,
        why=why,
    )
