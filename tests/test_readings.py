"""Building meter readings: files as meter platforms export them (Parquet, GBK CSV, .xlsx),
checked row by row, loaded as batches, converted to tce and shown as building_energy."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from indicators import reference
from indicators.builtin import install
from indicators.domain import queries
from indicators.intake import checks, files, loading, readings
from tests.conftest import query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli

HEADER = ["楼宇编号", "楼宇名称", "街镇", "时间", "能源品种", "读数", "单位"]
# January 2025 in two 街镇: 1,100 kWh + 1 MWh in 虹桥, 20 m³ of gas in 新泾镇.
ROWS = [
    ["T-1", "甲楼", "虹桥", "2025-01-01 00:00", "电力", "100", "kWh"],
    ["T-1", "甲楼", "虹桥", "2025-01-01 01:00", "电力", "1,000", "kWh"],
    ["T-1", "甲楼", "虹桥", "2025-01-31 23:00", "电力", "1", "MWh"],
    ["T-2", "乙楼", "新泾镇", "2025/1/1 0:00", "天然气", "10", "m3"],
    ["T-2", "乙楼", "新泾镇", "2025-01-01 01:00", "天然气", "0.001", "万m3"],
]
ELECTRICITY, GAS = 0.1229, 1.2143  # kgce per kWh and per m³, GB/T 2589-2020
HONGQIAO_TCE = (100 + 1000 + 1000) * ELECTRICITY / 1000
XINJING_TCE = 20 * GAS / 1000


def check(data: bytes, name: str, allowed: set[str] | None = None):
    return checks.check(files.read_upload(data, name), allowed_scopes=allowed)


def load(data: bytes, name: str = "readings.csv", **kw) -> loading.LoadResult:
    checked = check(data, name)
    assert checked.ok, [checks.describe(p, "en") for p in checked.problems]
    return loading.load(checked, editor="test", file_name=name, data=data, **kw)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


def building_energy(scope: str, year: int = 2025, period: str = "M01") -> pd.Series | None:
    frame = queries.indicator_frame("building_energy", scope, year, period)
    return None if frame.empty else frame.iloc[0]


def totals(path) -> list[tuple]:
    return query(
        path,
        "select scope_code, year, month, round(sum(tce), 9) from building_energy_monthly "
        "group by all order by all",
    )


@pytest.fixture
def no_demo(work_db):
    """The built-in database without its illustrative readings, so sums are known."""
    install.remove_demo()
    return work_db


def test_readings_convert_to_tce_by_street_and_month(no_demo):
    result = load(csv_bytes([HEADER, *ROWS]))
    assert result.counts["inserted"] == 5
    hongqiao = building_energy("hongqiao")
    assert hongqiao["value"] == pytest.approx(HONGQIAO_TCE)
    assert hongqiao["unit"] == "tce" and hongqiao["source"] == "readings.csv"
    assert not hongqiao["is_demo"] and hongqiao["data_status"] == "final"  # Jan 31 23:00 metered
    assert building_energy("xinjing")["value"] == pytest.approx(XINJING_TCE)
    assert building_energy("district")["value"] == pytest.approx(HONGQIAO_TCE + XINJING_TCE)
    # New 街镇 got no readings; February has none, so no year-to-date value for it.
    assert building_energy("beixinjing") is None
    assert building_energy("hongqiao", period="M02") is None


def test_the_factors_are_the_catalogues(no_demo):
    types = reference.energy_types()
    assert types["electricity"]["kgce_per_unit"] == ELECTRICITY
    assert types["natural_gas"]["kgce_per_unit"] == GAS
    by_id = {f["id"]: f for f in reference.factors()}
    for code, kind in types.items():  # each factor is per the unit readings are kept in
        assert by_id[kind["factor"]]["quantity_unit"] == kind["unit"], code
        assert "GB/T 2589-2020" in kind["source"]


def test_year_to_date_needs_every_month(no_demo):
    rows = [HEADER]
    for month in (1, 2, 4):  # March missing
        rows.append(["T-9", "", "北新泾", f"2025-{month:02d}-10 09:00", "电力", "1000", ""])
    load(csv_bytes(rows))
    assert building_energy("beixinjing", period="M02")["value"] == pytest.approx(2 * ELECTRICITY)
    assert building_energy("beixinjing", period="M02")["data_status"] == "preliminary"
    assert building_energy("beixinjing", period="Q1") is None
    assert building_energy("beixinjing", period="M04") is None


def test_parquet_gbk_csv_and_xlsx_give_the_same_totals(no_demo, tmp_path):
    frame = pd.DataFrame(ROWS, columns=HEADER)
    frame["时间"] = pd.to_datetime(frame["时间"], format="mixed")
    frame["读数"] = frame["读数"].str.replace(",", "").astype(float)
    load(parquet_bytes(frame), "readings.parquet")
    expected = totals(no_demo)
    assert [r[:3] for r in expected] == [("hongqiao", 2025, 1), ("xinjing", 2025, 1)]
    titled = [["楼宇能耗逐时读数（平台导出）", "", "", "", "", "", ""], HEADER, *ROWS]
    for data, name in (
        (csv_bytes(titled, "gbk"), "读数.csv"),
        (xlsx_bytes(titled), "读数.xlsx"),
    ):
        assert load(data, name).counts["unchanged"] == 5
        assert totals(no_demo) == expected


def test_the_command_line_loads_parquet_and_rejects_a_bad_file(no_demo, tmp_path):
    frame = pd.DataFrame(ROWS, columns=HEADER).assign(读数=0.01)
    path = tmp_path / "r.parquet"
    path.write_bytes(parquet_bytes(frame))
    ok = cli("load", str(path))
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["T-1", "", "虹桥", "2025-01-05 10:07", "电力", "5", ""]]))
    res = cli("load", str(bad), "--lang", "en")
    assert res.returncode == 2
    assert "Row 2, column '时间', value '2025-01-05 10:07': should be on the hour" in res.stderr


MISTAKES = [  # (cells changed in a good row, column, key)
    ({0: "", 1: ""}, "楼宇编号", "required"),  # no id and no name to make one from
    ({2: "浦东"}, "街镇", "unknown_scope"),
    ({3: "昨天"}, "时间", "not_a_datetime"),
    ({3: "2025-01-01 00:15"}, "时间", "not_on_the_hour"),
    ({4: "煤"}, "能源品种", "unknown_energy_type"),
    ({5: "很多"}, "读数", "not_a_number"),
    ({5: "-3"}, "读数", "negative"),
    ({6: "吨"}, "单位", "unit_no_convert"),
]


@pytest.mark.parametrize(("cells", "column", "key"), MISTAKES)
def test_every_mistake_is_reported_with_row_column_and_value(no_demo, cells, column, key):
    row = list(ROWS[0])
    for i, value in cells.items():
        row[i] = value
    checked = check(csv_bytes([HEADER, ROWS[1], row]), "r.csv")
    assert not checked.ok and checked.frame.empty
    (problem,) = checked.problems
    assert (problem.row, problem.column, problem.key) == (3, column, key)
    assert problem.value == row[HEADER.index(column)]
    assert checks.describe(problem, "zh").startswith("第3行")


def test_typed_parquet_cells_read_and_are_said_as_the_same_text_would_be(no_demo):
    """A Parquet file's times and numbers are typed: they are read as they are, never
    through text, and a message still shows the cell as written."""
    typed = pd.DataFrame(
        {
            "楼宇编号": ["T-1", "T-1", "T-1", "T-2"],
            "楼宇名称": ["甲楼"] * 3 + ["乙楼"],
            "街镇": ["虹桥", "虹桥", "虹桥", "新泾镇"],
            "时间": pd.to_datetime(
                ["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 02:07", "2025-01-01 00:00"]
            ),
            "能源品种": ["电力", "电力", "电力", "天然气"],
            "读数": [100.0, -2.5, 7.0, None],
            "单位": ["kWh", "kWh", "kWh", "m3"],
        }
    )
    as_text = typed.astype({"时间": "string", "读数": "string"})
    said = [
        [(p.row, p.column, p.key, p.value) for p in check(parquet_bytes(f), "r.parquet").problems]
        for f in (typed, as_text)
    ]
    assert said[1] == said[0]
    assert said[0] == [
        (2, "读数", "negative", "-2.5"),
        (3, "时间", "not_on_the_hour", "2025-01-01 02:07:00"),
        (4, "读数", "required", ""),
    ]
    good = typed.drop(index=[1, 2, 3])
    frames = [check(parquet_bytes(f), "r.parquet").frame for f in (good, good.astype(str))]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert frames[0]["quantity"].tolist() == [100.0]


def test_repeats_and_a_building_in_two_streets_are_refused(no_demo):
    rows = [HEADER, ROWS[0], ROWS[1], ROWS[0], [*ROWS[1][:2], "程家桥", *ROWS[1][3:]]]
    rows[4][3] = "2025-01-01 05:00"
    problems = check(csv_bytes(rows), "r.csv").problems
    assert [(p.row, p.key, dict(p.params)) for p in problems] == [
        (4, "duplicate_reading", {"first": 2}),
        (5, "building_two_scopes", {"scope": "hongqiao"}),
    ]


def test_full_width_digits_and_summary_rows(no_demo):
    rows = [HEADER, [*ROWS[0][:5], "１,０００", "kWh"], ["合计", "", "", "", "", "1000", ""]]
    checked = check(csv_bytes(rows), "r.csv")
    assert checked.ok, checked.problems
    assert checked.frame["quantity"].tolist() == [1000.0] and checked.summary_rows == [3]


def test_a_row_with_too_many_cells_is_reported(no_demo):
    data = csv_bytes([HEADER, ROWS[0]]) + b"T-1,x,hongqiao,2025-01-01 02:00,kWh,1,kWh,extra\r\n"
    (problem,) = check(data, "r.csv").problems
    assert (problem.row, problem.key) == (3, "bad_column_count")


def test_problems_are_listed_up_to_a_limit_with_the_total(no_demo, monkeypatch):
    monkeypatch.setattr(readings, "MAX_PROBLEMS", 3)
    rows = [HEADER] + [
        ["T-1", "", "虹桥", f"2025-01-01 {h:02d}:30", "电力", "1", ""] for h in range(10)
    ]
    problems = check(csv_bytes(rows), "r.csv").problems
    assert [p.key for p in problems] == ["not_on_the_hour"] * 3 + ["more_problems"]
    assert dict(problems[-1].params) == {"n": 7}


def test_an_editor_may_load_only_their_streets(no_demo):
    problems = check(csv_bytes([HEADER, *ROWS]), "r.csv", allowed={"hongqiao"}).problems
    assert {(p.row, p.key) for p in problems} == {
        (5, "scope_not_allowed"),
        (6, "scope_not_allowed"),
    }


def test_a_different_reading_is_a_conflict_then_replaced_then_rolled_back(no_demo):
    first = load(csv_bytes([HEADER, *ROWS]))
    before = totals(no_demo)
    changed = [HEADER, *ROWS]
    changed[1] = [*ROWS[0][:5], "300", "kWh"]
    with pytest.raises(loading.LoadConflict) as conflict:
        load(csv_bytes(changed))
    (row,) = conflict.value.conflicts.to_dict("records")
    assert (row["building_id"], row["old_value"], row["new_value"]) == ("T-1", 100, 300)
    assert totals(no_demo) == before  # nothing written

    second = load(csv_bytes(changed), replace=True)
    assert second.counts == {**second.counts, "replaced": 1, "unchanged": 4}
    assert building_energy("hongqiao")["value"] == pytest.approx(
        HONGQIAO_TCE + 200 * ELECTRICITY / 1000
    )
    with pytest.raises(loading.RollbackRefused) as refused:
        loading.rollback(first.batch_id, "test")  # the second load replaced its rows
    assert refused.value.key == "later_batch"

    loading.rollback(second.batch_id, "test")
    assert totals(no_demo) == before
    loading.rollback(first.batch_id, "test")
    assert totals(no_demo) == [] and building_energy("district") is None


def test_moving_a_building_to_another_street_moves_all_its_months(no_demo):
    load(csv_bytes([HEADER, *ROWS]))
    later = [HEADER, ["T-1", "甲楼", "程家桥", "2025-03-01 00:00", "电力", "10", "kWh"]]
    with pytest.raises(loading.LoadConflict) as conflict:
        load(csv_bytes(later))
    assert conflict.value.conflicts["table"].tolist() == ["buildings"]
    batch = load(csv_bytes(later), replace=True).batch_id
    assert building_energy("hongqiao") is None  # January moved with the building
    assert building_energy("chengjiaqiao")["value"] == pytest.approx(HONGQIAO_TCE)
    loading.rollback(batch, "test")
    assert building_energy("hongqiao")["value"] == pytest.approx(HONGQIAO_TCE)


def test_totals_kept_at_load_match_a_rebuild(work_db):
    load(csv_bytes([HEADER, *ROWS]))
    kept = totals(work_db)
    assert readings.rebuild_monthly() == len(
        duckdb.connect(str(work_db), read_only=True)
        .execute("select * from building_energy_monthly")
        .fetchall()
    )
    assert totals(work_db) == kept


def test_real_readings_replace_illustrative_ones_and_demo_remove_keeps_them(work_db):
    demo = building_energy("hongqiao")
    assert demo["is_demo"] and demo["source"] == reference.DEMO_SOURCE
    rows = [HEADER, ["DEMO-B-hongqiao-1", "", "虹桥", "2025-01-01 00:00", "电力", "1", "kWh"]]
    assert load(csv_bytes(rows)).counts["replaced_demo"] == 1
    install.remove_demo()
    assert building_energy("hongqiao")["value"] == pytest.approx(ELECTRICITY / 1000)
