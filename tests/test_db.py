"""The database module: migrations, transactions, and two processes sharing one file."""

import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from indicators.domain import queries
from indicators.store import db
from tests.conftest import ROOT


def test_migrations_build_an_empty_file_and_rerun_as_a_no_op(fresh_db):
    assert not fresh_db.exists()
    applied = db.migrate()
    assert applied == [v for v, _ in db._migrations()] and applied[0] == 1
    assert db.migrate() == []
    tables = set(db.read("queries/scopes")["scope_code"])
    assert {"hongqiao", "beixinjing", "chengjiaqiao", "xinjing", "others", "district"} <= tables
    assert queries.indicator_frame().empty


def test_migrate_drops_a_view_whose_file_is_gone(fresh_db):
    db.migrate()
    db.write(lambda con: con.execute("create view derived_old as select 1 as x"))
    db.migrate()
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        views = {
            v
            for (v,) in con.execute(
                "select view_name from duckdb_views() where not internal"
            ).fetchall()
        }
    finally:
        con.close()
    assert "derived_old" not in views and "indicator_values" in views


def test_a_failed_write_changes_nothing(fresh_db):
    db.migrate()
    version = db.read("queries/data_version")["value"].iloc[0]

    def half_then_fail(con):
        con.execute(
            "insert into budget_lines (year, item, amount_10k_yuan, source) "
            "values (2024, 'x', 1, 's')"
        )
        raise RuntimeError("stop half way")

    with pytest.raises(RuntimeError):
        db.write(half_then_fail)
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert con.execute("select count(*) from budget_lines").fetchone()[0] == 0
    finally:
        con.close()
    assert db.read("queries/data_version")["value"].iloc[0] == version


def test_every_write_changes_the_data_version(fresh_db):
    db.migrate()
    before = db.data_version()
    db.write(
        lambda con: con.execute(
            "insert into budget_lines (year, item, amount_10k_yuan, "
            "source) values (2024, 'x', 1, 's')"
        )
    )
    assert db.data_version() != before
    assert db.data_version() == db.data_version()  # reads change nothing


WRITER = textwrap.dedent("""
    import sys, time
    from indicators.store import db
    for i in range(int(sys.argv[1])):
        db.write(lambda con: con.execute(
            "insert or replace into observations (scope_code, indicator_id, breakdown, year, "
            "period, value, unit, data_status, source) values ('hongqiao', 'gdp', '', 2030, "
            "'Y', $v, '10k_yuan', 'final', 'writer')", {"v": i}))
        time.sleep(0.1)
    print("writer done")
""")


def test_a_second_process_writes_while_the_app_queries(builtin_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "shared.duckdb"
    shutil.copy(builtin_db, path)
    monkeypatch.setenv("LOWCARBON_DB", str(path))
    n_writes = 30
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(n_writes)],
        cwd=ROOT,
        env={**__import__("os").environ, "LOWCARBON_DB": str(path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reads, app_runs = 0, 0
    deadline = time.monotonic() + 90
    while writer.poll() is None and time.monotonic() < deadline:
        frame = queries.indicator_frame("funded_projects", "district", 2024, "Y")
        assert frame["value"].iloc[0] == 63
        reads += 1
        if reads % 3 == 0 and app_runs < 2:  # the app queries through its pages too
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
            assert not at.exception, [e.value for e in at.exception]
            app_runs += 1
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert "writer done" in out
    assert reads >= 2 and app_runs >= 1  # both ran while the writer was writing
    last = queries.indicator_frame("gdp", "hongqiao", 2030, "Y")
    assert last["value"].iloc[0] == n_writes - 1


def test_a_submission_pending_before_migration_12_leaves_the_public_figures(fresh_db):
    """Before migration 12 a 街镇's pending figure sat in observations over the figure it
    replaced: the migration moves it to review and puts the replaced figure back."""
    con = duckdb.connect(str(fresh_db))
    con.execute("begin transaction")
    db.migrate_in(con, upto=11)
    key = "'hongqiao', 'gdp', '', 2025, 'Y'"
    con.execute(
        "insert into load_batches (batch_id, kind, editor) values (1, 'builtin', 'x');"
        "insert into load_batches (batch_id, kind, editor, review) "
        "values (2, 'observations', 'hq', 'pending');"
        f"insert into observations values ({key}, 100, '10k_yuan', 'final', 's', null, null,"
        " false, 1);"
        "create temp table old_row as select * from observations;"
        "update observations set value = 5, data_status = 'preliminary', batch_id = 2;"
        "insert into change_log select 2, 1, 'observations', 'replace',"
        ' \'{"scope_code": "hongqiao"}\', (select to_json(o) from old_row o),'
        " (select to_json(o) from observations o);"
    )
    con.execute("commit")
    con.close()
    assert 12 in db.migrate()
    public = "select value, batch_id from observations"
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert con.execute(public).fetchall() == [(100.0, 1)]
        assert con.execute("select value, batch_id from pending_observations").fetchall() == [
            (5.0, 2)
        ]
        log = "select table_name, old_row_json from change_log where batch_id = 2"
        assert con.execute(log).fetchall() == [("pending_observations", None)]
    finally:
        con.close()
    assert queries.indicator_frame("gdp", "hongqiao", 2025, "Y")["value"].tolist() == [100.0]
    pending = queries.indicator_frame("gdp", "hongqiao", 2025, "Y", with_pending=True)
    assert pending[["value", "review"]].values.tolist() == [[5.0, "pending"]]
