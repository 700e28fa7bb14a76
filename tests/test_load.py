"""Loading, conflicts, rollback, backup and accounts — through the command line, as an
official would, on a real DuckDB file."""

import os
import subprocess
import sys
import textwrap
import time

import duckdb
import pandas as pd
import pytest

from indicators import auth
from indicators.domain import queries
from indicators.store import db
from tests.conftest import ROOT, query
from tests.intake_files import GBK_ROWS, csv_bytes, xlsx_bytes


def cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=ROOT,
        env=dict(os.environ),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(path):
    """Every table's ordered contents and the schema."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        schema = con.execute("select table_name, sql from duckdb_tables() order by 1").fetchall()
        views = con.execute(
            "select view_name, sql from duckdb_views() where not internal order by 1"
        ).fetchall()
        tables = {}
        for name, _ in schema:
            tables[name] = con.execute(f'select * from "{name}" order by all').fetchall()
        return schema, views, tables
    finally:
        con.close()


def hongqiao_q3_energy():
    return queries.indicator_frame("energy_total", "hongqiao", 2025, "Q3").iloc[0]


def test_gbk_csv_loads_then_conflicts_then_replaces_then_rolls_back(work_db, tmp_path):
    path = tmp_path / "能耗.csv"
    path.write_bytes(csv_bytes(GBK_ROWS, "gbk"))
    before = hongqiao_q3_energy()
    assert before["is_demo"]
    ((built,),) = query(work_db, "select max(batch_id) from load_batches")  # the example's

    res = cli("load", str(path), "--editor", "王科长", "--accept", "--note", "核对无误")
    assert res.returncode == 0, res.stderr
    assert "第 7 行" in res.stdout  # the 合计 row, reported
    row = hongqiao_q3_energy()
    assert row["value"] == pytest.approx(12345.6) and row["unit"] == "tce"
    assert not row["is_demo"] and row["source"] == "能耗.csv"
    assert queries.indicator_frame("energy_total", "xinjing", 2025, "Q3").iloc[0]["value"] == 15000

    again = cli("load", str(path))
    assert again.returncode == 0 and "未变 3" in again.stdout

    changed = [r[:] for r in GBK_ROWS]
    changed[3][4] = "13,000"
    path.write_bytes(csv_bytes(changed, "gbk"))
    state = snapshot(work_db)
    conflict = cli("load", str(path))
    assert conflict.returncode == 3 and "12,345.6" in conflict.stderr  # as a reader writes it
    assert snapshot(work_db) == state  # nothing written

    replaced = cli("load", str(path), "--replace", "--editor", "王科长", "--accept")
    assert replaced.returncode == 0, replaced.stderr
    assert hongqiao_q3_energy()["value"] == 13000

    history = cli("history")
    batches = [int(line.split()[0]) for line in history.stdout.splitlines()[1:]]
    newest = max(batches)
    assert cli("rollback", str(newest)).returncode == 0
    assert hongqiao_q3_energy()["value"] == pytest.approx(12345.6)  # the replaced value is back
    first = min(b for b in batches if b > built)
    assert cli("rollback", str(first)).returncode == 0
    back = hongqiao_q3_energy()
    assert back["value"] == pytest.approx(before["value"]) and back["is_demo"]
    again = cli("rollback", str(first))
    assert again.returncode == 2 and "已回滚" in again.stderr


def test_xlsx_with_merged_title_and_english_headers_loads(work_db, tmp_path):
    rows = [
        ["Targets 2026", None, None, None, None, None],
        ["indicator", "street", "year", "period", "target", "unit"],
        ["pv_new", "Hongqiao", 2026, None, 3, "MW"],
        ["pv_new", "Hongqiao", 2026, "Q3", 2, "MW"],
    ]
    path = tmp_path / "targets.xlsx"
    path.write_bytes(xlsx_bytes(rows, merges=["A1:F1"]))
    res = cli("load", str(path), "--kind", "targets", "--lang", "en")
    assert res.returncode == 0, res.stderr
    row = queries.indicator_frame("pv_new", "hongqiao", 2026, "Q3").iloc[0]
    assert row["target_value"] == 3000 and row["expected_to_date"] == 2000  # plan, in kW


def test_a_rejected_file_exits_2_with_one_line_per_mistake_and_changes_nothing(work_db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["街镇", "年份", "指标", "数值"],
                ["火星", "2025", "gdp", "x"],
                ["虹桥", "2025", "gdp", "1"],
            ],
            "gbk",
        )
    )
    state = snapshot(work_db)
    res = cli("load", str(path))
    assert res.returncode == 2
    lines = [line for line in res.stderr.splitlines() if line.startswith("第")]
    assert lines == ["第2行，“数值”列，值“x”：不是数字", "第2行，“街镇”列，值“火星”：未知街镇"]
    assert "Traceback" not in res.stderr
    assert snapshot(work_db) == state
    assert cli("load", str(tmp_path / "missing.csv")).returncode == 2


def test_dry_run_writes_nothing(work_db, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(GBK_ROWS, "gbk"))
    state = snapshot(work_db)
    res = cli("load", str(path), "--dry-run", "--accept")
    assert res.returncode == 0 and "试运行" in res.stdout
    assert snapshot(work_db) == state


def test_backup_and_restore_round_trip(work_db, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(GBK_ROWS, "gbk"))
    assert cli("load", str(path), "--accept").returncode == 0
    assert cli("backup", str(tmp_path / "bk")).returncode == 0
    assert (tmp_path / "bk" / "observations.parquet").exists()
    assert (tmp_path / "bk" / "schema.sql").exists()
    restored = tmp_path / "restored.duckdb"
    assert cli("restore", str(tmp_path / "bk"), "--to", str(restored)).returncode == 0
    original, copy = snapshot(work_db), snapshot(restored)
    # Every table's rows; the data version counts the restore itself as one more write.
    version = {t: rows for t, rows in original[2].items()}["meta"]
    assert copy[2].pop("meta") == [("data_version", str(int(version[0][1]) + 1))]
    original[2].pop("meta")

    # The mart is recomputed by the restore: its sums may differ in the last bits.
    def rounded(rows):
        return [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows]

    assert rounded(copy[2].pop("indicator_mart")) == rounded(original[2].pop("indicator_mart"))
    assert copy[2] == original[2]
    assert [s for s in copy[0]] == [s for s in original[0]]  # the schema
    refused = cli("restore", str(tmp_path / "bk"), "--to", str(restored))
    assert refused.returncode == 2


def test_accounts_hash_passwords_and_limit_streets(work_db, tmp_path, monkeypatch):
    accounts = tmp_path / "secret" / "accounts.json"
    monkeypatch.setenv("LOWCARBON_AUTH", str(accounts))
    res = cli("user", "add", "hq", "--streets", "虹桥", "--password-stdin", stdin="s3cret-pass\n")
    assert res.returncode == 0, res.stderr
    assert cli("user", "add", "boss", "--password-stdin", stdin="an0ther-pass\n").returncode == 0
    text = accounts.read_text()
    assert "s3cret-pass" not in text and "$argon2" in text
    assert oct(accounts.stat().st_mode & 0o777) == "0o600"
    assert auth.verify("hq", "s3cret-pass").streets == ("hongqiao",)
    assert auth.verify("hq", "wrong") is None and auth.verify("nobody", "x") is None
    assert auth.verify("boss", "an0ther-pass").allowed_scopes() is None
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([["街镇", "年份", "指标", "数值"], ["新泾镇", 2025, "gdp", 1]]))
    refused = cli("load", str(path), "--editor", "hq")
    assert refused.returncode == 2 and "无权" in refused.stderr
    assert cli("load", str(path), "--editor", "boss", "--accept").returncode == 0
    assert cli("user", "remove", "hq").returncode == 0
    assert auth.verify("hq", "s3cret-pass") is None


READER = textwrap.dedent("""
    import sys, time
    from indicators.domain import queries
    errors, mixed, seen = 0, 0, set()
    deadline = time.monotonic() + float(sys.argv[1])
    while time.monotonic() < deadline:
        try:
            frame = queries.indicator_frame("gdp", None, 2014, "Y")
            values = set(frame.loc[frame["formula"] == "reported", "value"])  # not group sums
            if len(values) > 1:
                mixed += 1
            seen |= values
        except Exception as exc:
            errors += 1
            print("error", exc, file=sys.stderr)
        time.sleep(0.1)
    print(errors, mixed, len(seen))
""")


def test_twenty_loads_while_another_process_reads(work_db, tmp_path):
    from indicators.intake import checks, files, loading

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, "20"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    streets = ["虹桥", "北新泾", "程家桥", "新泾镇", "其他街镇"]
    for i in range(20):
        rows = [["街镇", "年份", "指标", "数值"]] + [[s, 2014, "gdp", 100 + i] for s in streets]
        data = csv_bytes(rows)
        checked = checks.check(files.read_upload(data, f"load{i}.csv"))
        loading.load(
            checked, editor="test", file_name=f"load{i}.csv", data=data, replace=True,
            confirm_note="a test of concurrent reads, not of the figures",
        )  # fmt: skip
        time.sleep(0.3)
    out, err = reader.communicate(timeout=120)
    errors, mixed, seen = map(int, out.split())
    assert errors == 0, err
    assert mixed == 0  # every read saw one whole batch: never old and new together
    assert seen >= 5  # and it did see the loads come in


def test_batches_record_who_when_what(work_db, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(GBK_ROWS, "gbk"))
    cli("load", str(path), "--editor", "李四", "--accept")
    batches = db.read("queries/load_batches")
    newest = batches.iloc[0]
    assert newest["editor"] == "李四" and newest["file_name"] == "e.csv"
    assert newest["kind"] == "observations" and len(newest["file_hash"]) == 64
    assert newest["row_count"] == 3 and newest["n_changes"] == 3
    assert pd.notna(newest["loaded_at"])
