"""One small fixed-seed database for the session; tests never touch data/."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def builtin_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in data (seed figures + illustrative data) in a temporary file."""
    from indicators.builtin import install

    path = tmp_path_factory.mktemp("db") / "builtin.duckdb"
    os.environ["LOWCARBON_DB"] = str(path)
    install.builtin_data(demo=True)
    return path


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builtin_db: Path) -> Path:
    """An empty path for a test that creates its own database."""
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("LOWCARBON_DB", str(path))
    return path


@pytest.fixture
def work_db(builtin_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in database for a test that writes."""
    path = tmp_path / "work.duckdb"
    shutil.copy(builtin_db, path)
    monkeypatch.setenv("LOWCARBON_DB", str(path))
    return path


@pytest.fixture
def editors(work_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in database with two accounts: hq, a 街镇 editor of 虹桥, and
    boss, a district editor."""
    from indicators import auth

    monkeypatch.setenv("LOWCARBON_AUTH", str(tmp_path / "accounts.json"))
    auth.add_user("hq", "pass-w0rd", ["hongqiao"])
    auth.add_user("boss", "pass-w0rd", None)
    return work_db


def query(path: Path, sql: str) -> list[tuple]:
    """The rows of one query on a test's database file, on a short read-only connection."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def decode(values):
    """Plotly figure data as plain values (plotly 7 base64-encodes numeric arrays)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)
