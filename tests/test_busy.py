"""A database another process holds: readers and writers wait, then say it is busy
(CLI exit 5, a message on the page), never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.intake_files import csv_bytes
from tests.test_load import cli

HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "print('held', flush=True); time.sleep(60)"
)


@pytest.fixture
def held(work_db, monkeypatch):
    """The work database held by another process's write connection."""
    monkeypatch.setenv("LOWCARBON_LOCK_WAIT_S", "1")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(work_db)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    yield work_db
    holder.kill()
    holder.wait(timeout=20)


def test_the_cli_says_busy_and_exits_5(held, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([["街镇", "年份", "指标", "数值"], ["虹桥", 2015, "gdp", 1]]))
    for args in (("show", "gdp", "--year", "2024"), ("load", str(path))):
        started = time.monotonic()
        res = cli(*args)
        assert res.returncode == 5, res.stderr
        assert "另一项写入正在进行" in res.stderr and "Traceback" not in res.stderr
        assert time.monotonic() - started < 30


def test_a_page_says_busy_without_an_exception(held):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("另一项写入正在进行" in e.value for e in at.error)
