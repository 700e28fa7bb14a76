"""The 晴雨表 in a real browser (issue 25): both views and both languages, every cell as
the barometer module words it, a level wherever there is a figure, the five-year paths
drawn, and the CSV download the same as `plan barometer` on the command line."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from indicators import reference
from indicators.domain import barometer, fiveyear, queries
from tests.test_browser import ARTIFACTS, _outside, served
from tests.test_load import cli

YEAR, INDICATOR = 2026, "energy_per_gdp"


@pytest.fixture(scope="module")
def site(builtin_db, tmp_path_factory):
    """One server and one browser for the module (the page only reads)."""
    db = tmp_path_factory.mktemp("barometer") / "browser.duckdb"
    shutil.copy(builtin_db, db)
    with served(db) as both:
        yield both


def _expected(view: str, lang: str) -> list[list[list[str]]]:
    """Each table's rows of cell texts, from the same data the page reads."""
    plan = fiveyear.plan_of_year(YEAR)
    statuses = queries.plan_rounds(plan, YEAR)
    rounds = barometer.rounds_so_far(statuses, YEAR)
    long = barometer.levels(statuses, YEAR)
    scopes = reference.view_scopes(view)
    out = []
    for against in barometer.AGAINST:
        bands, moves = barometer.table(long, INDICATOR, against, scopes, rounds)
        out.append(barometer.shown_table(bands, moves, lang).values.tolist())
    return out


def _grid_rows(grid, n_rows: int, n_cols: int) -> list[list[str]]:
    """A grid's body cells row by row (its index column left out)."""
    cells = grid.locator("td")
    expect(cells).to_have_count(n_rows * (n_cols + 1), timeout=30_000)
    texts = [x.strip() for x in cells.all_inner_texts()]
    return [texts[i + 1 : i + n_cols + 1] for i in range(0, len(texts), n_cols + 1)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["focus", "all"])
def test_the_barometer_shows_a_level_in_every_cell_with_a_figure(site, lang, view):
    browser, url = site
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{url}/barometer?lang={lang}&group={view}&year={YEAR}&indicator={INDICATOR}")
    grids = page.get_by_test_id("stDataFrame")
    expect(grids).to_have_count(2, timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"barometer_{view}_{lang}.png"))

    expected = _expected(view, lang)
    level_words = {
        barometer.cell_text(band, "", lang) for band in barometer.BAND.values()
    }  # ✖ 一级 … ✔ 三级
    n_levels = 0
    for i, table in enumerate(expected):
        shown = _grid_rows(grids.nth(i), len(table), len(table[0]))
        assert shown == table
        for row in shown:
            for cell in row:
                missing = cell.startswith(("○", "·"))  # 未报送, 无目标
                assert missing or any(cell.startswith(w) for w in level_words), cell
                n_levels += not missing
    assert n_levels > 0
    # each scope of the view has its five-year path; the even pace and the target beside it
    names = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data.map(t => t.legendgroup)"
    )
    assert names.count("achieved") == len(reference.view_scopes(view))
    assert "even_pace" in names and "target" in names
    assert _outside(requests) == []
    page.close()


def test_the_csv_download_is_the_command_lines_barometer(site, builtin_db):
    browser, url = site
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(f"{url}/barometer?lang=zh&group=focus&year={YEAR}&indicator={INDICATOR}")
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2, timeout=60_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载数据（CSV）").click()
    assert download.value.suggested_filename == f"晴雨表_单位GDP能耗_{YEAR}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as f:
        downloaded = f.read()
    page.close()
    said = cli("plan", "barometer", "--plan", "十五五", "--year", str(YEAR), "--format", "csv")
    assert said.returncode == 0, said.stderr
    assert downloaded == said.stdout
