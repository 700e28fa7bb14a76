"""Building-management exports as they come: 15- and 30-minute intervals summed to the
hour, cumulative meter registers (电表读数) turned into use with rollovers and resets
found, buildings with no id, and the plausibility checks that stop one building from
becoming 121,234 tce in a month without a word."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from indicators.intake import checks, files
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli
from tests.test_readings import ELECTRICITY, building_energy, load, no_demo  # noqa: F401

USE = ["楼宇编号", "楼宇名称", "街镇", "时间", "能源品种", "用量", "单位"]
REGISTER = ["楼宇名称", "街镇", "抄表时间", "能源品种", "电表读数", "单位"]
START = datetime(2025, 1, 1)


def _at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")


def _check(rows, name="m.csv"):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, "gbk")
    return checks.check(files.read_upload(data, name))


def _hours(checked) -> dict[str, float]:
    frame = checked.frame
    return {h.strftime("%H:%M"): q for h, q in zip(frame["hour"], frame["quantity"], strict=True)}


@pytest.mark.parametrize(("step", "name"), [(15, "q.csv"), (30, "h.xlsx")])
def test_quarter_and_half_hour_intervals_are_summed_to_the_hour(no_demo, step, name):  # noqa: F811
    rows = [USE] + [["M-1", "甲楼", "虹桥", _at(m), "电力", 10, "kWh"] for m in range(0, 120, step)]
    checked = _check(rows, name)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    per_hour = 10 * 60 / step
    assert _hours(checked) == {"00:00": per_hour, "01:00": per_hour}


def test_an_hour_missing_a_quarter_inside_the_series_is_refused_and_an_end_one_is_said(
    no_demo,  # noqa: F811
):
    minutes = [m for m in range(0, 180, 15) if m != 75]  # 01:15 is missing
    rows = [USE] + [["M-1", "甲楼", "虹桥", _at(m), "电力", 10, "kWh"] for m in minutes]
    (problem,) = _check(rows).problems
    assert (problem.key, problem.row, dict(problem.params)) == (
        "hour_incomplete",
        6,
        {"detail": "3"},
    )
    assert "3 个时段" in checks.describe(problem, "zh")

    ends = [USE] + [["M-1", "甲楼", "虹桥", _at(m), "电力", 10, "kWh"] for m in range(0, 135, 15)]
    checked = _check(ends)  # 02:00 alone at the end: left out, said
    assert checked.ok and _hours(checked) == {"00:00": 40, "01:00": 40}
    (note,) = checked.notes
    assert (note.key, note.row) == ("hour_edge", 10)


def test_registers_become_use_with_a_rollover_and_a_reset_said(no_demo):  # noqa: F811
    readings = [99_700, 99_900, 150, 400, 30, 80]  # wraps after 99,900; a new meter at 30
    rows = [REGISTER] + [
        ["乙楼", "新泾镇", _at(60 * h), "电力", r, "kWh"] for h, r in enumerate(readings)
    ]
    checked = _check(rows)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert _hours(checked) == {"00:00": 200, "01:00": 250, "02:00": 250, "03:00": 30, "04:00": 50}
    assert [(n.key, n.row) for n in checked.notes] == [
        ("building_id_made", 2),
        ("register_rollover", 4),
        ("register_reset", 6),
    ]
    assert checked.frame["building_id"].nunique() == 1
    made = checked.frame["building_id"].iloc[0]
    again = _check(
        [
            REGISTER,
            ["乙楼 ", "新泾", _at(0), "电力", 1, ""],
            ["乙楼", "新泾镇", _at(60), "电力", 5, ""],
        ]
    )
    assert set(again.frame["building_id"]) == {made}  # the same id in every file


def test_registers_further_apart_than_one_interval_are_refused(no_demo):  # noqa: F811
    rows = [REGISTER] + [
        ["乙楼", "新泾镇", _at(60 * h), "电力", r, "kWh"] for h, r in [(0, 10), (1, 20), (4, 90)]
    ]
    (problem,) = _check(rows).problems
    assert (problem.key, problem.row, problem.column) == ("register_gap", 4, "抄表时间")


def test_an_hour_no_commercial_building_can_use_is_refused_naming_the_row(no_demo):  # noqa: F811
    rows = [USE] + [["M-1", "甲楼", "虹桥", _at(60 * h), "电力", 120, "kWh"] for h in range(30)]
    rows[12][5] = 200_000  # 24.6 tce in one hour
    (problem,) = _check(rows).problems
    assert (problem.key, problem.row) == ("implausible_hour", 13)
    assert "24.6 吨标准煤" in checks.describe(problem, "zh")
    rows[12][5] = 9_000  # 1.1 tce: possible for a tower, not for this building
    (problem,) = _check(rows).problems
    assert (problem.key, problem.row, dict(problem.params)) == (
        "far_above_typical",
        13,
        {"detail": "120.0"},
    )


def test_a_use_column_that_only_grows_is_a_register_and_is_refused(no_demo):  # noqa: F811
    # The way one building became 121,234 tce: its meter's register loaded as use.
    rows = [USE] + [
        ["M-1", "甲楼", "虹桥", _at(60 * h), "电力", 50_000 + 97 * h, "kWh"] for h in range(30)
    ]
    keys = {p.key for p in _check(rows).problems}
    assert keys == {"looks_cumulative"}


def test_a_register_file_loads_through_the_command_line_and_shows_as_building_energy(
    no_demo,  # noqa: F811
    tmp_path,
):
    rows = [REGISTER] + [
        ["丙楼", "程家桥", _at(30 * k), "电力", 1000 + 50 * k, ""] for k in range(9)
    ]
    path = tmp_path / "表底数.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    done = cli("load", str(path))
    assert done.returncode == 0, done.stderr
    assert "已按街镇与名称生成固定编号" in done.stdout
    value = building_energy("chengjiaqiao")["value"]
    assert value == pytest.approx(8 * 50 * ELECTRICITY / 1000)  # 4 hours of 100 kWh


def test_use_and_register_columns_together_are_refused():
    rows = [[*USE, "电表读数"], ["M-1", "甲楼", "虹桥", _at(0), "电力", 1, "kWh", 5]]
    (problem,) = _check(rows).problems
    assert problem.key == "register_and_quantity"
    assert "用量 / 电表读数" in checks.describe(problem, "zh")


def test_the_use_columns_header_unit_counts_and_tells_the_energy_type(no_demo):  # noqa: F811
    # A building-management export of one electricity meter: no energy type column, the
    # unit in the header only. MWh must not be read as kWh.
    rows = [["楼宇名称", "街镇", "采集时间", "用量(MWh)"]]
    rows += [["丁楼", "虹桥", _at(60 * h), 0.2] for h in range(3)]
    checked = _check(rows)
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert set(checked.frame["energy_type"]) == {"electricity"}
    assert checked.frame["quantity"].tolist() == [200.0, 200.0, 200.0]  # kWh
    (problem,) = _check([["楼宇名称", "街镇", "采集时间", "用量"], rows[1]]).problems
    assert (problem.key, problem.column) == ("missing_column", "能源品种")
