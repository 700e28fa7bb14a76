"""A missing value is never zero (issue 23, rule 1): a sum whose parts are all unknown is
unknown (`show` prints no value, the pages say 未提供), and a sum with some parts unknown
says how many. Through the CLI on a database with no illustrative projects."""

from __future__ import annotations

import csv
import io
import random

import pytest

from tests.intake_files import csv_bytes
from tests.test_load import cli

HEADER = ["项目编号", "项目名称", "所属街镇", "年份", "支持金额（万元）"]
YEAR = 2031  # a year of its own: only these projects in it


@pytest.fixture
def no_demo(work_db):
    """The built-in database without its illustrative projects, so sums are known (and
    projects with no approval date count in every year's grid)."""
    from indicators.builtin import install

    install.remove_demo()
    return work_db


def _load(tmp_path, rows: list[list[object]]) -> None:
    path = tmp_path / "projects.csv"
    path.write_bytes(csv_bytes([HEADER, *rows], "gbk"))
    res = cli("load", str(path), "--accept")
    assert res.returncode == 0, res.stderr


def _show(indicator: str, street: str) -> tuple[list[dict], str]:
    res = cli(
        "show",
        indicator,
        "--street",
        street,
        "--year",
        str(YEAR),
        "--period",
        "Y",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(res.stdout))) if res.returncode == 0 else []
    return rows, res.stderr


def test_a_register_without_amounts_shows_no_amount_never_zero(no_demo, tmp_path):
    _load(tmp_path, [["P-1", "甲", "虹桥", YEAR, ""], ["P-2", "乙", "虹桥", YEAR, ""]])
    (count,), _ = _show("funded_projects", "虹桥")
    assert count["value"] == "2"
    (amount,), said = _show("funded_amount", "虹桥")
    assert amount["value"] == ""  # no value: not 0
    assert "2 项均未填数值，合计未提供（不是 0）" in said
    # a 街镇 with no project at all granted nothing: zero is true there
    (none,), said = _show("funded_amount", "新泾镇")
    assert none["value"] == "0" and said == ""


def test_a_sum_with_some_parts_missing_says_how_many(no_demo, tmp_path):
    _load(
        tmp_path,
        [
            ["P-1", "甲", "虹桥", YEAR, 30],
            ["P-2", "乙", "虹桥", YEAR, ""],
            ["P-3", "丙", "虹桥", YEAR, 12.5],
        ],
    )
    (amount,), said = _show("funded_amount", "虹桥")
    assert amount["value"] == "42.5"
    assert "1 项未填数值，未计入此合计" in said


@pytest.mark.parametrize("seed", range(3))
def test_no_figure_is_zero_unless_a_zero_was_written(no_demo, tmp_path, seed):
    """Random small registers with some amounts blanked: every 街镇's shown amount is the
    sum of what was written, empty where nothing was, and 0 only where 0s were written or
    it has no project."""
    rng = random.Random(seed)
    streets = ["虹桥", "北新泾", "程家桥", "新泾镇"]
    rows, written = [], {s: [] for s in streets}
    for n in range(rng.randint(4, 12)):
        street = rng.choice(streets)
        amount = rng.choice(["", "", 0, rng.randint(1, 500)])
        rows.append([f"R-{n}", f"项目{n}", street, YEAR, amount])
        written[street].append(amount)
    _load(tmp_path, rows)
    for street, amounts in written.items():
        (shown,), _ = _show("funded_amount", street)
        known = [a for a in amounts if a != ""]
        if not amounts:
            assert shown["value"] == "0"  # no project: nothing granted
        elif not known:
            assert shown["value"] == "", (street, amounts)
        else:
            assert float(shown["value"]) == sum(known), (street, amounts)
            assert (shown["value"] == "0") == (sum(known) == 0)


def test_the_projects_page_says_not_given_and_how_many_never_zero(no_demo, tmp_path):
    from tests.test_pages import open_page

    _load(tmp_path, [["P-1", "甲", "虹桥", YEAR, ""], ["P-2", "乙", "虹桥", YEAR, ""]])
    at = open_page("projects", year=str(YEAR), scope="hongqiao", period="Y")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["项目数（项）"] == "2"
    # neither amounts nor savings were written: not given, and said how many, not 0
    assert metrics["支持金额（万元）"] == metrics["预计年节能量（吨标准煤）"] == "未提供"
    said = [c.value for c in at.caption]
    assert said.count("2 个项目未填此项，未计入合计") == 2


def test_the_projects_table_by_street_says_on_each_row_how_many_a_sum_lacks(no_demo, tmp_path):
    from tests.test_pages import open_page

    rows = [["P-1", "甲", "虹桥", YEAR, 10], ["P-2", "乙", "虹桥", YEAR, ""]]
    _load(tmp_path, [*rows, ["P-3", "丙", "新泾镇", YEAR, 5]])
    at = open_page("projects", year=str(YEAR), scope="district", group="focus", period="Y")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "未填金额的项目（项）" in d.value.columns)
    by_scope = table.set_index("街镇")
    assert by_scope.loc["虹桥街道", "支持金额（万元）"] == 10
    assert by_scope.loc["虹桥街道", "未填金额的项目（项）"] == 1
    assert by_scope.loc["新泾镇", "未填金额的项目（项）"] == 0
