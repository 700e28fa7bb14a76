"""The ten 街镇 of 长宁区, the groups they form (双桥双新泾, 其他街镇) and the district: names
resolve, groups are sums where an indicator adds up and recomputed ratios where not, a
reported group figure wins and a disagreement is flagged."""

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from indicators import reference
from indicators.builtin import install
from indicators.domain import analysis, queries
from indicators.store import db
from tests.conftest import ROOT

TEN = {
    "华阳路街道": "huayanglu",
    "江苏路街道": "jiangsulu",
    "新华路街道": "xinhualu",
    "周家桥街道": "zhoujiaqiao",
    "天山路街道": "tianshanlu",
    "仙霞新村街道": "xianxiaxincun",
    "虹桥街道": "hongqiao",
    "程家桥街道": "chengjiaqiao",
    "北新泾街道": "beixinjing",
    "新泾镇": "xinjing",
}
FOUR = ["hongqiao", "beixinjing", "chengjiaqiao", "xinjing"]


def test_the_district_has_its_ten_streets_and_the_four_are_the_focus():
    assert {reference.resolve_scope(name) for name in TEN} == set(reference.leaves())
    assert [TEN[name] for name in TEN if TEN[name] in FOUR] == [
        c for c in TEN.values() if c in reference.focus_leaves()
    ]
    assert reference.leaves_of("focus") == FOUR
    assert sorted(reference.leaves_of("others")) == sorted(set(TEN.values()) - set(FOUR))
    assert sorted(reference.leaves_of("district")) == sorted(TEN.values())


def test_every_name_and_alias_resolves_to_its_scope_and_to_no_other():
    seen = {}
    for s in reference.scopes():
        names = [s["code"], s["name_zh"], s["name_en"], *s.get("aliases", [])]
        names += [s[k] for k in ("short_zh", "short_en") if k in s]
        for name in names:
            assert reference.resolve_scope(name) == s["code"], name
            assert reference.resolve_scope(f" {name.upper()} ") == s["code"], name
            key = "".join(name.split()).casefold()
            assert seen.setdefault(key, s["code"]) == s["code"], f"{name} names two scopes"
    for name in ("天山路", "Tianshan Road Subdistrict", "双桥双新泾合计", "focus", "其他街镇"):
        assert reference.resolve_scope(name) is not None


def test_the_scope_tree_is_checked(monkeypatch):
    scopes = reference.scopes()
    twice = [
        dict(s, members=[*s.get("members", []), "hongqiao"]) if s["code"] == "others" else s
        for s in scopes
    ]
    monkeypatch.setattr(reference, "scopes", lambda: twice)
    with pytest.raises(ValueError, match="hongqiao"):
        reference.parents()
    unknown = [dict(s, members=["nowhere"]) if s["code"] == "others" else s for s in scopes]
    monkeypatch.setattr(reference, "scopes", lambda: unknown)
    with pytest.raises(ValueError, match="nowhere"):
        reference.parents()


def test_the_two_views_list_what_the_design_asks_for():
    assert reference.view_scopes("focus") == [*FOUR, "focus", "district"]
    assert reference.view_scopes("all") == [*reference.leaves(), "district"]
    assert len(reference.view_scopes("all")) == 11
    assert reference.view_parts("focus") == [*FOUR, "others"]
    assert sorted(reference.view_parts("all")) == sorted(TEN.values())


def _mart() -> pd.DataFrame:
    frame = queries.indicator_frame()
    return frame[(frame["breakdown"] == "") & frame["value"].notna()]


def test_groups_are_the_sum_of_their_members_for_every_additive_indicator():
    mart = _mart()
    additive = [i["id"] for i in reference.catalogue() if i["additive"]]
    wide = mart[mart["indicator_id"].isin(additive)].pivot_table(
        index=["indicator_id", "year", "period"], columns="scope_code", values="value"
    )
    checked = 0
    for group in ("focus", "others", "district"):
        members = reference.leaves_of(group)
        complete = wide[members].notna().all(axis=1)
        assert complete.any(), group
        sums = wide.loc[complete, members].sum(axis=1)
        pd.testing.assert_series_equal(
            wide.loc[complete, group], sums, check_names=False, rtol=1e-9
        )
        checked += complete.sum()
    # every additive indicator is checked, over several years and periods
    seen = {key[0] for key in wide.index}
    assert {
        "energy_total",
        "gdp",
        "co2_total",
        "pv_new",
        "pv_capacity",
        "funded_projects",
        "funded_amount",
        "building_energy",
        "lowcarbon_communities",
    } <= seen
    assert checked > 300


def test_a_groups_ratio_is_recomputed_from_its_totals_not_averaged():
    mart = _mart().set_index(["indicator_id", "scope_code", "year", "period"])["value"]
    for group in ("focus", "others", "district"):
        energy = mart[("energy_total", group, 2025, "Y")]
        gdp = mart[("gdp", group, 2025, "Y")]
        ratio = mart[("energy_per_gdp", group, 2025, "Y")]
        assert ratio == pytest.approx(energy / gdp)
        members = [mart[("energy_per_gdp", m, 2025, "Y")] for m in reference.leaves_of(group)]
        assert ratio != pytest.approx(sum(members) / len(members))
        last = energy / gdp
        before = mart[("energy_total", group, 2024, "Y")] / mart[("gdp", group, 2024, "Y")]
        change = mart[("energy_per_gdp_change", group, 2025, "Y")]
        assert change == pytest.approx((1 - last / before) * 100)


def test_the_2024_funded_projects_over_the_ten_streets_are_the_seeds_63():
    frame = queries.indicator_frame("funded_projects", None, 2024, "Y").set_index("scope_code")
    assert frame.loc[reference.leaves(), "value"].sum() == 63
    assert (frame.loc[reference.leaves(), "value"] > 0).all()
    assert frame.loc["district", "value"] == 63
    assert frame.loc["district", "source"] == "长发改〔2025〕17号"
    assert not frame.loc["district", "quality_flag"]  # the register agrees with the seed
    assert frame.loc["focus", "value"] + frame.loc["others", "value"] == 63


def _observation(scope, indicator, year, value, source="区统计局"):
    unit = reference.indicator(indicator)["unit"]
    return {
        "scope_code": scope,
        "indicator_id": indicator,
        "breakdown": "",
        "year": year,
        "period": "Y",
        "value": value,
        "unit": unit,
        "data_status": "final",
        "source": source,
        "as_of": date(year + 1, 3, 1),
        "is_demo": False,
    }


def test_a_reported_group_figure_wins_and_a_disagreement_is_flagged(work_db):
    mart = _mart().set_index(["indicator_id", "scope_code", "year", "period"])["value"]
    members = mart[("energy_total", "others", 2024, "Y")]
    reported = round(members * 1.1, 1)
    rows = pd.DataFrame([_observation("others", "energy_total", 2024, reported)])
    db.write(lambda con: db.insert_frame(con, "observations", rows))
    row = queries.indicator_frame("energy_total", "others", 2024, "Y").iloc[0]
    assert row["value"] == reported and row["formula"] == "reported"
    assert row["quality_flag"] and row["derived_value"] == pytest.approx(members)
    # the district now sums what its groups show, and the group's ratio uses the figure
    district = queries.indicator_frame("energy_total", "district", 2024, "Y").iloc[0]
    focus = mart[("energy_total", "focus", 2024, "Y")]
    assert district["value"] == pytest.approx(focus + reported)
    ratio = queries.indicator_frame("energy_per_gdp", "others", 2024, "Y").iloc[0]["value"]
    assert ratio == pytest.approx(reported / mart[("gdp", "others", 2024, "Y")])


def test_figures_for_qita_jiezhen_alone_still_load_and_add_up(fresh_db):
    """A file of the four and 其他街镇 (no figure for the six): 其他街镇 shows, and the
    district is the four plus 其他街镇; a missing member leaves its group without a sum."""
    install.builtin_data(demo=False)
    values = {
        "hongqiao": 10.0,
        "beixinjing": 20.0,
        "chengjiaqiao": 30.0,
        "xinjing": 40.0,
        "others": 100.0,
    }
    rows = [_observation(c, "gdp", 2025, v) for c, v in values.items()]
    rows += [_observation(c, "energy_total", 2025, 1.0) for c in FOUR[:3]]  # 新泾镇 missing
    db.write(lambda con: db.insert_frame(con, "observations", pd.DataFrame(rows)))
    gdp = queries.indicator_frame("gdp", None, 2025, "Y").set_index("scope_code")["value"]
    assert gdp["others"] == 100 and gdp["focus"] == 100 and gdp["district"] == 200
    energy = queries.indicator_frame("energy_total", None, 2025, "Y")
    assert set(energy.loc[energy["value"].notna(), "scope_code"]) == set(FOUR[:3])


def test_the_status_matrix_lists_the_views_rows():
    frame = queries.indicator_frame(year=2026)
    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    for view, n in (("focus", 6), ("all", 11)):
        matrix = analysis.status_matrix(frame, reference.view_scopes(view), "Q3", ids)
        assert sorted(matrix.index) == sorted(reference.view_scopes(view)) and len(matrix) == n


def test_shares_in_either_view_add_up_to_the_whole_district():
    frame = analysis.totals_only(queries.indicator_frame("energy_total", None, 2025, "Y"))
    for view in ("focus", "all"):
        shares = analysis.view_shares(frame, view)
        assert sorted(shares["scope_code"]) == sorted(reference.view_parts(view))
        assert shares["share_pct"].sum() == pytest.approx(100)


def test_project_totals_by_view_keep_the_district_total():
    projects = queries.funded_projects(year=2024)
    focus = analysis.summarise_projects(projects, "focus").set_index("scope_code")
    assert list(focus.index) == [*FOUR, "others"] and focus["n_projects"].sum() == 63
    every = analysis.summarise_projects(projects, "all")
    assert len(every) == 10 and every["n_projects"].sum() == 63
    group = queries.funded_projects(scope_code="focus", year=2024)
    assert (
        set(group["scope_code"]) == set(FOUR) and len(group) == focus.loc[FOUR, "n_projects"].sum()
    )


@pytest.mark.parametrize("name", ["双桥双新泾", "双桥双新泾合计", "focus", "Western four"])
def test_show_prints_the_group_row_for_any_of_its_names(name):
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "show",
            "energy_total",
            "--street",
            name,
            "--year",
            "2025",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    rows = list(pd.read_csv(__import__("io").StringIO(res.stdout))["street_code"])
    assert rows == ["focus"]


@pytest.mark.parametrize("name", ["天山路", "Tianshan Road Subdistrict", "其他街镇", "全区"])
def test_show_takes_any_street_group_or_alias(name):
    res = subprocess.run(
        [sys.executable, "-m", "indicators", "show", "gdp", "--street", name, "--year", "2025"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert reference.scope(reference.resolve_scope(name))["name_zh"] in res.stdout


def _bureau_table() -> list[list[object]]:
    """A statistics-bureau table: the ten 街镇 in its order, the 双桥双新泾 and 全区 totals
    it adds, and a bare 合计 row that names no scope."""
    gdp = {name: 1000.0 * (i + 1) for i, name in enumerate(TEN)}
    rows = [["2025年长宁区分街镇地区生产总值"], ["街镇", "年份", "期间", "指标", "数值", "单位"]]
    rows += [[name, 2025, "Y", "地区生产总值", value, "万元"] for name, value in gdp.items()]
    focus = sum(v for n, v in gdp.items() if TEN[n] in FOUR)
    rows += [["双桥双新泾合计", 2025, "Y", "地区生产总值", focus, "万元"]]
    rows += [["全区合计", 2025, "Y", "地区生产总值", sum(gdp.values()), "万元"]]
    rows += [["合计", 2025, "Y", "地区生产总值", sum(gdp.values()), "万元"]]
    return rows


@pytest.mark.parametrize("bulk", [False, True])
def test_a_ten_street_table_with_group_totals_reads_every_street(monkeypatch, bulk):
    from indicators.intake import checks, files
    from tests.intake_files import csv_bytes

    if bulk:  # the Arrow reader of large system exports
        monkeypatch.setitem(files.declaration()["limits"], "bulk_csv_bytes", 0)
    checked = checks.check(files.read_upload(csv_bytes(_bureau_table(), "gbk"), "a.csv"))
    assert checked.problems == []
    assert checked.summary_rows == [15]  # only the bare 合计 is a summary row
    assert sorted(checked.frame["scope_code"]) == sorted([*TEN.values(), "focus", "district"])


def test_a_ten_street_table_loads_and_its_totals_agree_with_the_sums(work_db, tmp_path):
    from tests.intake_files import xlsx_bytes
    from tests.test_load import cli

    path = tmp_path / "统计局_分街镇GDP.xlsx"
    path.write_bytes(xlsx_bytes(_bureau_table(), merges=["A1:F1"]))
    res = cli("load", str(path), "--accept", "--replace")
    assert res.returncode == 0, res.stderr
    frame = queries.indicator_frame("gdp", None, 2025, "Y").set_index("scope_code")
    assert frame.loc["tianshanlu", "value"] == 5000 and frame.loc["xinjing", "value"] == 10000
    for group in ("focus", "others", "district"):
        row = frame.loc[group]
        assert row["value"] == frame.loc[reference.leaves_of(group), "value"].sum()
        assert not row["quality_flag"], group
    assert frame.loc["focus", "formula"] == "reported"  # the file's own total
    assert frame.loc["others", "formula"] == "derived"  # the sum of the six


def test_a_groups_card_says_when_its_reported_total_differs_from_its_streets(work_db):
    from streamlit.testing.v1 import AppTest

    members = queries.indicator_frame("lowcarbon_communities", "focus", 2024, "Y").iloc[0]
    rows = pd.DataFrame([_observation("focus", "lowcarbon_communities", 2024, 99.0)])
    db.write(lambda con: db.insert_frame(con, "observations", rows))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"scope": "双桥双新泾", "year": "2024", "period": "Y"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_scope").value == "focus"
    (warning,) = [w.value for w in at.warning if "数据质量" in w.value]
    assert f"所辖街镇合计为 {members['value']:,.0f}" in warning


def test_a_group_total_that_differs_from_its_streets_in_the_file_is_said_and_flagged(
    work_db, tmp_path
):
    from tests.intake_files import csv_bytes
    from tests.test_load import cli

    rows = _bureau_table()
    focus_row = next(r for r in rows if r[0] == "双桥双新泾合计")
    focus_row[4] += 500  # the bureau's total and its four rows disagree
    path = tmp_path / "不一致.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    res = cli("load", str(path), "--accept", "--replace")
    assert res.returncode == 0, res.stderr
    sums = sum(v for n, v in [(r[0], r[4]) for r in rows[2:12]] if TEN[n] in FOUR)
    assert (
        f"第13行 双桥双新泾 的合计数 {sums + 500:,.0f} 与文件中所辖街镇之和 {sums:,.0f} 不一致"
        in (res.stdout)
    )
    assert "全区 的合计数" not in res.stdout  # 全区合计 agrees with the ten
    row = queries.indicator_frame("gdp", "focus", 2025, "Y").iloc[0]
    assert row["value"] == sums + 500 and row["quality_flag"]
