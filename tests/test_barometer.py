"""The 晴雨表 (issue 25): levels by round with their moves, cells without a figure or a target,
the rounds so far, the five-year path, and the same tables on the command line, in the
deck and in the PDF's HTML."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pptx import Presentation

from indicators import reference
from indicators.domain import barometer, briefing, fiveyear, plan_status
from indicators.exports import deck, report
from indicators.reference.i18n import t
from tests.test_load import cli

PLAN = fiveyear.plan("十五五")
NAN = math.nan


def _inputs(rows: list[dict]) -> pd.DataFrame:
    """queries/plan_status.sql's columns, the row's own values over defaults."""
    default = {
        "scope_code": "hongqiao",
        "indicator_id": "energy_per_gdp",
        "base_value": 1.0,
        "value": NAN,
        "plan_target": 14.0,
        "year_change": NAN,
        "year_change_target": 3.0,
        "year_total_target": NAN,
        "year_total_kind": None,
        "illustrative": False,
    }
    return pd.DataFrame([default | r for r in rows])


def _statuses(values: dict[str, dict], year: int = 2026) -> dict:
    """plan_status.status of each round's rows, as queries.plan_rounds returns them."""
    return {
        (year, rnd): plan_status.status(_inputs(rows), PLAN, year, rnd)
        for rnd, rows in values.items()
    }


# 虹桥's 单位GDP能耗 in 2026, against the base 1.0 (the same period of 2025): the path asks
# 1 − 0.86^(share/5) of the 14% plan fall, and the year's 3% fall asks 1 − 0.97^share.
ROUNDS = {
    "Q1": [{"value": 0.995, "year_change": 0.5}],  # 0.50% < 0.75% asked: 二级
    "Q2": [{"value": 0.98, "year_change": 2.0}],  # 2.00% ≥ 1.50% (1.51% the year): 三级 ↓
    "Q3": [{"value": 1.01, "year_change": -1.0}],  # rose: 一级 ↑
    "Y": [{"value": NAN}],  # not yet reported
}


def _cell(long, rnd, against, scope="hongqiao", indicator="energy_per_gdp"):
    row = long[
        (long["scope_code"] == scope)
        & (long["indicator_id"] == indicator)
        & (long["round"] == rnd)
        & (long["against"] == against)
    ]
    assert len(row) == 1
    level = row["level"].iloc[0]
    return (None if pd.isna(level) else int(level)), row["band"].iloc[0], row["moved"].iloc[0]


def test_each_round_has_its_level_and_how_it_moved_since_the_round_before():
    long = barometer.levels(_statuses(ROUNDS), 2026)
    for against in barometer.AGAINST:
        assert _cell(long, "Q1", against) == (2, "level_2", "")  # the first round: no move
        assert _cell(long, "Q2", against) == (3, "level_3", "↓")
        assert _cell(long, "Q3", against) == (1, "level_1", "↑")
        # no figure: 未报送, never 三级, and no move from or to it
        assert _cell(long, "Y", against) == (None, "not_reported", "")


def test_a_cell_without_a_target_says_so_and_a_cell_without_a_figure_is_not_reported():
    rows = {
        "Q1": [
            {"scope_code": "beixinjing", "value": 0.99, "year_change": 1.0, "plan_target": NAN},
            {"scope_code": "xinjing", "value": NAN, "year_change": NAN},
            {
                "scope_code": "hongqiao",
                "indicator_id": "energy_total",
                "base_value": 100.0,
                "value": 26.0,
                "plan_target": 8.0,
            },
        ]
    }
    long = barometer.levels(_statuses(rows), 2026)
    assert _cell(long, "Q1", "plan", "beixinjing")[1] == "no_target"
    assert _cell(long, "Q1", "year", "beixinjing")[1] == "level_3"  # 1% ≥ 0.76% asked
    assert _cell(long, "Q1", "plan", "xinjing")[1] == "not_reported"
    assert _cell(long, "Q1", "year", "xinjing")[1] == "not_reported"
    # a total with a plan cap and no annual cap: judged against the plan only
    assert _cell(long, "Q1", "year", "hongqiao", "energy_total")[1] == "no_target"
    # 26 against 100 for the whole base year is no like-for-like figure here: the test
    # is only that a cap is judged, not that the arithmetic is fiveyear's (tested there)
    assert _cell(long, "Q1", "plan", "hongqiao", "energy_total")[1].startswith("level_")


def test_the_rounds_so_far_run_to_the_latest_with_a_figure():
    statuses = _statuses(
        {"Q1": ROUNDS["Q1"], "Q2": [{"value": NAN}], "Q3": ROUNDS["Q3"], "Y": [{"value": NAN}]}
    )
    assert barometer.rounds_so_far(statuses, 2026) == ["Q1", "Q2", "Q3"]
    assert barometer.rounds_so_far(statuses, 2027) == []
    empty = _statuses({r: [{"value": NAN}] for r in barometer.ROUNDS})
    assert barometer.rounds_so_far(empty, 2026) == []
    # a briefing for a period shows the rounds it has reached
    every = list(barometer.ROUNDS)
    assert barometer.rounds_until(every, "Q3") == ["Q1", "Q2", "Q3"]
    assert barometer.rounds_until(every, "M09") == ["Q1", "Q2", "Q3"]
    assert barometer.rounds_until(every, "M05") == ["Q1"]
    assert barometer.rounds_until(every, "Y") == every
    assert barometer.rounds_until(every, "M02") == []


def test_a_table_keeps_the_views_order_and_a_scope_without_a_row_is_not_reported():
    long = barometer.levels(_statuses(ROUNDS), 2026)
    scopes = reference.view_scopes("focus")
    bands, moves = barometer.table(long, "energy_per_gdp", "plan", scopes, ["Q1", "Q2", "Q3"])
    assert list(bands.index) == scopes and list(bands.columns) == ["Q1", "Q2", "Q3"]
    assert list(bands.loc["hongqiao"]) == ["level_2", "level_3", "level_1"]
    assert list(moves.loc["hongqiao"]) == ["", "↓", "↑"]
    assert set(bands.loc["beixinjing"]) == {"not_reported"}
    shown = barometer.shown_table(bands, moves, "zh")
    assert list(shown.columns) == ["一季度", "上半年", "前三季度"]
    assert list(shown.loc["虹桥街道"]) == ["◆ 二级", "✔ 三级 ↓", "✖ 一级 ↑"]
    assert shown.loc["北新泾街道", "一季度"] == "○ 未报送"


def test_the_download_holds_both_tables_and_says_which_rows_are_illustrative():
    rows = {r: [v[0] | {"illustrative": r == "Q2"}] for r, v in ROUNDS.items()}
    long = barometer.levels(_statuses(rows), 2026)
    scopes = ["hongqiao", "beixinjing"]
    out = barometer.download(long, "energy_per_gdp", scopes, ["Q1", "Q2"], "en")
    assert list(out.columns) == ["Subdistrict/town", "Judged against", "Q1", "H1", "Illustrative"]
    assert len(out) == 4  # two scopes × (the year, the plan)
    assert out["Judged against"].tolist()[::2] == [
        t("barometer.against_year", "en"),
        t("barometer.against_plan", "en"),
    ]
    assert out["Illustrative"].tolist() == ["yes", "no", "yes", "no"]
    assert out.iloc[0]["H1"] == "✔ Level 3 ↓"


def test_the_path_compounds_from_the_base_and_leaves_out_what_is_missing():
    years = {
        (2026, "Y"): plan_status.status(_inputs([{"value": 0.97}]), PLAN, 2026, "Y"),
        (2027, "Y"): plan_status.status(_inputs([{"value": 0.97**2}]), PLAN, 2027, "Y"),
        (2028, "Q1"): plan_status.status(_inputs([{"value": NAN}]), PLAN, 2028, "Q1"),
        (2028, "Q2"): plan_status.status(_inputs([{"value": 0.94}]), PLAN, 2028, "Q2"),
    }
    path = barometer.path(years, PLAN, "energy_per_gdp", 2028)
    achieved = path[path["kind"] == "achieved"].sort_values("x")
    assert achieved["x"].tolist() == [0.0, 1.0, 2.0, 2.5]
    # two years of 3% compound to 5.91%, never 6%
    assert achieved["value"].round(4).tolist() == [0.0, 3.0, 5.91, 6.0]
    pace = path[path["kind"] == "even_pace"].set_index("x")["value"]
    assert pace[2.5] == pytest.approx((1 - 0.86**0.5) * 100)
    assert pace[5.0] == pytest.approx(14.0)
    assert path.loc[path["kind"] == "target", "value"].tolist() == pytest.approx([14.0, 14.0])
    # a year with no whole-year figure has no point, not a 0
    gap = dict(years)
    gap[(2027, "Y")] = plan_status.status(_inputs([{"value": NAN}]), PLAN, 2027, "Y")
    again = barometer.path(gap, PLAN, "energy_per_gdp", 2028)
    assert again.loc[again["kind"] == "achieved", "x"].tolist() == [0.0, 1.0, 2.5]


def test_the_briefing_page_titles_the_tables_and_notes_illustrative_figures():
    long = barometer.levels(_statuses(ROUNDS), 2026)
    page = barometer.briefing_page(long, "energy_per_gdp", ["hongqiao"], ["Q1"], PLAN, 2026, "zh")
    assert page["title"] == "单位GDP能耗目标完成情况晴雨表 · 2026年"
    assert [part["title"] for part in page["tables"]] == [
        "对照年度目标（序时进度）",
        "对照十五五进度要求（自基年累计）",
    ]
    assert page["tables"][1]["rows"] == [("虹桥街道", [("◆ 二级", "level_2")])]
    assert t("barometer.illustrative", "zh") not in page["notes"]
    demo = long.assign(illustrative=True)
    page = barometer.briefing_page(demo, "energy_per_gdp", ["hongqiao"], ["Q1"], PLAN, 2026, "zh")
    assert t("barometer.illustrative", "zh") in page["notes"]


# -- the built-in data: the page's figures, the command line, the deck and the PDF ------


def test_every_cell_with_a_figure_has_a_level_in_the_built_in_barometer():
    pages = briefing.barometer_pages(2026, "Q3", "zh", "all")
    assert pages, "the built-in data has illustrative 十五五 targets"
    cells = [c for p in pages for part in p["tables"] for _, row in part["rows"] for c in row]
    assert {band for _, band in cells} <= {*barometer.BAND.values(), "not_reported", "no_target"}
    assert any(band.startswith("level_") for _, band in cells)
    assert all(p["tables"][0]["heads"] == ["一季度", "上半年", "前三季度"] for p in pages)
    # a year in no plan, and a 十四五 year without plan targets, have no barometer
    assert briefing.barometer_pages(2019, "Y", "zh") == []
    assert briefing.barometer_pages(2024, "Y", "zh") == []


def test_plan_barometer_prints_the_downloads_table_and_refuses_a_bad_argument():
    done = cli("plan", "barometer", "--plan", "十五五", "--year", "2026", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:4] == ["街镇", "对照", "一季度", "上半年"]
    assert len(lines) == 1 + 2 * len(reference.view_scopes("focus"))
    assert any("二级" in line or "三级" in line or "一级" in line for line in lines[1:])
    assert t("barometer.illustrative", "zh") in done.stderr
    for bad in (["--plan", "十六五"], ["--year", "2031"], ["--indicator", "pv_new"]):
        args = {"--plan": "十五五", "--year": "2026"} | dict([bad])
        refused = cli("plan", "barometer", *[x for kv in args.items() for x in kv])
        assert refused.returncode == 2, (bad, refused.stdout, refused.stderr)
        assert refused.stderr.strip() and "Traceback" not in refused.stderr


def test_the_deck_carries_a_barometer_slide_and_the_pdf_a_page(tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck.build_deck("district", 2026, "Q3", "zh", "focus"))
    titles = []
    for slide in Presentation(str(path)).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        tables = [s.table for s in slide.shapes if s.has_table]
        if any("晴雨表" in x for x in texts):
            title = next(x for x in texts if "晴雨表" in x)
            titles.append(title)
            if title.startswith("单位GDP能耗"):  # against the year, against the plan
                assert len(tables) == 2
            cells = [c.text for row in tables[-1].rows for c in row.cells]
            assert "虹桥街道" in cells and "前三季度" in cells
            assert any(c.startswith(("✖", "◆", "✔")) for c in cells)
            assert any(x.startswith("前三季度，对照") for x in texts)  # what is off track
    assert "单位GDP能耗目标完成情况晴雨表 · 2026年" in titles
    html = report.report_html("district", 2026, "Q3", "en", "all")
    assert "Energy consumption per unit of GDP: progress barometer · 2026" in html
    assert "Xianxia Xincun Subdistrict" in html.split("progress barometer")[1]


def test_the_summary_names_what_is_off_track_in_the_latest_round():
    rows = {
        "Q1": [{"value": 0.99, "year_change": 1.0}],
        "Q2": [
            {"value": 1.01, "year_change": -1.0},  # 虹桥 rose: 一级
            {"scope_code": "beixinjing", "value": 0.995, "year_change": 0.5},  # 二级
            {"scope_code": "xinjing", "value": 0.98, "year_change": 2.0},  # 三级
        ],
    }
    long = barometer.levels(_statuses(rows), 2026)
    scopes = ["hongqiao", "beixinjing", "chengjiaqiao", "xinjing"]
    lines = barometer.summary(long, "energy_per_gdp", scopes, ["Q1", "Q2"], "zh")
    assert lines == [
        f"上半年，对照{t('barometer.against_' + a, 'zh')}：一级预警1个（虹桥街道）；"
        "二级预警1个（北新泾街道）；三级1个；未报送1个（程家桥街道）。"
        for a in barometer.AGAINST
    ]
    # a judgement with no target anywhere has no line, and the tables leave it out too
    untargeted = long.assign(band=long["band"].where(long["against"] == "plan", "no_target"))
    reported = ["hongqiao", "beixinjing", "xinjing"]
    assert len(barometer.summary(untargeted, "energy_per_gdp", reported, ["Q2"], "en")) == 1
    page = barometer.briefing_page(untargeted, "energy_per_gdp", reported, ["Q2"], PLAN, 2026, "en")
    assert [part["title"] for part in page["tables"]] == [
        t("barometer.table_plan", "en", plan="15th Five-Year Plan")
    ]
    assert page["notes"][0] == t(
        "barometer.untargeted_year", "en", indicator="Energy consumption per unit of GDP"
    )


# -- the page under AppTest: no dead end ----------------------------------------------


def test_the_page_says_what_to_do_for_a_year_outside_every_plan_or_without_targets():
    from tests.test_pages import open_page

    at = open_page("barometer", year="2024", indicator="pv_new", lang="en")
    texts = [c.value for c in at.caption] + [w.value for w in (*at.warning, *at.info)]
    # 十四五 has no targets here: each judgement says so and where to set one
    assert any("Targets page" in x for x in texts), texts
    # pv_new is no plan indicator: the page shows one that is, and says so
    assert at.selectbox(key="w_indicator").value in fiveyear.indicators()
    assert set(at.selectbox(key="w_indicator").options) == {
        reference.indicator(i)["name_en"] for i in fiveyear.indicators()
    }
    at = open_page("barometer", year="2026", lang="zh", indicator="energy_per_gdp")
    assert len(at.dataframe) == 2  # against the year, against the plan
    assert at.dataframe[0].value.iloc[0, 0].startswith(("✖", "◆", "✔", "○"))


def test_past_twenty_areas_the_paths_drawn_are_the_focus_ones_and_the_totals():
    assert barometer.charted(reference.view_scopes("all")) == reference.view_scopes("all")
    many = [*reference.leaves() * 3, "focus", "district"]  # a city's hundreds, in short
    drawn = barometer.charted(many)
    assert set(drawn) == {*reference.focus_leaves(), "focus", "district"}
    assert drawn[-2:] == ["focus", "district"]
