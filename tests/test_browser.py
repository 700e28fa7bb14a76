"""The dashboard in a real browser: Debian's Chromium driven by Playwright against
`streamlit run` on a free localhost port, with a temporary database."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from indicators import reference
from indicators.domain import briefing, queries
from tests.conftest import ROOT, query

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, **env_extra: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "LOWCARBON_DB": str(db), **env_extra}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


@contextmanager
def served(db: Path):
    """A server on a copy of `db` and a browser, for a module that only reads: yields
    (browser, url)."""
    proc, url = _start(db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield browser, url
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: make test installs it as root"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def server(builtin_db, tmp_path):
    db = tmp_path / "browser.duckdb"
    shutil.copy(builtin_db, db)
    proc, url = _start(db)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _open(browser, url: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1800}, locale="zh-CN")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    # The briefing hides the sidebar (presentation view): its nav is there, not visible.
    nav_state = "attached" if "/briefing" in url else "visible"
    page.get_by_test_id("stSidebarNav").wait_for(state=nav_state, timeout=30_000)
    page.get_by_test_id("stMain").get_by_role("heading").first.wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    return page, requests


def _file_input(page, label: str):
    """The file input of the uploader whose label starts with `label`."""
    return page.get_by_test_id("stFileUploader").filter(has_text=label).locator("input[type=file]")


def _outside(requests: list[str]) -> list[str]:
    return [r for r in requests if not r.startswith(("http://127.0.0.1", "data:", "blob:"))]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/streets?indicator=pv_new&lang=en&scope=Hongqiao", "By subdistrict/town"),
        ("/overview?lang=en", "Overview"),
        ("/data_history?lang=en", "Load history"),
    ],
)
def test_first_request_after_restart_is_a_deep_link_with_the_full_layout(
    browser, server, path, heading
):
    page, requests = _open(
        browser, server + path, "deep_link" + path.split("?")[0].replace("/", "_")
    )
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "Overview" in nav and "Trends" in nav and "app" not in nav.split()
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_test_id("stException").count() == 0
    assert page.url.startswith(server + path.split("?")[0] + "?")
    assert "lang=en" in page.url
    if "scope" in path:
        assert "scope=hongqiao" in page.url and "indicator=pv_new" in page.url
    assert _outside(requests) == []


DASHBOARD_PAGES = ("overview", "streets", "trends", "projects", "map", "briefing")
DATA_PAGES = {  # page: what it shows before anyone signs in
    "reporting": ("各街镇报送情况", "Each subdistrict/town's reports"),  # open to readers
    "my_reports": ("请先以编辑账号登录。", "Please sign in with an editor account first."),
    "review": ("请先以编辑账号登录。", "Please sign in with an editor account first."),
    "targets": ("全区与各街镇目标", "Targets of the district and each subdistrict/town"),
    "commitments": ("⚠ 逾期", "⚠ Late"),
    "data_upload": ("请先以编辑账号登录。", "Please sign in with an editor account first."),
    "data_history": ("批次", "Batch"),  # open to readers: the batches, no rollback
    "sign_in": ("密码", "Password"),
}


def _no_error(page) -> None:
    for test_id in ("stException", "stAlertContainer-error"):
        assert page.get_by_test_id(test_id).count() == 0, test_id
    assert page.locator("[data-testid=stAlert] [data-testid=stAlertContentError]").count() == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_loads_with_its_content_and_no_error(browser, editor_server, lang):
    url, _ = editor_server
    requests: list[str] = []
    for name in DASHBOARD_PAGES:
        page, reqs = _open(browser, f"{url}/{name}?lang={lang}", f"page_{name}_{lang}")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
        _no_error(page)
        page.screenshot(path=str(ARTIFACTS / f"page_{name}_{lang}.png"))
        requests += reqs
        page.close()
    for name, texts in DATA_PAGES.items():
        page, reqs = _open(browser, f"{url}/{name}?lang={lang}", f"page_{name}_{lang}")
        # visible only: a table's header cells are hidden <th> copies of the same words
        page.get_by_text(texts[lang == "en"], exact=True).filter(visible=True).first.wait_for(
            timeout=30_000
        )
        _no_error(page)
        requests += reqs
        page.close()
    assert _outside(requests) == []


def _chart_data(page) -> list:
    """The traces behind the page's first plotly chart, as plotly holds them."""
    return page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".map(t => ({name: t.name, x: t.x, y: t.y}))"
    )


def test_changing_a_filter_changes_the_chart(browser, server):
    page, requests = _open(browser, server + "/trends?lang=zh&scope=hongqiao", "trends_before")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    before = _chart_data(page)
    page.get_by_role("combobox", name="指标").click()
    page.get_by_role("option", name="建筑能耗", exact=True).click()
    page.wait_for_url("**indicator=building_energy**", timeout=20_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').layout.title.text.includes('建筑能耗')",
        timeout=20_000,
    )
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    after = _chart_data(page)
    assert after != before
    assert page.get_by_text("建筑能耗").first.is_visible()
    _no_error(page)
    page.screenshot(path=str(ARTIFACTS / "trends_building_energy.png"))
    assert _outside(requests) == []


def test_language_switch_and_pages_in_chinese(browser, server):
    page, requests = _open(browser, server + "/", "overview_zh")
    assert page.get_by_role("heading", name="总览", exact=True).is_visible()
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Overview").wait_for(timeout=20_000)
    assert "lang=en" in page.url
    for url_path, title in (("trends", "趋势"), ("projects", "项目")):
        p, reqs = _open(browser, f"{server}/{url_path}?lang=zh", f"{url_path}_zh")
        assert p.get_by_role("heading", name=title, exact=True).is_visible()
        assert p.get_by_test_id("stException").count() == 0
        requests += reqs
    assert _outside(requests) == []


def test_a_filter_persists_across_pages_and_lands_in_the_url(browser, server):
    page, requests = _open(browser, server + "/?lang=zh", "filter_before")
    page.get_by_role("combobox", name="年份").click()
    page.get_by_role("option", name="2024年").click()
    page.wait_for_url("**year=2024**", timeout=20_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.get_by_test_id("stSidebarNav").get_by_text("分街镇").click()
    page.get_by_role("heading", name="分街镇", exact=True).wait_for(timeout=20_000)
    page.wait_for_url("**/streets?**year=2024**", timeout=20_000)
    assert page.get_by_role("combobox", name="年份").input_value() == "2024年"
    assert page.get_by_role("combobox", name="期间").input_value() == "全年"
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "filter_after_streets.png"))
    assert _outside(requests) == []


@pytest.fixture
def editor_server(builtin_db, tmp_path):
    from indicators import auth

    db = tmp_path / "browser.duckdb"
    shutil.copy(builtin_db, db)
    accounts = tmp_path / "accounts.json"
    os.environ["LOWCARBON_AUTH"] = str(accounts)
    try:
        auth.add_user("district", "district-pass")
    finally:
        del os.environ["LOWCARBON_AUTH"]
    proc, url = _start(db, LOWCARBON_AUTH=str(accounts))
    yield url, db
    proc.terminate()
    proc.wait(timeout=20)


def _upload_page(
    browser,
    url: str,
    name: str = "district",
    password: str = "district-pass",
    on: str = "数据上传",
):
    """A new page, signed in (as the district editor unless named), on 数据上传 (or `on`)."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(url + "/sign_in?lang=zh")
    page.get_by_test_id("stSidebarNav").wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.get_by_label("账号").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录：{name}").wait_for(timeout=20_000)
    _go(page, on)
    return page


def _go(page, name: str) -> None:
    """Open a page from the sidebar (the same session: still signed in) and let it settle."""
    page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=20_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)


def _wide_table(months: int, hongqiao: int) -> bytes:
    from tests.intake_files import xlsx_bytes

    rows = [
        [f"2025年1-{months}月长宁区分街镇能耗情况表", None, None],
        ["街道", "能源消费量（吨标准煤）", "规上工业能耗（吨标准煤）"],
        ["虹桥街道", hongqiao, 300],
        ["新泾镇", 15000, 900],
    ]
    return xlsx_bytes(rows, merges=["A1:C1"])


def test_a_wide_table_is_previewed_changed_confirmed_then_read_by_its_recipe(
    browser, editor_server, tmp_path, monkeypatch
):
    url, db = editor_server
    page = _upload_page(browser, url)
    # The dropzone shows our words, not Streamlit's "Upload" and "1GB per file".
    zone = page.get_by_test_id("stFileUploaderDropzone").filter(visible=True).first
    limit = '"单个文件不超过 512 MB · XLSX、XLS、CSV、TXT、TSV、PARQUET"'
    expected = [["0px", '"选择文件"'], ["0px", limit]]
    for _ in range(20):  # the style block may land a moment after the dropzone is drawn
        shown = zone.evaluate(
            "z => [...z.querySelectorAll("
            "'button p, [data-testid=stFileUploaderDropzoneInstructions] span')].map("
            "e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content])"
        )
        if shown == expected:
            break
        page.wait_for_timeout(250)
    assert shown == expected
    first = tmp_path / "分街镇能耗9月.xlsx"
    first.write_bytes(_wide_table(9, 12000))
    _file_input(page, "选择文件").set_input_files(str(first))
    # Both columns read as 能源消费总量 at first: the same figure twice, refused.
    page.get_by_text("按宽表读取（指标数据）").wait_for(timeout=30_000)
    page.get_by_text("重复", exact=False).first.wait_for(state="attached", timeout=30_000)
    expect(page.get_by_role("button", name="载入", exact=True)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "upload_wide_proposed_zh.png"))
    page.get_by_role("combobox", name="C 列“规上工业能耗(吨标准煤)”读作").click()
    page.get_by_role("option", name="不读取").click()
    page.get_by_text("检查通过：2 行").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_wide_changed_zh.png"))
    _confirm_held(page)  # 12,000 tce against the example's 209,988.9
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text("已保存读取模板", exact=False).wait_for(timeout=30_000)

    # Next month's file, same headers: read by the recipe, no choice to make.
    second = tmp_path / "分街镇能耗10月.xlsx"
    second.write_bytes(_wide_table(10, 13300))
    _file_input(page, "选择文件").set_input_files(str(second))
    page.get_by_text("按读取模板", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("检查通过：2 行").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_wide_recipe_zh.png"))
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text("已载入（批次").wait_for(timeout=30_000)
    # Read through the CLI, which waits while the app still holds the file.
    monkeypatch.setenv("LOWCARBON_DB", str(db))
    from tests.test_load import cli

    for period, value in (("Q3", "12000"), ("M10", "13300")):
        out = cli("show", "energy_total", "--street", "虹桥", "--year", "2025", "--period", period)
        assert out.returncode == 0, out.stderr
        assert value in out.stdout.replace(",", "")


def _unreadable_table(months: int, scale: float) -> bytes:
    """A table the guesser cannot place: its 街镇 only inside an address, under a header
    that names no template column."""
    from tests.intake_files import xlsx_bytes

    rows = [
        [f"2025年1-{months}月各街镇办事处用能情况统计", None, None],
        [None, None, None],
        ["序号", "地址", "本期用能"],
        [1, "上海市长宁区虹桥街道办事处（古北路）", round(21.0 * scale, 4)],
        [2, "长宁区新泾镇人民政府", round(12.9 * scale, 4)],
    ]
    return xlsx_bytes(rows)


def _choose(page, label: str, option: str) -> None:
    """Pick `option` in the select or multiselect labelled `label`, and let the app rerun."""
    _settled(page)
    page.get_by_role("combobox", name=label, disabled=False).click()
    page.get_by_role("option", name=option).click()
    page.mouse.click(1390, 2390)  # an empty corner: a multiselect's list stays open
    _settled(page)


def test_a_file_the_guesser_cannot_read_is_set_by_hand_then_read_by_its_recipe(
    browser, editor_server, tmp_path, monkeypatch
):
    url, db = editor_server
    page = _upload_page(browser, url)
    first = tmp_path / "办事处用能9月.xlsx"
    first.write_bytes(_unreadable_table(9, 1))
    _file_input(page, "选择文件").set_input_files(str(first))
    page.get_by_text("手工设置读取方式（表头行、街镇列）").wait_for(timeout=30_000)
    # The official says where the table is: header row 3, the 街镇 inside the address.
    _choose(page, "表头所在行（Excel 行号）", "3")
    _choose(page, "街镇所在列", "B 地址")
    # …and what its one figure column holds, in which unit.
    _choose(page, "C 列“本期用能”读作", "能源消费总量")
    _choose(page, "单位", "万吨标准煤")
    page.get_by_text("检查通过：2 行").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_by_hand_zh.png"), full_page=True)
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text("已保存读取模板", exact=False).wait_for(timeout=30_000)

    # Next month's file of that shape: read by the recipe set by hand, nothing to choose.
    second = tmp_path / "办事处用能10月.xlsx"
    second.write_bytes(_unreadable_table(10, 1.1))
    _file_input(page, "选择文件").set_input_files(str(second))
    page.get_by_text("按读取模板", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("检查通过：2 行").wait_for(timeout=30_000)
    _settled(page)  # the first file's messages stay on screen until the rerun is done
    page.screenshot(path=str(ARTIFACTS / "upload_by_hand_recipe_zh.png"), full_page=True)
    ((last,),) = query(db, "select max(batch_id) from load_batches")
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text(f"已载入（批次 #{last + 1}）").wait_for(timeout=30_000)
    _no_error(page)
    page.close()
    monkeypatch.setenv("LOWCARBON_DB", str(db))
    from tests.test_load import cli

    for street, period, value in (
        ("虹桥", "Q3", "210000"),
        ("新泾镇", "Q3", "129000"),
        ("虹桥", "M10", "231000"),
    ):
        out = cli("show", "energy_total", "--street", street, "--year", "2025", "--period", period)
        assert out.returncode == 0, out.stderr
        assert value in out.stdout.replace(",", ""), (street, period, out.stdout)


def test_sign_in_upload_a_bad_file_then_a_gbk_file_while_the_cli_loads_too(
    browser, editor_server, tmp_path
):
    from tests.intake_files import GBK_ROWS, csv_bytes, xlsx_bytes

    url, db = editor_server
    page = _upload_page(browser, url)
    bad = tmp_path / "错误.csv"
    bad.write_bytes(
        csv_bytes([["街镇", "年份", "指标", "数值"], ["火星", "2025", "gdp", "x"]], "gbk")
    )
    _file_input(page, "选择文件").set_input_files(str(bad))
    page.get_by_text("文件有 2 处问题").wait_for(timeout=30_000)
    expect(page.get_by_role("button", name="载入", exact=True)).to_have_count(0)
    page.get_by_text("未知街镇", exact=False).first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_rejected_zh.png"))

    good = tmp_path / "能耗.csv"
    good.write_bytes(csv_bytes(GBK_ROWS, "gbk"))
    _file_input(page, "选择文件").set_input_files(str(good))
    page.get_by_text("检查通过：3 行").wait_for(timeout=30_000)
    _confirm_held(page)  # the file's figures against the example's, ten times larger
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text("已载入（批次").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_loaded_zh.png"))

    # The same figures changed: the editor is asked, and replaces.
    changed = [row[:] for row in GBK_ROWS]
    changed[3][4] = "13,000"
    changed_file = tmp_path / "能耗_修订.csv"
    changed_file.write_bytes(csv_bytes(changed, "gbk"))
    _file_input(page, "选择文件").set_input_files(str(changed_file))
    page.get_by_text("1 行与已载入的数据不同").wait_for(timeout=30_000)
    page.get_by_text("替换（旧值保留在历史中）").wait_for(timeout=30_000)
    # Cancel is the default: no load button until the editor chooses to replace.
    expect(page.get_by_role("button", name="载入", exact=True)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "upload_conflict_zh.png"))
    page.get_by_text("替换（旧值保留在历史中）").click()
    page.get_by_role("button", name="载入", exact=True).click()
    page.get_by_text("替换 1").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "upload_replaced_zh.png"))

    # The command line loads an xlsx while the dashboard runs: short connections share.
    rows = [["Budget", None, None], ["year", "item", "amount"], [2027, "PV subsidy", 12.5]]
    xlsx = tmp_path / "budget.xlsx"
    xlsx.write_bytes(xlsx_bytes(rows, merges=["A1:C1"]))
    env = {**os.environ, "LOWCARBON_DB": str(db)}
    res = subprocess.run(
        [sys.executable, "-m", "indicators", "load", str(xlsx)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    page.get_by_test_id("stSidebarNav").get_by_text("数据历史").click()
    page.get_by_text("budget.xlsx").wait_for(state="attached", timeout=30_000)  # grid cell
    page.screenshot(path=str(ARTIFACTS / "history_zh.png"))
    page.get_by_text("能耗.csv").wait_for(state="attached", timeout=30_000)

    # Official boundaries, as a GeoPackage, replace the schematic ones.
    from tests.test_geo import _official_files

    gpkg = _official_files(tmp_path)[1]
    page.get_by_test_id("stSidebarNav").get_by_text("数据上传").click()
    page.get_by_text("街镇边界（正式边界替换示意边界）").click()
    _file_input(page, "边界文件").set_input_files(str(gpkg))
    page.get_by_text("检查通过：11 个要素").wait_for(timeout=30_000)
    source = page.get_by_label("来源（必填，如 发布单位与日期）")
    source.fill("区规划资源局 2026-11")
    source.press("Enter")
    _settled(page)  # Enter reruns the page: a click sent into that rerun is lost
    page.get_by_role("button", name="载入边界").click()
    page.get_by_text("已载入 11 个街镇边界").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "boundaries_loaded_zh.png"))


# The page position of the click target of a 街镇 farthest from its label.
FARTHEST_POINT = """code => {
  const gd = document.querySelector('.js-plotly-plot');
  const area = gd._fullData.find(t => t.name === 'click_area');
  const label = gd._fullData.find(t => t.name === 'scopes');
  const at = label.customdata.indexOf(code);
  let best = -1, far = -1;
  for (let i = 0; i < area.customdata.length; i++) {
    if (area.customdata[i] !== code) continue;
    const d = Math.hypot(area.x[i] - label.x[at], (area.y[i] - label.y[at]) * 1.17);
    if (d > far) { far = d; best = i; }
  }
  const fl = gd._fullLayout, box = gd.getBoundingClientRect();
  return {x: box.left + fl._size.l + fl.xaxis.l2p(area.x[best]),
          y: box.top + fl._size.t + fl.yaxis.l2p(area.y[best])};
}"""


def test_the_map_draws_offline_and_a_click_chooses_the_street(browser, server):
    # The network cut: any request that would leave this machine fails.
    offline = browser.new_page(viewport={"width": 1400, "height": 1800})
    offline.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )
    offline.goto(server + "/map?lang=en&indicator=energy_per_gdp_change&year=2025&period=Y")
    offline.locator(".js-plotly-plot").first.wait_for(timeout=60_000)  # a busy machine
    offline.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    offline.get_by_role("radio", name="Status").click()
    offline.get_by_text("✔ Green · on track").first.wait_for(state="attached", timeout=30_000)
    assert offline.locator(".js-plotly-plot .scatterlayer .trace").count() >= 6
    offline.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    offline.screenshot(path=str(ARTIFACTS / "map_status_en_offline.png"))

    page, requests = _open(
        browser, server + "/map?lang=zh&indicator=pv_new&year=2025&period=Y", "map_zh"
    )
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 6  # shapes drawn
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.locator(".js-plotly-plot").get_by_text("虹桥", exact=True).wait_for(timeout=30_000)
    # A click far from the label, near the edge of 虹桥's shape, chooses it: the whole
    # shape is the target. The point is the 虹桥 click target farthest from its label.
    far = page.evaluate(FARTHEST_POINT, "hongqiao")
    # A click before plotly has bound its handlers is lost, as a person's would be: retry.
    for _ in range(3):
        page.mouse.click(far["x"], far["y"])
        try:
            page.wait_for_function("location.href.includes('scope=hongqiao')", timeout=7_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function("location.href.includes('scope=hongqiao')", timeout=1_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    assert page.get_by_role("combobox", name="街镇").input_value() == "虹桥街道"
    page.wait_for_function(  # and drawn as the chosen one (the chart may be redrawing)
        "(() => { const d = document.querySelector('.js-plotly-plot');"
        " return !!(d && d.data && d.data.some(t => t.name === 'chosen')); })()"
    )
    page.screenshot(path=str(ARTIFACTS / "map_clicked_zh.png"))
    assert _outside(requests) == []


def _settled(page) -> None:
    """Streamlit rebinds a button's shortcut whenever the button re-renders; wait until no
    run has started for a moment, so a key is not sent into that gap."""
    for _ in range(3):
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
        page.wait_for_timeout(700)
        if not page.get_by_test_id("stStatusWidget").is_visible():
            return


def _press_until(page, key: str, shown: str) -> None:
    """Press a key and wait for its slide. A keystroke that lands while Streamlit rebinds
    its shortcuts is lost, as it would be for a presenter, who presses again: so does this,
    once, and only while the slide has not moved at all."""
    before = page.get_by_text(re.compile(r"第 \d+ / \d+ 张")).first.inner_text()
    page.keyboard.press(key)
    try:
        page.get_by_text(shown).wait_for(timeout=8_000)
    except PlaywrightTimeout:
        now = page.get_by_text(re.compile(r"第 \d+ / \d+ 张")).first.inner_text()
        assert now == before, f"{key} moved from {before} to {now}, not to {shown}"
        page.keyboard.press(key)
        page.get_by_text(shown).wait_for(timeout=15_000)
    _settled(page)


def test_the_briefing_steps_with_the_keyboard(browser, server):
    page, requests = _open(browser, server + "/briefing?lang=zh&year=2024&period=Y", "briefing_1")
    page.get_by_text("第 1 / 8 张").wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    _settled(page)
    for key, n in (
        ("ArrowRight", 2),
        ("PageDown", 3),
        ("PageDown", 4),
        ("PageDown", 5),
        ("ArrowLeft", 4),
        ("PageUp", 3),
        ("PageDown", 4),
        ("PageDown", 5),
    ):
        _press_until(page, key, f"第 {n} / 8 张")
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    fifth = briefing.slides(queries.indicator_frame(year=2024), "district", "Y")[4]
    name = reference.indicator(fifth["indicator_id"])["name_zh"]
    page.get_by_role("heading", name=f"5. {name}").wait_for(timeout=10_000)
    assert not page.get_by_test_id("stSidebar").is_visible()  # presentation view
    page.screenshot(path=str(ARTIFACTS / "briefing_5_zh.png"))
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("下载简报（PPTX）").click()
    assert download.value.suggested_filename.startswith("双碳简报_全区_2024_")
    from pptx import Presentation

    deck = Presentation(download.value.path())
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert any("专项资金支持项目数63项" in x for x in texts)
    assert _outside(requests) == []


TEN_ZH = [
    "华阳路街道",
    "江苏路街道",
    "新华路街道",
    "周家桥街道",
    "天山路街道",
    "仙霞新村街道",
    "虹桥街道",
    "程家桥街道",
    "北新泾街道",
    "新泾镇",
]
# What each page shows of the view, read from the first plotly chart: (双桥双新泾, 全部街镇)
VIEW_COUNTS = {
    "overview": ("", None),  # its chart is per indicator: the matrix is checked
    "streets": ("d => d.data[0].y.length", (4, 10)),  # the ranking
    "trends": ("d => d.layout.annotations.length", (6, 11)),  # a panel per scope
    "projects": ("d => d.data[0].x.length", (5, 10)),  # the four and 其他街镇, or the ten
    "map": ("d => d.data.find(t => t.name === 'scopes').customdata.length", (4, 10)),
    "briefing": ("d => d.data[0].y.length", (4, 10)),  # the slide's ranking
}


def _wait_for_count(page, expression: str, count: int) -> None:
    """Wait until the first plotly chart shows `count` of what `expression` counts."""
    page.wait_for_function(
        f"() => {{ const d = document.querySelector('.js-plotly-plot');"
        f" try {{ return ({expression})(d) === {count}; }} catch (e) {{ return false; }} }}",
        timeout=20_000,
    )


def _matrix_rows(page, n: int) -> list[str]:
    """The row labels of the status matrix (its grid's first column), once it has n rows."""
    labels = page.get_by_test_id("stDataFrame").first.locator("td[aria-colindex='1']")
    expect(labels).to_have_count(n, timeout=20_000)
    return labels.all_inner_texts()


def test_the_group_switch_on_every_dashboard_page(browser, server):
    """双桥双新泾 by default; 全部街镇 from the sidebar (the briefing's top bar) shows all
    ten on every page, lands in the URL, and the map and status matrix hold all ten."""
    requests: list[str] = []
    for name in DASHBOARD_PAGES:
        page, reqs = _open(browser, f"{server}/{name}?lang=zh&year=2025&period=Y", f"{name}_focus")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
        expression, counts = VIEW_COUNTS[name]
        if counts:
            _wait_for_count(page, expression, counts[0])
        if name == "overview":
            assert sorted(_matrix_rows(page, 6)) == sorted(TEN_ZH[6:] + ["双桥双新泾", "全区"])
        switch = (
            page.get_by_role("radio", name="全部街镇")
            if name == "briefing"
            else (page.get_by_test_id("stSidebar").get_by_text("全部街镇", exact=True))
        )
        switch.click()
        page.wait_for_url("**group=all**", timeout=20_000)
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
        if counts:
            _wait_for_count(page, expression, counts[1])
        if name == "overview":
            assert sorted(_matrix_rows(page, 11)) == sorted([*TEN_ZH, "全区"])
        if name == "map":
            svg = page.locator(".js-plotly-plot")
            for short in [reference.scope(c)["short_zh"] for c in reference.leaves()]:
                expect(svg.get_by_text(short, exact=True)).to_have_count(1, timeout=20_000)
        _no_error(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}_all.png"))
        requests += reqs
        page.close()
    assert _outside(requests) == []


def test_markdown_in_a_note_makes_no_request_from_a_visitors_browser(
    browser, editor_server, monkeypatch
):
    import http.server
    import threading

    from tests.intake_files import load_rows

    url, db = editor_server
    hits: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    port = listener.server_address[1]
    monkeypatch.setenv("LOWCARBON_DB", str(db))
    note = f"![x](http://127.0.0.1:{port}/img.png) [点此](http://127.0.0.1:{port}/link)"
    load_rows(
        [
            ["街镇", "年份", "期间", "指标", "数值", "备注"],
            ["全区", 2014, "Y", "lowcarbon_communities", 5, note],
        ]
    )
    try:
        page, _ = _open(browser, url + "/?lang=zh&year=2014&period=Y", "overview_note_zh")
        page.get_by_text("点此", exact=False).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.locator("img[src*='img.png']").count() == 0
        assert page.locator("a[href*='/link']").count() == 0
        assert hits == []
    finally:
        listener.shutdown()


def test_a_removed_account_is_signed_out_of_an_open_browser_and_guessing_locks(
    browser, editor_server, tmp_path, monkeypatch
):
    from tests.test_load import cli

    url, _ = editor_server
    monkeypatch.setenv("LOWCARBON_AUTH", str(tmp_path / "accounts.json"))
    cli("user", "add", "hq", "--streets", "虹桥", "--password-stdin", stdin="hongqiao-pass\n")
    page = _upload_page(browser, url, "hq", "hongqiao-pass")
    expect(_file_input(page, "选择")).to_have_count(1)
    assert cli("user", "remove", "hq").returncode == 0
    # The next thing the open page does runs as whoever the accounts file says: no one.
    page.get_by_test_id("stSidebarNav").get_by_text("数据历史").click()
    page.get_by_text("回滚批次需以编辑账号登录").wait_for(timeout=20_000)  # a reader now
    expect(page.get_by_role("button", name=re.compile("回滚"))).to_have_count(0)
    page.get_by_test_id("stSidebarNav").get_by_text("数据上传").click()
    page.get_by_text("请先以编辑账号登录").wait_for(timeout=20_000)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)

    page.goto(url + "/sign_in?lang=zh")
    page.get_by_label("账号").wait_for(timeout=30_000)
    page.get_by_label("账号").fill("district")
    for answer in ("再错 4 次", "再错 3 次", "再错 2 次", "再错 1 次", "已锁定"):
        page.get_by_label("密码").fill("guess")
        page.get_by_role("button", name="登录").click()
        page.get_by_text(answer).wait_for(timeout=20_000)
    page.get_by_label("密码").fill("district-pass")
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.get_by_text("已锁定").wait_for(timeout=20_000)
    from indicators import auth

    deadline = time.monotonic() + 20  # the right password was judged, and refused
    while auth.signins()[-1]["outcome"] != "refused":
        assert time.monotonic() < deadline, auth.signins()[-1]
        time.sleep(0.2)
    page.screenshot(path=str(ARTIFACTS / "sign_in_locked_zh.png"))
    expect(page.get_by_text("已登录：district")).to_have_count(0)
    page.close()


def _settled_box(locator, tries: int = 20):
    """An element's box once it is drawn (a chart is replaced as the slide changes)."""
    for _ in range(tries):
        try:
            locator.wait_for(state="visible", timeout=5_000)
            box = locator.bounding_box(timeout=2_000)
        except PlaywrightTimeout:
            box = None
        if box is not None and box["height"] > 0:
            return box
        time.sleep(0.25)
    return None


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_every_slide_fits_the_screen_at_projector_sizes(browser, server, size):
    """On every slide the headline, the figure, the status and the source are all on
    screen without scrolling, at a 1080p projector and at an old 1366×768 one."""
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server + "/briefing?lang=en&year=2024&period=Y&group=all")
    n = len(briefing.slides(queries.indicator_frame(year=2024), "district", "Y"))
    for k in range(1, n + 1):
        page.get_by_text(f"Slide {k} of {n}").wait_for(timeout=30_000)
        page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
        figure = page.locator(".js-plotly-plot, [data-testid='big-figure']").first
        figure.wait_for(timeout=30_000)
        parts = {
            "headline": page.get_by_text(re.compile(r"^(In |The |No figure)")).first,
            "figure": figure,
            "status": page.get_by_text(
                re.compile(r"(on track|behind|Year end|No target|Not reported|due)")
            ).last,
            "source": page.get_by_text(re.compile(r"^Source: ")).first,
        }
        for part, locator in parts.items():
            box = _settled_box(locator)
            assert box is not None, (k, part)
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (k, part, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (k, part, box)
        if k == 1:
            page.screenshot(path=str(ARTIFACTS / f"briefing_fit_{width}x{height}.png"))
        if k < n:
            page.get_by_role("button", name=re.compile("Next")).click()
    page.close()


def _enter_first_figure(page, value: str, submitted: bool = True) -> None:
    """Type a value into the first row's 数值 cell of the 填报 grid and press 报送 (and
    wait until it is sent, unless it will be held)."""
    page.get_by_role("heading", name="填报", exact=True).wait_for(timeout=20_000)
    # the pending list, then the 填报 grid: 街镇 → 指标 → 单位 → 数值
    _type_in_first_row(page, 3, value, grids=2)
    page.get_by_role("button", name="报送", exact=True).click()
    if submitted:
        page.get_by_text("已报送（批次").wait_for(timeout=30_000)


def _type_in_first_row(page, right: int, text: str, grids: int = 1) -> None:
    """Type `text` into the first row of the page's `grids`-th grid, `right` cells from its
    first column, and wait until the app has taken it. The grids are counted first: a
    heading is drawn before the grid under it, and a click meant for that grid would land
    in the one above."""
    expect(page.get_by_test_id("stDataFrame")).to_have_count(grids, timeout=30_000)
    _settled(page)
    grid = page.get_by_test_id("stDataFrame").nth(grids - 1)
    grid.click(position={"x": 20, "y": 52})  # the first row's first cell, under the header
    for _ in range(right):
        page.keyboard.press("ArrowRight")
    # The grid opens its cell editor and takes the typing a moment after each key.
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)


def _confirm_held(page, note: str = "核对无误：测试文件的数字") -> None:
    """Figures outside their plausible bounds: confirmed with a note, as an official would."""
    page.get_by_text("超出合理范围，需确认并写明说明后才能载入", exact=False).first.wait_for(
        timeout=30_000
    )
    page.get_by_label("确认说明（必填：为何这些数字无误）").fill(note)
    page.get_by_text("我已核对，以上数字无误").click()
    _settled(page)


def _choose_batch(page, db: Path, editor: str = "hq") -> None:
    """On 数据审核, the editor's latest submission (the example's own waits first)."""
    ((batch,),) = query(db, f"select max(batch_id) from load_batches where editor = '{editor}'")
    page.get_by_role("combobox", name="批次").click()
    page.get_by_role("option", name=f"#{batch}", exact=True).click()
    _settled(page)


def _add_hongqiao_editor(db: Path) -> None:
    """hq, an editor of 虹桥 only, in the editor server's accounts file."""
    from indicators import auth

    os.environ["LOWCARBON_AUTH"] = str(db.parent / "accounts.json")
    try:
        auth.add_user("hq", "hongqiao-pass", ["hongqiao"])
    finally:
        del os.environ["LOWCARBON_AUTH"]


def test_a_street_submits_the_district_returns_it_the_street_resubmits_and_it_is_approved(
    browser, editor_server
):
    url, db = editor_server
    _add_hongqiao_editor(db)
    street = _upload_page(browser, url, "hq", "hongqiao-pass", on="本街镇待报")
    district = _upload_page(browser, url, on="数据审核")

    def figure():  # 虹桥's energy figure of the round the form shows: public, or pending
        rows = query(
            db,
            "select value, data_status, t from ("
            " select *, 'public' as t from observations union all by name"
            " select *, 'pending' as t from pending_observations)"
            " where scope_code = 'hongqiao' and indicator_id = 'energy_total'"
            " and value in (234567, 234000)",
        )
        return rows[0] if rows else None

    _enter_first_figure(street, "234567")
    # the street's figure waits as 初步, off every public figure, until reviewed
    assert figure() == (234567, "preliminary", "pending")
    street.screenshot(path=str(ARTIFACTS / "reporting_submitted_zh.png"))

    _go(district, "数据审核")
    _choose_batch(district, db)
    district.get_by_label("退回原因（必填）").fill("与区统计局口径不一致")
    district.get_by_role("button", name=re.compile("^退回 #")).click()
    district.get_by_text("已退回，其数据不计入汇总").wait_for(timeout=30_000)
    assert figure() is None  # a returned figure is in no total

    _go(street, "本街镇待报")
    street.get_by_text("被退回：与区统计局口径不一致").wait_for(timeout=30_000)
    street.screenshot(path=str(ARTIFACTS / "reporting_returned_zh.png"))
    _enter_first_figure(street, "234000")

    _go(district, "数据审核")
    _choose_batch(district, db)
    district.get_by_role("button", name=re.compile("^审核通过 #")).click()
    district.get_by_text("已审核通过，数据转为正式").wait_for(timeout=30_000)
    assert figure() == (234000, "final", "public")

    # Shown as 正式 on the dashboard, and as approved in the reporting progress.
    ((year, period),) = query(
        db,
        "select year, period from observations where value = 234000",
    )
    _go(street, "报送进度")
    street.get_by_text("✔ 已审核").first.wait_for(timeout=30_000)
    page, _ = _open(
        browser,
        f"{url}/streets?scope=hongqiao&indicator=energy_total&year={year}&period={period}",
        "reporting_final_streets_zh",
    )
    page.get_by_text("正式数", exact=True).first.wait_for(state="attached", timeout=30_000)
    for p in (street, district, page):
        _no_error(p)
        p.close()


def test_a_district_editor_changes_a_target_in_the_grid_and_sees_what_no_longer_adds_up(
    browser, editor_server
):
    url, db = editor_server
    (year,) = query(db, "select max(year) from targets where year <= year(current_date)")[0]
    with_targets = {i for (i,) in query(db, "select distinct indicator_id from targets")}
    rows = [i for i in reference.indicator_ids() if i in with_targets]
    page = _upload_page(browser, url, on="目标分解")
    page.get_by_role("heading", name="全区与各街镇目标").wait_for(timeout=20_000)
    grid = page.get_by_test_id("stDataFrame").first
    grid.click(position={"x": 20, "y": 52})  # the first indicator's name cell
    for _ in range(rows.index("pv_new")):
        page.keyboard.press("ArrowDown")
    for _ in range(2):  # 指标 → 全区 → 虹桥
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.get_by_role("button", name="保存全区与各街镇目标").click()
    page.get_by_text("已载入（批次").wait_for(timeout=30_000)
    # the ten no longer reach the district's PV target, nor the four their group's
    page.get_by_text("光伏新增装机容量（").first.wait_for(timeout=30_000)
    assert page.get_by_text("各街镇分解目标合计").count() == 2
    assert query(
        db,
        f"select target_value from targets where indicator_id = 'pv_new' and year = {year} "
        "and scope_code = 'hongqiao'",
    ) == [(1.0,)]
    ((kind, editor),) = query(
        db, "select kind, editor from load_batches order by batch_id desc limit 1"
    )
    assert (kind, editor) == ("targets", "district")  # a batch: who, when, before and after
    # 虹桥's plan to date, set against the old target, moved with it in the same batch
    plan = query(
        db,
        f"select period, plan_value from target_plans where indicator_id = 'pv_new' "
        f"and year = {year} and scope_code = 'hongqiao'",
    )
    assert dict(plan)["Q4"] == 1.0  # the built-in data plans the current year
    assert page.get_by_text("序时计划与年度目标不符").count() == 0
    page.get_by_role("heading", name="序时计划").wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "targets_saved_zh.png"), full_page=True)
    _no_error(page)
    page.close()


def _public_picture(browser, url: str, year: int, period: str, name: str) -> dict:
    """What a reader sees of 虹桥 in a round: the overview's cards, the map's figures and
    the downloaded deck's words."""
    where = f"scope=hongqiao&year={year}&period={period}&lang=zh"
    page, _ = _open(browser, f"{url}/overview?{where}", f"pending_overview_{name}")
    page.locator(".st-key-cards").get_by_text("来源").first.wait_for(timeout=30_000)
    _settled(page)
    boxes = page.locator(".st-key-cards [class*='st-key-card_']")  # every card's figure drawn
    expect(page.locator(".st-key-cards [data-testid='stMetricValue']")).to_have_count(
        boxes.count(), timeout=30_000
    )
    cards = page.locator(".st-key-cards").inner_text()
    page.close()
    page, _ = _open(browser, f"{url}/map?{where}&indicator=energy_per_gdp", f"pending_map_{name}")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    figures = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".filter(t => t.name === 'scopes').map(t => [t.text, t.customdata])"
    )
    page.close()
    page, _ = _open(browser, f"{url}/briefing?{where}", f"pending_briefing_{name}")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_text("下载简报（PPTX）").click()
    from pptx import Presentation

    deck = Presentation(download.value.path())
    words = [s.text_frame.text for sl in deck.slides for s in sl.shapes if s.has_text_frame]
    page.close()
    return {"cards": cards, "map": figures, "deck": words}


def test_an_implausible_submission_is_confirmed_and_moves_no_public_figure_until_approved(
    browser, editor_server
):
    url, db = editor_server
    _add_hongqiao_editor(db)
    street = _upload_page(browser, url, "hq", "hongqiao-pass", on="本街镇待报")
    street.get_by_role("heading", name="填报", exact=True).wait_for(timeout=20_000)
    ((year, period, old),) = query(  # the form's first row: 虹桥's energy use this round
        db,
        "select year, period, value from observations where scope_code = 'hongqiao' and "
        "indicator_id = 'energy_total' and year = 2026 order by period desc limit 1",
    )
    before = _public_picture(browser, url, year, period, "before")

    # A typo of 5 tce: held, with the question, until confirmed with a note.
    _enter_first_figure(street, "5", submitted=False)
    street.get_by_text("与上年同期相比下降", exact=False).first.wait_for(timeout=30_000)
    held = "select count(*) from pending_observations where value = 5"
    assert query(db, held) == [(0,)]  # held, not sent
    street.screenshot(path=str(ARTIFACTS / "plausibility_held_zh.png"))
    expect(street.get_by_role("button", name="确认并载入")).to_be_disabled()
    street.get_by_label("确认说明（必填：为何这些数字无误）").fill("新口径：仅计入街道办公用能")
    street.get_by_text("我已核对，以上数字无误").click()
    _settled(street)
    street.get_by_role("button", name="确认并载入").click()
    street.get_by_text("已报送（批次").wait_for(timeout=30_000)
    assert query(db, held) == [(1,)]

    # Nothing a reader sees moved: the cards, the map, the deck.
    assert _public_picture(browser, url, year, period, "pending") == before

    # The district sees it pending, with its unit, the figure it replaces and the change.
    district = _upload_page(browser, url, on="数据审核")
    _choose_batch(district, db)
    district.get_by_text("下降 99.998%", exact=False).first.wait_for(state="attached")  # 变化
    district.get_by_text("与上年同期相比下降 99.998%，请确认", exact=False).first.wait_for()
    district.get_by_text(f"{old:,.0f} 吨标准煤", exact=False).first.wait_for(state="attached")
    district.get_by_text("新口径：仅计入街道办公用能", exact=False).first.wait_for(state="attached")
    assert district.get_by_text("220945.0").count() == 0
    district.screenshot(path=str(ARTIFACTS / "review_plausibility_zh.png"), full_page=True)
    # 含待审核, the district's own switch: the picture with it, each figure marked
    _go(district, "总览")
    district.get_by_test_id("stSidebar").get_by_text("含待审核").click()
    district.wait_for_url("**pending=1**", timeout=20_000)
    district.get_by_text("含待审核：标“待审核”的数字", exact=False).wait_for(timeout=30_000)
    district.get_by_text("待审核：尚未审核的报送", exact=False).first.wait_for(timeout=30_000)
    district.screenshot(path=str(ARTIFACTS / "overview_with_pending_zh.png"), full_page=True)
    district.get_by_test_id("stSidebar").get_by_text("含待审核").click()
    _go(district, "数据审核")
    _choose_batch(district, db)
    district.get_by_role("button", name=re.compile("^审核通过 #")).click()
    district.get_by_text("已审核通过，数据转为正式").wait_for(timeout=30_000)

    # Only now do the public figures move.
    after = _public_picture(browser, url, year, period, "after")
    assert after["cards"] != before["cards"] and after["map"] != before["map"]
    assert after["deck"] != before["deck"]
    for p in (street, district):
        _no_error(p)
        p.close()


def test_a_street_editor_saves_the_commitments_grid_and_the_text_is_stored_as_typed(
    browser, editor_server
):
    url, db = editor_server
    _add_hongqiao_editor(db)
    page = _upload_page(browser, url, "hq", "hongqiao-pass", on="承诺事项")
    page.get_by_role("heading", name="更新进展", exact=True).wait_for(timeout=20_000)
    typed = "已召开第３期沙龙，纪要见（附件一）：下阶段“扩面”"
    # the list, then 更新进展's grid: 编号 → 承诺事项 → 进展 → 完成时限 → 佐证材料
    _type_in_first_row(page, 4, typed, grids=2)
    page.get_by_role("button", name="保存进展").click()
    page.get_by_text("已载入（批次").wait_for(timeout=30_000)
    # stored exactly as typed (no ， made ",", no （） made "()"), on 虹桥's own item
    assert query(db, "select scope_code, department from commitments "
                     f"where evidence = '{typed}'") == [("hongqiao", None)]  # fmt: skip
    ((kind, editor),) = query(
        db, "select kind, editor from load_batches order by batch_id desc limit 1"
    )
    assert (kind, editor) == ("commitments", "hq")
    page.screenshot(path=str(ARTIFACTS / "commitments_saved_zh.png"), full_page=True)
    _no_error(page)
    page.close()
