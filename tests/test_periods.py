"""The period chosen is the period shown: a figure loaded or derived for exactly the chosen
period is shown; else the latest one its frequency allows, saying which. And a change on
last year says when last year's figure is illustrative (issue 21, points 4 and 5)."""

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import analysis, briefing, queries
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views import widgets
from tests.conftest import decode
from tests.test_pages import figures, open_page

# --- the rule, on inline rows ------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "chosen", "have", "shown", "note"),
    [
        # A quarterly indicator with a figure loaded for 1–10月: that figure.
        ("energy_per_gdp", "M10", {"Q1", "Q2", "Q3", "M10"}, "M10", None),
        # Only the quarter: 前三季度, the period it is reported for.
        ("energy_per_gdp", "M10", {"Q1", "Q2", "Q3"}, "Q3", "due"),
        # A later month loaded within the span still wins over the quarter.
        ("energy_per_gdp", "M11", {"Q3", "M10"}, "M10", "latest"),
        # Nothing for the quarter: 未报送 for that quarter, not an older one shown as current.
        ("energy_per_gdp", "M10", {"Q1", "Q2"}, "Q3", "due"),
        # A register's monthly figure: the month itself where the register reaches it …
        ("pv_new", "M08", {f"M{m:02d}" for m in range(1, 10)} | {"Q1", "Q2", "Q3"}, "M08", None),
        # … and where it ends earlier (last connection in September), its latest month.
        ("pv_new", "M10", {f"M{m:02d}" for m in range(1, 10)} | {"Q1", "Q2", "Q3"}, "Q3", "latest"),
        ("pv_new", "M10", {"M08"}, "M10", None),  # past the quarter: not reported for 1–10月
        # The same months by another code: 1–9月 is 前三季度.
        ("pv_new", "Q3", {"M09"}, "M09", None),
        # A yearly figure is the year's, in any view.
        ("budget_growth", "M05", {"Y"}, "Y", "due"),
        ("budget_growth", "M05", set(), "Y", "due"),
        # The whole year chosen never falls back to a part of it.
        ("energy_per_gdp", "Y", {"Q3"}, "Y", None),
    ],
)
def test_the_period_shown_for_a_period_chosen(indicator, chosen, have, shown, note):
    assert analysis.shown_period(indicator, chosen, have) == shown
    assert analysis.period_note(indicator, shown, chosen) == note


def test_the_periods_a_page_reads_cover_every_fallback():
    assert set(analysis.periods_shown("M10")) == {"Y", "M10", "M09", "Q3"}
    assert set(analysis.periods_shown("Q3")) == {"Y", "Q3", "M09"}
    assert set(analysis.periods_shown("M02")) == {"Y", "M02", "M01"}


def _rows(rows):
    cols = ["scope_code", "indicator_id", "period", "value", "rag_status"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["breakdown"] = ""
    frame["previous_value"] = None
    frame["year"] = 2026
    return frame


def test_cards_show_the_chosen_months_where_loaded_and_say_which_period_otherwise():
    frame = _rows(
        [
            ("hongqiao", "energy_per_gdp", "Q3", 0.073, "no_target"),
            ("hongqiao", "energy_per_gdp", "M10", 0.0706, "no_target"),
            ("district", "energy_per_gdp", "Q3", 0.063, "no_target"),
            ("hongqiao", "pv_new", "M08", 3000.0, "green"),
            ("hongqiao", "pv_new", "M09", 3399.0, "yellow"),
            ("hongqiao", "pv_new", "Q3", 3399.0, "green"),
        ]
    )
    ids = ["energy_per_gdp", "pv_new", "funded_projects"]
    hq = analysis.pick_cards(frame, "hongqiao", "M10", ids).set_index("indicator_id")
    shown = hq[["period", "value"]].apply(tuple, axis=1)
    assert shown["energy_per_gdp"] == ("M10", 0.0706)
    assert shown["pv_new"] == ("Q3", 3399.0)
    assert hq.loc["funded_projects", "rag_status"] == "not_reported"
    assert hq.loc["funded_projects", "period"] == "Q3"  # which quarter is missing
    aug = analysis.pick_cards(frame, "hongqiao", "M08", ["pv_new"]).iloc[0]
    assert (aug["period"], aug["value"]) == ("M08", 3000.0)
    district = analysis.pick_cards(frame, "district", "M10", ids).set_index("indicator_id")
    assert district.loc["energy_per_gdp", "period"] == "Q3"
    # What each card says about it.
    line = widgets.other_period_line("pv_new", "Q3", "M10", "zh")
    assert "前三季度" in line and "1–10月累计暂无数据" in line
    line = widgets.other_period_line("energy_per_gdp", "Q3", "M10", "en")
    assert "Q1–Q3" in line and "reported for" in line
    assert widgets.other_period_line("energy_per_gdp", "M10", "M10", "zh") is None


def test_the_matrix_judges_each_cell_on_its_cards_period_and_names_the_others():
    frame = _rows(
        [
            ("hongqiao", "energy_per_gdp", "M10", 0.0706, "no_target"),
            ("xinjing", "energy_per_gdp", "Q3", 0.06, "red"),
            ("hongqiao", "budget_growth", "Y", 1.0, "no_target"),
        ]
    )
    m = analysis.status_matrix(
        frame, ["hongqiao", "xinjing", "district"], "M10", ["energy_per_gdp", "budget_growth"]
    )
    assert m.loc["hongqiao", "energy_per_gdp"] == "no_target"
    assert m.loc["xinjing", "energy_per_gdp"] == "red"  # its 前三季度
    assert m.loc["district", "energy_per_gdp"] == "not_reported"
    assert m.loc["district", "budget_growth"] == "not_due"
    assert m.attrs["other_periods"] == {"Q3": ["energy_per_gdp"], "Y": ["budget_growth"]}


def test_a_comparison_of_streets_is_on_one_period():
    frame = _rows(
        [
            ("hongqiao", "energy_per_gdp", "M10", 0.0706, "no_target"),
            ("hongqiao", "energy_per_gdp", "Q3", 0.073, "no_target"),
            ("xinjing", "energy_per_gdp", "Q3", 0.06, "no_target"),
        ]
    )
    rows = analysis.ranking_rows(frame, "energy_per_gdp", "M10", "all")
    assert list(rows["scope_code"]) == ["hongqiao"] and set(rows["period"]) == {"M10"}
    rows = analysis.ranking_rows(frame[frame["period"] == "Q3"], "energy_per_gdp", "M10", "all")
    assert set(rows["scope_code"]) == {"hongqiao", "xinjing"} and set(rows["period"]) == {"Q3"}


# --- the change on last year against an illustrative figure ------------------------


def test_a_change_against_an_illustrative_last_year_says_so_on_card_and_slide():
    row = {
        "indicator_id": "energy_per_gdp",
        "scope_code": "hongqiao",
        "period": "Q3",
        "value": 0.07,
        "change": -3.2,
        "change_kind": "pct",
        "rag_status": "no_target",
        "is_demo": False,
        "previous_is_demo": True,
    }
    label = t("label.demo_previous", "zh")
    assert widgets._change_text(row, "zh").endswith(label)
    assert label in briefing.headline(row, "zh", 2026)
    # Against an official last year, or on an illustrative value (which says so itself): no.
    assert label not in widgets._change_text({**row, "previous_is_demo": False}, "zh")
    assert label not in widgets._change_text({**row, "is_demo": True}, "zh")
    assert widgets._change_text(row, "en").endswith(t("label.demo_previous", "en"))


# --- the pages, on a database with 1–10月 figures loaded ---------------------------

# 1–10月 energy (tce) and GDP (万元) of the four, as the district loads them.
M10 = {
    "虹桥街道": (240000, 3400000),
    "北新泾街道": (50000, 900000),
    "程家桥街道": (30000, 500000),
    "新泾镇": (90000, 1500000),
}


@pytest.fixture
def m10_db(work_db):
    from tests.intake_files import load_rows

    rows = [["街镇", "年份", "期间", "指标", "数值", "单位", "来源"]]
    for street, (energy, gdp) in M10.items():
        rows.append([street, 2026, "M10", "能源消费总量", energy, "tce", "区统计局"])
        rows.append([street, 2026, "M10", "地区生产总值", gdp, "万元", "区统计局"])
    load_rows(rows)
    return work_db


def _card_lines(at) -> list[str]:
    return [m.value for m in at.markdown]


def _metric(at, name):
    return next(m for m in at.metric if m.label.startswith(name))


@pytest.mark.parametrize(("street", "code"), [("虹桥街道", "hongqiao"), ("新泾镇", "xinjing")])
def test_overview_in_1_to_10_shows_the_figures_loaded_for_it(m10_db, street, code):
    at = open_page("overview", year="2026", period="M10", scope=code)
    energy, gdp = M10[street]
    assert _metric(at, "单位GDP能耗（").value == f"{energy / gdp:.4f}"
    # 光伏新增 comes from the register, whose latest connection is in September: its
    # 1–9月 figure, saying so, not 未报送.
    pv = queries.indicator_frame("pv_new", code, 2026, "Q3")["value"].iloc[0]
    assert _metric(at, "光伏新增").value == i18n.number(pv, "kw", "zh")
    lines = _card_lines(at)
    assert any("前三季度" in x and "1–10月累计暂无数据" in x for x in lines)
    # The intensity's fall on last year is only reported by quarter: it says which.
    assert any("前三季度" in x and "该指标按此频次报送" in x for x in lines)
    # The 全区 has no 1–10月 figure (six 街镇 have none): its card shows 前三季度, saying so.
    district = open_page("overview", year="2026", period="M10")
    q3 = queries.indicator_frame("energy_per_gdp", "district", 2026, "Q3")["value"].iloc[0]
    assert _metric(district, "单位GDP能耗（").value == f"{q3:.4f}"


def test_overview_matrix_and_cards_agree_in_1_to_10(m10_db):
    frame = queries.indicator_frame(year=2026)
    ids = [i["id"] for i in reference.catalogue()]
    scopes = [s["code"] for s in reference.scopes()]
    matrix = analysis.status_matrix(frame, scopes, "M10", ids)
    for code in scopes:
        cards = analysis.pick_cards(frame, code, "M10", ids).set_index("indicator_id")
        for i in ids:
            want = cards.loc[i, "rag_status"] if i in cards.index else "not_applicable"
            assert matrix.loc[code, i] == want, (code, i)
    at = open_page("overview", year="2026", period="M10", group="all")
    assert any("未按所选期间判断" in c.value and "前三季度" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streets_in_1_to_10_ranks_the_figures_loaded_for_it(m10_db, lang):
    at = open_page(
        "streets", year="2026", period="M10", indicator="energy_per_gdp", group="all", lang=lang
    )
    bars = figures(at)[0]["data"][0]
    names = {s[f"name_{lang}"]: s["name_zh"] for s in reference.scopes()}
    shown = dict(zip([names[n] for n in bars["y"]], decode(bars["x"]), strict=True))
    assert shown == pytest.approx({s: e / g for s, (e, g) in M10.items()})
    assert t("period.M10", lang) in at.subheader[0].value
    # The six without a 1–10月 figure are named, not ranked on another period.
    others = [s for s in reference.view_leaves("all") if reference.scope(s)["name_zh"] not in M10]
    missing = next(m.value for m in at.markdown if t("period.M10", lang) in m.value)
    assert all(reference.scope(c)[f"name_{lang}"] in missing for c in others)
    table = at.dataframe[0].value
    assert set(table[t("col.period", lang)]) == {t("period.M10", lang)}


def test_streets_for_a_register_past_its_last_month_say_which_month(m10_db):
    at = open_page("streets", year="2026", period="M10", indicator="pv_new")
    assert "前三季度" in at.subheader[0].value
    assert any("本页显示" in m.value and "1–10月累计暂无数据" in m.value for m in at.markdown)
    frame = queries.indicator_frame("pv_new", None, 2026, "Q3").set_index("scope_code")
    bars = figures(at)[0]["data"][0]
    by_name = {reference.scope(c)["name_zh"]: v for c, v in frame["value"].items()}
    assert decode(bars["x"]) == pytest.approx([by_name[n] for n in bars["y"]])


def test_a_card_whose_change_is_against_an_illustrative_last_year_says_so(work_db):
    from tests.intake_files import load_rows

    # The district's own 前三季度 figures for 虹桥; last year's are illustrative.
    load_rows(
        [
            ["街镇", "年份", "期间", "指标", "数值", "单位", "来源"],
            ["虹桥街道", 2026, "Q3", "能源消费总量", 200000, "tce", "区统计局"],
            ["虹桥街道", 2026, "Q3", "地区生产总值", 3000000, "万元", "区统计局"],
        ],
        replace=True,
    )
    at = open_page("overview", year="2026", period="Q3", scope="hongqiao")
    card = _metric(at, "单位GDP能耗（")
    assert card.value == f"{200000 / 3000000:.4f}"
    assert card.delta.endswith("（上年数为示例）")
    # An illustrative figure against an illustrative last year: its source says so already.
    assert "上年数为示例" not in _metric(at, "光伏新增").delta
