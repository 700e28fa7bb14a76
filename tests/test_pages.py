"""Every page renders, reacts to its filters with the right numbers, and speaks English."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from indicators import reference
from indicators.domain import analysis, queries
from tests.conftest import ROOT, decode

PAGES = ["overview", "streets", "trends", "projects", "map", "briefing"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def open_page(page, **params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_heading(at) -> str:
    """A page's title; the briefing, presenting, is headed by its slide's title."""
    return (at.title or at.header)[0].value


def figures(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def metric(at, label_start):
    return next(m.value for m in at.metric if m.label.startswith(label_start))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_the_shared_layout(page):
    at = open_page(page)
    assert page_heading(at)
    # Each page shows the filters it uses: the briefing has a slide per indicator and the
    # projects page lists projects, so neither offers the indicator.
    uses_indicator = page not in ("briefing", "projects")
    filters = {"w_scope", "w_year", "w_period"} | ({"w_indicator"} if uses_indicator else set())
    assert filters <= {s.key for s in at.selectbox}
    assert ("w_indicator" in {s.key for s in at.selectbox}) == uses_indicator
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"
    # Illustrative data on screen says so: a banner, or on a slide a footnote line.
    notes = [i.value for i in at.info] + [m.value for m in at.markdown]
    assert any("示例数据" in n for n in notes)


def test_overview_shows_the_seed_figures_for_2024():
    at = open_page("overview")
    at.selectbox(key="w_year").set_value(2024).run()
    at.selectbox(key="w_period").set_value("Y").run()
    assert metric(at, "专项资金支持项目数") == "63"
    assert metric(at, "经费预算同比增长") == "1.83"
    assert metric(at, "市级项目区级初审数") == "7"
    lines = [m.value for m in at.markdown]  # card lines: text, not markdown (data_caption)
    assert any("合同能源管理 1" in x and "碳管理试点示范 5" in x for x in lines)
    assert any("长发改〔2025〕17号" in x for x in lines)


@pytest.mark.parametrize("group", ["focus", "all"])
def test_overview_matrix_lists_the_views_scopes_worst_first(group):
    at = open_page("overview", year="2026", period="Q3", group=group)
    matrix = at.dataframe[0].value
    assert len(matrix) == len(reference.view_scopes(group)) == (6 if group == "focus" else 11)
    frame = queries.indicator_frame(year=2026)
    headline = [i["id"] for i in reference.catalogue() if i["headline"]]
    expected = analysis.status_matrix(frame, reference.view_scopes(group), "Q3", headline)
    names = {s["name_zh"]: s["code"] for s in reference.scopes()}
    assert [names[n] for n in matrix.index] == list(expected.index)
    totals = [c for c in reference.view_scopes(group) if c not in reference.leaves()]
    assert list(expected.index[-len(totals) :]) == totals  # the totals close the table


def test_the_group_switch_changes_the_matrix_and_the_url():
    at = open_page("overview", year="2026", period="Q3")
    assert at.segmented_control(key="w_group").value == "focus"
    assert len(at.dataframe[0].value) == 6
    at.segmented_control(key="w_group").set_value("all").run()
    assert not at.exception
    names = set(at.dataframe[0].value.index)
    assert {reference.scope(c)["name_zh"] for c in reference.leaves()} <= names
    assert "双桥双新泾" not in names
    group = at.query_params["group"]
    assert group in ("all", ["all"])


@pytest.mark.parametrize("group", ["focus", "all"])
def test_streets_ranked_bars_follow_the_indicator_filter(group):
    at = open_page("streets", year="2024", period="Y", group=group)
    at.selectbox(key="w_indicator").set_value("funded_projects").run()
    ranked, share, multiples = figures(at)[:3]
    bars = ranked["data"][0]
    leaves = reference.focus_leaves() if group == "focus" else reference.leaves()
    # groups sum several 街镇: they are not ranked against one
    assert set(bars["y"]) == {reference.scope(c)["name_zh"] for c in leaves}
    panels = {a["text"] for a in multiples["layout"]["annotations"]}
    # the totals (a group, 全区) on their own scales, and saying so
    assert panels == {
        reference.scope(c)["name_zh"]
        if c in leaves
        else f"{reference.scope(c)['name_zh']}（单独刻度）"
        for c in reference.view_scopes(group)
    }
    frame = queries.indicator_frame("funded_projects", None, 2024, "Y").set_index("scope_code")
    by_name = {reference.scope(c)["name_zh"]: v for c, v in frame["value"].items()}
    assert decode(bars["x"]) == [by_name[n] for n in bars["y"]]
    assert decode(bars["x"]) == sorted(decode(bars["x"]))  # the most at the top
    shares = {t["name"].rsplit(" ", 1)[0]: t["x"][0] for t in share["data"]}  # "name 6.0%"
    assert sum(shares.values()) == pytest.approx(100)  # the parts make the whole district
    assert set(shares) == {reference.scope(c)["name_zh"] for c in reference.view_parts(group)}
    if group == "focus":
        assert shares["其他街镇"] == pytest.approx(by_name["其他街镇"] / 63 * 100)
    table = at.dataframe[0].value
    assert table.loc[table["街镇"] == "全区", "数值"].iloc[0] == "63"


def test_streets_rank_lower_is_better_with_the_lowest_on_top():
    at = open_page("streets", year="2024", period="Y", indicator="energy_per_gdp")
    bars = figures(at)[0]["data"][0]
    values = decode(bars["x"])
    assert values == sorted(values, reverse=True)  # plotly draws the last bar on top
    frame = queries.indicator_frame("energy_per_gdp", None, 2024, "Y")
    best = frame[frame["scope_code"].isin(reference.focus_leaves())].sort_values("value").iloc[0]
    assert bars["y"][-1] == reference.scope(best["scope_code"])["name_zh"]


def test_trends_projects_the_year_end_from_the_quarter():
    at = open_page("trends", year="2026", period="Q3", scope="虹桥")
    at.selectbox(key="w_indicator").set_value("pv_new").run()
    (fig,) = figures(at)
    projection = next(t for t in fig["data"] if t["name"] == "按当前进度年末预计")
    q3 = queries.indicator_frame("pv_new", "hongqiao", 2026, "Q3").iloc[0]
    plan_share = q3["expected_to_date"] / q3["target_value"]  # the 2026 plan: 70% by Q3
    assert plan_share == pytest.approx(0.7, abs=0.01)
    assert decode(projection["y"]) == [pytest.approx(q3["value"] / plan_share)]
    assert at.dataframe[0].value.shape[0] == 1


def test_projects_follow_the_period_like_the_overview():
    at = open_page("projects", year="2026", period="Q1")
    q1 = queries.indicator_frame("funded_projects", "district", 2026, "Q1")["value"].iloc[0]
    assert metric(at, "项目数") == f"{q1:.0f}"


def test_projects_filters_by_year_scope_and_category():
    at = open_page("projects", year="2024", scope="全区", period="Y")
    assert metric(at, "项目数") == "63"
    register = queries.funded_projects(year=2024)
    category = sorted(register["category"].unique())[0]
    at.selectbox(key="category").set_value(category).run()
    n = int((register["category"] == category).sum())
    assert metric(at, "项目数") == f"{n}"
    bars = figures(at)[0]["data"][0]
    assert sum(decode(bars["y"])) == n


def test_a_shared_link_restores_the_filters_on_another_page():
    at = open_page(
        "streets",
        scope="Hongqiao",
        year="2025",
        period="Y",
        indicator="光伏新增装机容量",
        lang="en",
    )
    assert at.selectbox(key="w_scope").value == "hongqiao"
    assert at.selectbox(key="w_indicator").value == "pv_new"
    assert at.selectbox(key="w_year").value == 2025
    at.switch_page("pages/trends.py").run()  # filters persist across pages
    assert at.selectbox(key="w_indicator").value == "pv_new"
    assert at.query_params["scope"] in ("hongqiao", ["hongqiao"])


def test_bad_url_values_fall_back_without_error():
    at = open_page("overview", scope="火星", year="abc", period="Q9", indicator="x", group="x")
    assert at.selectbox(key="w_scope").value == "district"
    assert at.segmented_control(key="w_group").value == "focus"


def _data_values():
    """Text that is data with no English name (sources, the seed's notes)."""
    seed = reference.seed()
    vocab = reference.demo_vocabulary()
    # The illustrative vocabulary and the seed's notes have English (terms_en, note_en), so
    # they are not listed here: in English mode they must show in English.
    values = [seed["source"], vocab["source"]]
    # what people typed (a return's reason, a submitter's note) shows as typed
    values += [vocab["reporting_round"]["returned"]["reason"]]
    values += [vocab["reporting_round"]["pending"]["note"]]
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize("group", ["focus", "all"])
@pytest.mark.parametrize("page", PAGES)
def test_english_mode_shows_no_chinese_outside_data(page, group):
    at = open_page(page, lang="en", year="2024", period="Y", group=group)
    texts = [
        el.value
        for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "error")
        for el in getattr(at, kind)
    ]
    texts += [m.label for m in at.metric] + [m.value for m in at.metric]
    for box in at.selectbox:
        texts += [box.label, *box.options]
    for df in at.dataframe:
        texts += [str(c) for c in df.value.columns] + [str(i) for i in df.value.index]
    allowed = _data_values()
    for text in texts:
        for value in allowed:
            text = text.replace(value, "")
        assert not CJK.search(text), text
    assert "Overview" in [t.value for t in at.title] or page != "overview"


def test_a_new_year_opens_on_its_headline_period():
    at = open_page("overview")  # 2026 opens on Q3, the latest quarter reported
    assert at.selectbox(key="w_period").value == "Q3"
    at.selectbox(key="w_year").set_value(2024).run()
    assert at.selectbox(key="w_period").value == "Y"
    assert metric(at, "专项资金支持项目数") == "63"
    at.selectbox(key="w_period").set_value("Q2").run()  # a period chosen by hand stays
    assert at.selectbox(key="w_period").value == "Q2"
    at = open_page("overview", year="2024", period="Q3")  # so does one in a shared link
    assert at.selectbox(key="w_period").value == "Q3"


def test_the_briefing_steps_through_every_headline_indicator_behind_plan_first():
    from indicators.domain import briefing
    from indicators.domain.status import BANDS, RAG_ORDER

    at = open_page("briefing", year="2024", period="Y")
    cards = briefing.slides(queries.indicator_frame(year=2024), "district", "Y")
    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    assert sorted(c["indicator_id"] for c in cards) == sorted(ids)  # every one, once
    judged = [c["rag_status"] for c in cards if c["rag_status"] in BANDS]
    assert [c["rag_status"] for c in cards[: len(judged)]] == judged  # targets first
    assert judged == sorted(judged, key=RAG_ORDER.index)  # the furthest behind first
    seen = []
    for _ in cards:
        seen.append(at.header[0].value)
        at.button(key="slide_next").click().run()
    assert seen == [
        f"{n}. {reference.indicator(c['indicator_id'])['name_zh']}" for n, c in enumerate(cards, 1)
    ]
    assert at.header[0].value == seen[-1]  # stops at the last slide
    at.button(key="slide_pgup").click().run()
    assert at.header[0].value == seen[-2]
    text = " ".join(m.value for m in at.markdown)
    assert "2024年全区" in text


def test_the_briefing_bar_chooses_language_street_year_and_period():
    at = open_page("briefing", year="2024", period="Y")
    at.segmented_control(key="w_lang").set_value("en").run()
    assert at.header[0].value.startswith("1. ")
    assert at.query_params["lang"] in ("en", ["en"])
    at.selectbox(key="w_scope").set_value("hongqiao").run()
    at.selectbox(key="w_year").set_value(2025).run()
    assert "Hongqiao Subdistrict" in " ".join(m.value for m in at.markdown)
    assert at.query_params["year"] in ("2025", ["2025"])
    assert [p.label for p in at.get("page_link")][:1] == ["Back to the dashboard"]


def test_a_slide_without_a_ranking_has_a_designed_figure():
    from indicators.domain import briefing

    cards = briefing.slides(queries.indicator_frame(year=2024), "district", "Y")
    n = next(i for i, c in enumerate(cards) if c["indicator_id"] == "municipal_reviews")
    at = open_page("briefing", year="2024", period="Y")
    for _ in range(n):
        at.button(key="slide_next").click().run()
    (fig,) = figures(at)
    bars = fig["data"][0]
    assert sorted(decode(bars["x"])) == [1, 1, 5]  # 合同能源管理, 绿色供应链, 碳管理试点示范
    assert "合计7项" in fig["layout"]["title"]["text"]


def test_overview_charts_each_indicator_against_the_plan_to_date():
    at = open_page("overview", year="2026", period="Q3")
    (fig,) = figures(at)
    bars = fig["data"][0]
    frame = queries.indicator_frame(year=2026)
    headline = [i["id"] for i in reference.catalogue() if i["headline"]]
    cards = analysis.pick_cards(frame, "district", "Q3", headline).dropna(subset=["attainment_pct"])
    expected = dict(zip(cards["indicator_id"], cards["attainment_pct"], strict=True))
    shown = dict(zip(bars["y"], decode(bars["x"]), strict=True))
    assert shown == pytest.approx(
        {reference.indicator(i)["short_zh"]: v for i, v in expected.items()}
    )
    assert decode(bars["x"]) == sorted(decode(bars["x"]), reverse=True)  # the worst on top
    assert fig["layout"]["shapes"][0]["x0"] == 100  # the plan-to-date line


def test_building_energy_shows_by_street_and_month():
    at = open_page("streets", year="2026", period="M09", indicator="building_energy")
    bars = figures(at)[0]["data"][0]
    frame = queries.indicator_frame("building_energy", None, 2026, "M09").set_index("scope_code")
    by_name = {reference.scope(c)["name_zh"]: v for c, v in frame["value"].items()}
    assert decode(bars["x"]) == pytest.approx([by_name[n] for n in bars["y"]])
    assert any("不是能源消费总量" in c.value for c in at.caption)  # its 口径 says so
    trend = open_page(
        "trends", year="2026", period="M09", indicator="building_energy", scope="hongqiao"
    )
    projection = next(t for t in figures(trend)[0]["data"] if t["name"] == "按当前进度年末预计")
    hongqiao = frame.loc["hongqiao", "value"]
    assert decode(projection["y"])[-1] == pytest.approx(hongqiao / 0.75)  # Jan–Sep is 3/4


HOSTILE = [
    "²⁰²⁶",  # passes str.isdigit(), which int() cannot read
    "２０２６",
    "9" * 5000,
    "<script>alert(1)</script>",
    "'; drop table observations; --",
    "虹桥' or '1'='1",
    "\x1b[31m\u202e",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_values_open_every_filter_without_an_exception(value):
    page = PAGES[HOSTILE.index(value) % len(PAGES)]
    at = open_page(
        page, **{name: value for name in ("lang", "group", "scope", "year", "period", "indicator")}
    )
    assert page_heading(at)  # the page drew itself, on the canonical filters


def _url_values():
    from hypothesis import strategies as hs

    known = ["zh", "en", "focus", "all", "hongqiao", "虹桥", "2024", "Q3", "M09", "gdp", "pv_new"]
    return hs.one_of(
        hs.text(max_size=40),
        hs.sampled_from(HOSTILE + known),
        hs.integers(-(10**12), 10**12).map(str),
        hs.text(hs.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
    )


def test_any_url_value_is_read_as_a_canonical_filter_or_not_at_all():
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    from indicators.reference import i18n
    from indicators.views import ui

    canonical = {
        "lang": set(i18n.LANGS),
        "group": set(reference.VIEWS),
        "scope": {s["code"] for s in reference.scopes()},
        "indicator": {i["id"] for i in reference.catalogue()},
        "period": set(reference.PERIOD_CHOICES),
        "year": set(range(1990, 2101)),
    }
    assert set(canonical) == set(ui.FILTERS)

    @settings(max_examples=600, deadline=None)
    @given(name=hs.sampled_from(sorted(canonical)), raw=_url_values())
    def read(name, raw):
        value = ui._valid(name, raw)
        assert value is None or value in canonical[name]
        if value is not None:  # and what the URL then carries reads back the same
            assert ui._valid(name, str(value)) == value

    read()


def test_every_page_opens_on_any_url_without_an_exception_or_error():
    """A property test over the filters: the pages, not only the parser."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    from indicators.views import ui

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        page=hs.sampled_from([*PAGES, "data_upload", "data_history", "sign_in"]),
        params=hs.dictionaries(hs.sampled_from(list(ui.FILTERS)), _url_values()),
    )
    def opens(page, params):
        at = open_page(page, **params)  # asserts no exception
        assert page_heading(at) and not at.error, [e.value for e in at.error]

    opens()


def test_a_lone_row_of_a_year_to_come_does_not_become_the_default_year():
    import pandas as pd

    periods = pd.DataFrame(
        {"year": [2024, 2025, 2099], "period": ["Y", "Q3", "Y"], "n_values": [9, 9, 1]}
    )
    assert queries.pick_default_period(periods) == (2025, "Q3")
    assert queries.pick_default_period(periods[periods["year"] == 2099]) == (2099, "Y")


def test_a_round_with_one_street_late_is_still_the_default_period():
    import pandas as pd

    periods = pd.DataFrame(
        {"year": [2026] * 3, "period": ["Q1", "Q2", "Q3"], "n_values": [100, 100, 90]}
    )
    assert queries.pick_default_period(periods) == (2026, "Q3")  # 90% of the fullest
    stray = periods.assign(n_values=[100, 100, 3])  # a stray Q3 row is not a round
    assert queries.pick_default_period(stray) == (2026, "Q2")


def test_a_note_and_source_from_data_show_as_text_never_markdown(work_db):
    from tests.intake_files import load_rows

    hostile = "![x](http://127.0.0.1:9/x.png) :red[红] $x^2$ [点此](http://127.0.0.1:9/)"
    load_rows(
        [
            ["街镇", "年份", "期间", "指标", "数值", "来源", "备注"],
            [
                "全区",
                2014,
                "Y",
                "lowcarbon_communities",
                5,
                "[来源](http://127.0.0.1:9/s)",
                hostile,
            ],
        ]
    )
    at = open_page("overview", year="2014", period="Y")
    shown = [m.value for m in at.markdown]
    note = next(m for m in shown if "点此" in m)
    # HTML-escaped inside an HTML block: markdown in it is text, nothing links or loads.
    assert "![x](http://127.0.0.1:9/x.png) :red[红] $x^2$" in note
    assert note.startswith("<div") and "<a " not in note and "<img" not in note
    assert any("[来源](http://127.0.0.1:9/s)" in m for m in shown)


def test_tables_shown_quote_formulas_so_their_csv_download_and_copy_are_safe(work_db):
    """The table toolbar's own "Download as CSV" exports the frame as shown."""
    import re
    from pathlib import Path

    from indicators import formulas
    from tests.intake_files import load_rows

    load_rows(
        [
            ["街镇", "年份", "期间", "指标", "数值", "来源", "备注"],
            ["全区", 2014, "Y", "lowcarbon_communities", 5, "=cmd|' /C calc'!A0", "@SUM(1+1)"],
        ]
    )
    at = open_page("streets", year="2014", period="Y", indicator="lowcarbon_communities")
    cells = [
        v
        for frame in at.dataframe
        for column in frame.value.columns
        for v in frame.value[column]
        if isinstance(v, str)
    ]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [v for v in cells if formulas.harmless(v) != v]
    # Every table on every page is drawn by the one helper that quotes them.
    root = Path(__file__).resolve().parent.parent
    sources = [*root.glob("indicators/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]
    calls = [
        p.name
        for p in sources
        for _ in re.finditer(r"st\.(dataframe|data_editor)\(", p.read_text())
    ]
    assert set(calls) == {"widgets.py"}  # show_table and edit_table, both quoting formulas


def test_the_period_list_has_one_entry_per_meaning_grouped():
    at = open_page("overview", year="2025")
    options = at.selectbox(key="w_period").options
    assert options[0] == "全年"
    from indicators.reference import i18n

    code = {i18n.period_choice(p, "zh"): p for p in reference.PERIODS}
    ends = [reference.period_share(code[o]) for o in options]
    assert len(ends) == len(set(ends))  # no two entries mean the same months
    assert [o.split(" · ")[0] for o in options[1:4]] == ["季度"] * 3
    assert all(o.startswith("月度 · ") for o in options[4:])
    # A link written with an equivalent code opens on the one entry that means it.
    for code, chosen in (("M09", "Q3"), ("Q4", "Y"), ("M12", "Y"), ("m06", "Q2")):
        assert (
            open_page("overview", year="2025", period=code).selectbox(key="w_period").value
            == chosen
        )


def test_a_card_showing_another_period_than_the_chosen_one_says_so():
    at = open_page("overview", year="2026", period="M05")
    captions = " ".join(m.value for m in at.markdown)
    assert "本卡显示：全年" in captions  # a yearly indicator in a 1–5月 view
    assert "本卡显示：一季度（1–3月累计）" in captions  # a quarterly one: its latest quarter
    assert metric(at, "光伏新增装机容量")  # a monthly one shows 1–5月 itself


def test_a_page_opens_on_an_indicator_with_a_target():
    at = open_page("streets")
    chosen = at.selectbox(key="w_indicator").value
    frame = queries.indicator_frame(chosen, None, int(at.selectbox(key="w_year").value))
    assert frame["target_value"].notna().any(), chosen  # not the grey 无目标
    from indicators.domain import analysis

    assert analysis.default_indicator(frame.iloc[0:0], "Y", ["gdp", "pv_new"]) == "gdp"


def test_a_link_with_values_that_are_no_filter_says_what_replaced_them():
    at = open_page("overview", year="2030", period="Q9", indicator="foo", scope="虹桥")
    notices = [m.value for m in at.markdown if "链接中的以下值不可用" in m.value]
    assert len(notices) == 1
    assert "year=2030 → " in notices[0] and "period=Q9 → " in notices[0]
    assert "indicator=foo → " in notices[0] and "scope=" not in notices[0]  # 虹桥 is valid
    hostile = open_page("overview", period="![x](http://127.0.0.1:9/x.png)")
    (notice,) = [m.value for m in hostile.markdown if "链接中的以下值不可用" in m.value]
    assert "<img" not in notice and notice.startswith("<div")  # shown as text
    assert not [m for m in open_page("overview").markdown if "链接中的以下值不可用" in m.value]


def test_projects_download_like_every_table_and_read_in_english():
    at = open_page("projects", lang="en", year="2024", period="Y")
    register = at.dataframe[-1].value
    names = list(register.iloc[:, 0])
    assert names and all(n.startswith("Illustrative project ") for n in names)
    assert all(e.startswith("Illustrative enterprise ") for e in register.iloc[:, 1])
    keys = {b.key for b in at.get("download_button")}
    assert {"projects_csv", "projects_xlsx"} <= keys
    assert not CJK.search(" ".join(register.columns))


def test_trends_show_one_table_and_years_under_every_panel():
    at = open_page("trends", year="2026", period="Q3", indicator="pv_new")
    assert len(at.dataframe) == 1  # the projection, with status and source: not two tables
    table = at.dataframe[0].value
    assert {"研判", "状态", "来源"} <= set(table.columns)
    layout = figures(at)[0]["layout"]
    axes = [k for k in layout if k.startswith("xaxis")]
    assert len(axes) >= 6 and all(layout[k].get("showticklabels") for k in axes)
    assert layout["legend"]["yref"] == "container"  # under the title, no gap before it


def test_streets_draw_each_streets_plan_mark_and_the_chosen_street_filters_the_table():
    at = open_page(
        "streets", year="2026", period="Q3", indicator="pv_new", scope="hongqiao", group="focus"
    )
    ranked, *_, multiples = figures(at)
    bars, legend = ranked["data"][0], ranked["data"][1]
    assert legend["name"].startswith("序时目标")
    frame = queries.indicator_frame("pv_new", None, 2026, "Q3").set_index("scope_code")
    by_name = {reference.scope(c)["name_zh"]: c for c in frame.index}
    # One line across each bar (at the bar's own position, whatever the chart's height).
    marks = {round((s["y0"] + s["y1"]) / 2): s["x0"] for s in ranked["layout"]["shapes"]}
    expected = [frame.loc[by_name[n], "expected_to_date"] for n in bars["y"]]
    assert [marks[i] for i in range(len(bars["y"]))] == pytest.approx(expected)
    assert "千瓦" in multiples["layout"]["title"]["text"]  # small multiples carry the unit
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["虹桥街道", "双桥双新泾", "全区"]


def test_the_shipped_config_shows_no_error_details_or_links_in_the_browser():
    import tomllib

    from streamlit import config

    client = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["client"]
    assert client["showErrorDetails"] == config.ShowErrorDetailsConfigOptions.NONE
    assert client["showErrorLinks"] is False
