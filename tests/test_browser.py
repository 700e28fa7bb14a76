"""The dashboard in a real browser: Debian's Chromium driven by Playwright against
`streamlit run` on a free localhost port, with a temporary database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT

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


def _start(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "LOWCARBON_DB": str(db)}
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
    page.get_by_test_id("stSidebarNav").wait_for(timeout=30_000)
    page.locator(".js-plotly-plot, [data-testid='stMetric']").first.wait_for(timeout=30_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    return page, requests


def _outside(requests: list[str]) -> list[str]:
    return [r for r in requests if not r.startswith(("http://127.0.0.1", "data:", "blob:"))]


def test_first_request_after_restart_is_a_deep_link_with_the_full_layout(browser, server):
    page, requests = _open(
        browser, server + "/streets?indicator=pv_new&lang=en&scope=Hongqiao", "deep_link_streets_en"
    )
    nav = page.get_by_test_id("stSidebarNav").inner_text()
    assert "Overview" in nav and "Trends" in nav and "app" not in nav.split()
    assert page.get_by_role("heading", name="By subdistrict").is_visible()
    assert page.get_by_test_id("stException").count() == 0
    assert "scope=hongqiao" in page.url and "indicator=pv_new" in page.url
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
