"""A restore writes a whole database or none: the backup is checked against its manifest
first, built in a temporary file, and named only when complete."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from indicators.store import db
from tests.conftest import ROOT, query
from tests.test_data_pages import open_page
from tests.test_load import cli


@pytest.fixture(scope="module")
def backup_dir(builtin_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup") / "bk"
    db.backup(folder)
    return folder


def _copy(backup_dir, tmp_path):
    import shutil

    copy = tmp_path / "bk"
    shutil.copytree(backup_dir, copy)
    return copy


def _refused(source, target, *words):
    res = cli("restore", str(source), "--to", str(target))
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    for word in words:
        assert word in res.stderr
    assert not target.exists()  # nothing written, nothing in the way of the next try
    assert not list(target.parent.glob(f".{target.name}.restore-*"))


def test_the_backup_carries_a_manifest_of_every_table_and_its_rows(backup_dir, builtin_db):
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    tables = {name for (name,) in query(builtin_db, "select table_name from duckdb_tables()")}
    assert set(manifest["tables"]) == tables
    assert (
        manifest["tables"]["observations"]
        == query(builtin_db, "select count(*) from observations")[0][0]
    )
    assert manifest["schema_version"] == max(v for v, _ in db._migrations())
    assert set(manifest["sha256"]) == tables
    assert manifest["sha256"]["observations"] == db.file_sha256(backup_dir / "observations.parquet")


def test_a_folder_that_does_not_exist_restores_nothing(tmp_path):
    _refused(tmp_path / "no-such-folder", tmp_path / "r.duckdb", "no-such-folder", "不存在")


def test_a_backup_without_its_manifest_restores_nothing(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    (source / "manifest.json").unlink()
    _refused(source, tmp_path / "r.duckdb", "manifest.json")


def test_a_backup_missing_a_table_restores_nothing(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    (source / "funded_projects.parquet").unlink()
    _refused(source, tmp_path / "r.duckdb", "funded_projects")
    # A manifest edited to leave the table out is caught by the schema of its version.
    manifest = json.loads((source / "manifest.json").read_text())
    del manifest["tables"]["funded_projects"]
    (source / "manifest.json").write_text(json.dumps(manifest))
    _refused(source, tmp_path / "r.duckdb", "funded_projects")


def test_a_table_with_rows_missing_restores_nothing(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    parquet = source / "observations.parquet"
    pd.read_parquet(parquet).head(3).to_parquet(parquet)
    _refused(source, tmp_path / "r.duckdb", "observations", "3")


def test_a_backup_from_a_newer_version_restores_nothing(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["schema_version"] += 1
    (source / "manifest.json").write_text(json.dumps(manifest))
    _refused(source, tmp_path / "r.duckdb", str(manifest["schema_version"]))


def restored_from_older_schema(tmp_path, monkeypatch, upto: int, insert: str):
    """A database at schema version `upto` holding what `insert` writes, backed up and
    restored with the command line: the restored file's path."""
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("begin transaction")
    db.migrate_in(con, upto=upto)
    con.execute(insert)
    con.execute("commit")
    con.close()
    monkeypatch.setenv("LOWCARBON_DB", str(old))
    db.backup(tmp_path / "bk")
    target = tmp_path / "r.duckdb"
    res = cli("restore", str(tmp_path / "bk"), "--to", str(target))
    assert res.returncode == 0, res.stderr
    return target


def test_a_backup_of_an_older_schema_is_migrated_forward(tmp_path, monkeypatch):
    target = restored_from_older_schema(  # 7: before batches.os_user
        tmp_path,
        monkeypatch,
        7,
        "insert into load_batches (batch_id, kind, editor) values (1, 'observations', 'x')",
    )
    assert query(target, "select editor, os_user from load_batches") == [("x", None)]
    latest = db._migrations()[-1][0]
    assert query(target, "select max(version) from schema_migrations")[0][0] == latest


def test_a_restore_killed_at_any_moment_leaves_a_whole_file_or_none(backup_dir, tmp_path):
    target = tmp_path / "r.duckdb"
    cut_short = 0
    for delay in (0.0, 0.3, 0.8):
        proc = subprocess.Popen(
            [sys.executable, "-m", "indicators", "restore", str(backup_dir), "--to", str(target)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".r.duckdb.restore-*")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if target.exists():  # it finished first: the file is whole
            assert query(target, "select count(*) from observations")[0][0] > 0
            target.unlink()
        else:
            cut_short += 1
        res = cli("restore", str(backup_dir), "--to", str(target))
        assert res.returncode == 0, res.stderr
        assert query(target, "select count(*) from observations")[0][0] > 0
        assert not list(tmp_path.glob(".r.duckdb.restore-*"))  # the abandoned one is gone
        target.unlink()
    assert cut_short  # at least one kill landed inside the restore


# After a crash: the write-ahead log of the file that died is never left beside the new one,
# and a backup's tables are the ones it was made with.

WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("set checkpoint_threshold = '1TB'")  # keep every commit in the .wal
con.execute("create table if not exists scratch (i integer, note varchar)")
n = 0
while True:
    con.execute("begin transaction")
    con.execute("insert into scratch select range, 'x' from range(1000)")
    con.execute("commit")
    n += 1
    if n == 3:
        print("ready", flush=True)
"""


def _kill_a_writer_mid_write(path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db.wal_path(path).stat().st_size > 0


def test_restoring_after_a_writer_was_killed_moves_its_log_aside_and_opens(
    backup_dir, builtin_db, tmp_path, monkeypatch
):
    live = tmp_path / "lowcarbon.duckdb"
    shutil.copyfile(builtin_db, live)
    _kill_a_writer_mid_write(live)
    wal = db.wal_path(live).read_bytes()
    live.rename(tmp_path / "lowcarbon.duckdb.broken")  # the operator moves the file aside
    monkeypatch.setenv("LOWCARBON_DB", str(live))
    res = cli("restore", str(backup_dir))  # to the usual path
    assert res.returncode == 0, res.stderr
    shown = cli("show", "energy_total", "--street", "虹桥", "--year", "2025")
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    (moved,) = tmp_path.glob("lowcarbon.duckdb.wal.before-restore-*")
    assert moved.read_bytes() == wal and str(moved) in res.stdout and "预写日志" in res.stdout


def test_a_log_of_another_file_beside_the_database_is_said_plainly(
    builtin_db, tmp_path, monkeypatch
):
    other = tmp_path / "other.duckdb"  # another database (a copy of the same file would match)
    _kill_a_writer_mid_write(other)
    live = tmp_path / "lowcarbon.duckdb"
    shutil.copyfile(builtin_db, live)
    shutil.copyfile(db.wal_path(other), db.wal_path(live))
    monkeypatch.setenv("LOWCARBON_DB", str(live))
    for args in (["show", "energy_total"], ["history"], ["migrate"]):
        res = cli(*args)
        assert res.returncode == 2, res.stderr
        assert "Traceback" not in res.stderr
        assert "预写日志" in res.stderr and str(db.wal_path(live)) in res.stderr
    with pytest.raises(db.DatabaseWalMismatch):
        db.read("queries/has_batches")
    page = open_page("pages/overview.py")  # asserts no exception element
    assert any("数据库暂时无法打开" in e.value for e in page.error)


def test_a_table_changed_with_the_same_row_count_restores_nothing(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    parquet = source / "observations.parquet"
    frame = pd.read_parquet(parquet)
    frame.loc[0, "value"] = frame.loc[0, "value"] * 10
    frame.to_parquet(parquet)
    target = tmp_path / "r.duckdb"
    db.wal_path(target).write_bytes(b"a log this restore must leave alone")
    _refused(source, target, "observations", "校验值")
    assert db.wal_path(target).read_bytes() == b"a log this restore must leave alone"
    assert not list(tmp_path.glob("r.duckdb.wal.before-restore-*"))


def test_a_backup_without_checksums_restores_only_when_the_operator_says_so(backup_dir, tmp_path):
    source = _copy(backup_dir, tmp_path)
    manifest = json.loads((source / "manifest.json").read_text())
    del manifest["sha256"]  # as backups made before checksums were recorded
    (source / "manifest.json").write_text(json.dumps(manifest))
    target = tmp_path / "r.duckdb"
    _refused(source, target, "--unverified")
    res = cli("restore", str(source), "--to", str(target), "--unverified")
    assert res.returncode == 0, res.stderr
    assert "未经核对" in res.stderr
    assert (
        query(target, "select count(*) from observations")[0][0]
        == manifest["tables"]["observations"]
    )


def test_a_backup_of_a_database_whose_table_was_altered_is_refused_not_a_traceback(
    backup_dir, tmp_path
):
    """The probe: `alter table commitments add column extra`, then backup and restore.
    The checksums match (the backup was made so), and the restore died with a traceback
    ("Current transaction is aborted"). It is refused, naming the table and the column."""
    source = _copy(backup_dir, tmp_path)
    parquet = source / "commitments.parquet"
    pd.read_parquet(parquet).assign(extra="x").to_parquet(parquet)
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["sha256"]["commitments"] = db.file_sha256(parquet)
    (source / "manifest.json").write_text(json.dumps(manifest))
    _refused(source, tmp_path / "r.duckdb", "commitments", "extra")
