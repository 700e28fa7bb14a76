"""The 项目 page's performance view in a real browser (issue 26): in zh and en, the savings
chart holds each 街镇's figures as fund.performance computes them, the need beside them,
and the totals, table and follow-up list are drawn."""

from __future__ import annotations

import math
import shutil

import pytest
from playwright.sync_api import expect

from indicators import reference
from indicators.domain import fund, queries
from tests.conftest import decode
from tests.test_browser import ARTIFACTS, _outside, served

YEAR = 2024


@pytest.fixture(scope="module")
def site(builtin_db, tmp_path_factory):
    """One server and one browser for the module (the page only reads)."""
    db = tmp_path_factory.mktemp("fund") / "browser.duckdb"
    shutil.copy(builtin_db, db)
    with served(db) as both:
        yield both


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_performance_view_shows_savings_against_need_by_street(site, lang):
    browser, url = site
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{url}/projects?lang={lang}&group=focus&year={YEAR}")
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)
    label = "What the fund bought" if lang == "en" else "资金绩效"
    page.get_by_test_id("stMain").get_by_text(label, exact=True).click()
    heading = "What the special fund bought in 2024" if lang == "en" else "2024年专项资金绩效"
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"fund_performance_{lang}.png"))

    perf, _ = queries.fund_performance(YEAR)
    totals = perf[perf["category"] == fund.ALL].set_index("street_code")
    leaves = reference.view_leaves("focus")
    traces = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".map(t => ({name: t.name, x: t.x, y: t.y}))"
    )
    expected, _, need = traces  # expected saving, verified saving, the need
    assert expected["x"] == [reference.scope(c)[f"name_{lang}"] for c in leaves]
    shown = decode(expected["y"])
    for code, value in zip(leaves, shown, strict=True):
        assert value == pytest.approx(totals.loc[code, "expected_saving_tce"])
    for code, value in zip(leaves, decode(need["y"]), strict=True):
        want = totals.loc[code, "need_tce"]
        assert (value is None and math.isnan(want)) or value == pytest.approx(want)
    main = page.get_by_test_id("stMain")
    projects = (
        "Projects (items; with outcomes in brackets)"
        if lang == "en"
        else "支持项目数（项，括号内为有成效数据的）"
    )
    expect(main.get_by_text(projects)).to_be_visible()
    assert page.get_by_test_id("stDataFrame").count() >= 1
    follow = "Projects to follow up" if lang == "en" else "需跟进的项目"
    expect(main.get_by_role("heading", name=follow)).to_be_visible()
    assert _outside(requests) == []
    page.close()
