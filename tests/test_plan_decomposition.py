"""目标分解 of a five-year plan: the 街镇's cumulative targets against their group's and the
district's — known answers on a few inline rows (a fall weighted by base-year totals, a cap
added up from them, a missing base), then `targets check` on a database."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.domain import decomposition, fiveyear
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli

# The four focus 街镇's base-year totals: energy 1000 in all (hongqiao 40% of it).
ENERGY = {"hongqiao": 400.0, "beixinjing": 300.0, "chengjiaqiao": 200.0, "xinjing": 100.0}
PLAN = fiveyear.plan("十五五")


def _targets(indicator: str, shares: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [(indicator, scope, value) for scope, value in shares.items()],
        columns=["indicator_id", "scope_code", "target_value"],
    )


def _bases(values: dict[str, float], indicator: str = "energy_total") -> pd.DataFrame:
    return pd.DataFrame(
        [(indicator, scope, value) for scope, value in values.items()],
        columns=["indicator_id", "scope_code", "value"],
    )


def _found(frame: pd.DataFrame) -> list[list]:
    return [
        [r.scope_code, r.key, r.target, pytest.approx(r.result) if r.result else r.result]
        for r in frame.itertuples()
    ]


# 虹桥 falls 20%, the other three 10%: weighted by energy, kept = .4·.8 + .6·.9 = .86, a 14%
# fall (not the 12.5% of an unweighted mean).
FALLS = {"hongqiao": 20.0, "beixinjing": 10.0, "chengjiaqiao": 10.0, "xinjing": 10.0}


def test_a_fall_weighted_by_base_year_energy_reaches_the_group_target():
    found = decomposition.check_plan(
        _targets("energy_per_gdp", {**FALLS, "focus": 14.0}), _bases(ENERGY)
    )
    assert found.empty


def test_a_fall_short_of_the_group_target_is_found_with_what_the_streets_reach():
    found = decomposition.check_plan(
        _targets("energy_per_gdp", {**FALLS, "focus": 14.5}), _bases(ENERGY)
    )
    assert _found(found) == [["focus", "plan_fall_short", 14.5, 14.0]]
    (zh,) = decomposition.plan_lines(found, PLAN, "zh")
    assert "十五五" in zh and "14.00%" in zh and "14.50%" in zh and "双桥双新泾" in zh
    assert "2025年能源消费总量加权" in zh
    (en,) = decomposition.plan_lines(found, PLAN, "en")
    assert "short" in en and "2025" in en


def test_an_intensity_of_co2_is_weighted_by_co2_not_energy():
    targets = _targets("co2_per_gdp", {**FALLS, "focus": 14.0})
    found = decomposition.check_plan(targets, _bases(ENERGY))
    assert _found(found) == [["focus", "plan_no_base", None, None]]
    # 虹桥 holds 10% of the CO2: the 10% falls weigh more, 1 − (.1·.8 + .9·.9) = 11%
    co2 = {"hongqiao": 100.0, "beixinjing": 300.0, "chengjiaqiao": 300.0, "xinjing": 300.0}
    found = decomposition.check_plan(targets, _bases(co2, "co2_total"))
    assert _found(found) == [["focus", "plan_fall_short", 14.0, 11.0]]


def test_a_cap_is_the_streets_allowances_added_up_against_the_group_base():
    growth = {"hongqiao": 5.0, "beixinjing": 10.0, "chengjiaqiao": 10.0, "xinjing": 10.0}
    bases = _bases({**ENERGY, "focus": 1000.0})
    # 420 + 330 + 220 + 110 = 1080: 8% on the group's 1000
    assert decomposition.check_plan(_targets("energy_total", {**growth, "focus": 8.0}), bases).empty
    over = decomposition.check_plan(_targets("energy_total", {**growth, "focus": 7.0}), bases)
    assert _found(over) == [["focus", "plan_cap_over", 7.0, 8.0]]
    assert "超过" in decomposition.plan_lines(over, PLAN, "zh")[0]


@pytest.mark.parametrize(
    ("indicator", "bases", "missing"),
    [
        ("energy_per_gdp", {k: v for k, v in ENERGY.items() if k != "xinjing"}, ("xinjing",)),
        ("energy_total", ENERGY, ("focus",)),  # a cap needs the group's own base too
    ],
)
def test_a_missing_base_says_the_check_cannot_be_made_never_consistent(indicator, bases, missing):
    shares = dict.fromkeys([*ENERGY, "focus"], 10.0)  # consistent, were the base there
    found = decomposition.check_plan(_targets(indicator, shares), _bases(bases))
    assert found[["key", "names"]].values.tolist() == [["plan_no_base", missing]]
    (zh,) = decomposition.plan_lines(found, PLAN, "zh")
    assert "无法核对" in zh and "2025年" in zh


def test_a_street_without_a_plan_target_is_named():
    shares = {**{k: 10.0 for k in ENERGY if k != "xinjing"}, "focus": 10.0}
    found = decomposition.check_plan(_targets("energy_per_gdp", shares), _bases(ENERGY))
    assert found[["key", "names"]].values.tolist() == [["plan_parts_missing", ("xinjing",)]]


def test_the_illustrative_plan_targets_add_up_on_the_built_in_data(builtin_db):
    from indicators.domain import queries

    assert len(queries.plan_targets(PLAN["id"])) > 0
    assert queries.plan_target_findings(PLAN).empty


def test_targets_check_prints_the_plan_targets_lines_and_exits_1_when_they_do_not_add_up(
    work_db, tmp_path
):
    done = cli("targets", "check", "--year", "2027")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "十五五规划目标分解一致" in done.stdout
    # 虹桥's fall cut to 5%: neither its group's 14% nor the district's is reached
    path = tmp_path / "plan.csv"
    path.write_bytes(
        csv_bytes([["五年规划", "指标", "街镇", "五年目标"], ["十五五", "单位GDP能耗", "虹桥", 5]])
    )
    loaded = cli("load", str(path), "--replace")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert query(
        work_db,
        "select target_value from plan_targets where scope_code = 'hongqiao' "
        "and indicator_id = 'energy_per_gdp'",
    ) == [(5.0,)]
    found = cli("targets", "check", "--year", "2027")
    assert found.returncode == 1, found.stdout + found.stderr
    lines = found.stdout.strip().splitlines()
    plan = lines.index(next(line for line in lines if line.startswith("十五五")))
    assert "2 处问题" in lines[plan]
    assert len(lines[plan + 1 :]) == 2
    assert all("单位GDP能耗（十五五）" in line for line in lines[plan + 1 :])
    assert any("双桥双新泾" in line for line in lines[plan + 1 :])
    assert any("全区" in line for line in lines[plan + 1 :])
    english = cli("targets", "check", "--year", "2027", "--lang", "en")
    assert english.returncode == 1 and "15th Five-Year Plan targets have 2 problems" in (
        english.stdout
    )
    # a year outside any plan says nothing of one
    outside = cli("targets", "check", "--year", "2019")
    assert "十五五" not in outside.stdout


# -- the 目标分解 page: the plan grid, editable by district editors only -------------------


def _plan_page(editor=None, lang="zh"):
    from tests.test_data_pages import open_page

    return open_page("pages/targets.py", editor, lang=lang)


def _plan_grid(at):
    """The plan grid: the one table with a column saying which targets are illustrative."""
    (grid,) = [d for d in at.dataframe if "数据性质" in d.value.columns]
    return grid


def test_a_district_editor_saves_a_plan_target_in_the_grid_as_a_logged_batch(editors):
    from indicators import auth

    at = _plan_page(auth.account("boss"))
    grid = _plan_grid(at)
    assert grid.editing_mode != "read_only"
    table = grid.value
    row = table.index[table["指标（单位）"] == "单位GDP能耗累计降低（%）"][0]
    assert table.loc[row, "虹桥"] == 14.0 and table.loc[row, "数据性质"] == "示例数据"
    at.session_state[grid.key] = {
        "edited_rows": {int(row): {"虹桥": 5.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="plan_targets_grid_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stored = query(
        editors,
        "select target_value, is_demo, batch_id from plan_targets where plan_id = '15th' "
        "and indicator_id = 'energy_per_gdp' and scope_code = 'hongqiao'",
    )
    assert [r[:2] for r in stored] == [(5.0, False)]
    (batch,) = [r[2] for r in stored]
    assert query(editors, f"select editor from load_batches where batch_id = {batch}") == [
        ("boss",)
    ]
    assert query(editors, f"select count(*) from change_log where batch_id = {batch}") == [(1,)]
    # the page, once rerun, says the 街镇 no longer reach their group's and the district's
    lines = [str(m.value) for m in at.markdown if "单位GDP能耗（十五五）" in str(m.value)]
    assert len(lines) == 2 and all("未达到" in line for line in lines)


def test_a_street_editor_and_a_reader_see_the_plan_grid_read_only(editors):
    from indicators import auth

    for at in (_plan_page(auth.account("hq")), _plan_page()):
        assert _plan_grid(at).editing_mode == "read_only"
        assert not [b for b in at.button if b.key == "plan_targets_grid_save"]
        assert "十五五规划目标分解一致" in " ".join(str(s.value) for s in at.success)
    english = _plan_page(lang="en")
    assert "Five-year plan targets (15th Five-Year Plan)" in [s.value for s in english.subheader]
