"""The one module that opens the DuckDB file.

DuckDB lets one process hold a file open for writing and then refuses every other
process, read-only ones included. So no connection outlives a call: `read` opens the file
read-only and `write` runs one explicit transaction, each retrying briefly while another
process holds the lock. Queries live in named `.sql` files under `sql/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from indicators import auth, reference

DB_ENV = "LOWCARBON_DB"
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "lowcarbon.duckdb"
SQL_DIR = Path(__file__).resolve().parent / "sql"

# Another process holds the file: wait this long in all before saying the database is
# busy (LOWCARBON_LOCK_WAIT_S sets it, for tests and for sites with long loads).
LOCK_WAIT_ENV = "LOWCARBON_LOCK_WAIT_S"
LOCK_WAIT_S = 30.0
UNKEYED_TABLES = {"energy_readings", "energy_readings_replaced"}
# Recomputed by every write from the views (commands/refresh_mart): never read back.
DERIVED_TABLES = {"indicator_mart", "indicator_mart_pending"}
T = TypeVar("T")

# DuckDB refuses a second connection to one file with a different configuration in the
# same process (read-only beside read-write), so connections in this process take turns.
_process_lock = threading.RLock()


class DatabaseMissing(RuntimeError):
    """The database file does not exist yet (run `python -m indicators init`)."""


class DatabaseBusy(RuntimeError):
    """Another process kept the database for longer than the wait: try again later."""


class DatabaseWalMismatch(RuntimeError):
    """Beside the database file lies a write-ahead log (`<db>.wal`) of another file, left
    by a writer that died before the file was replaced: DuckDB will not open the pair."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path
        self.wal = wal_path(path)


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@cache
def sql(name: str) -> str:
    """The text of a named query, e.g. ``sql("queries/indicator_values")``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB; values never go through here, only names."""
    return '"' + name.replace('"', '""') + '"'


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return path.with_name(path.name + ".wal")


def _is_wal_mismatch(exc: Exception) -> bool:
    text = str(exc).lower()
    return "wal" in text and ("does not match" in text or "replaying" in text)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another" in text


@contextmanager
def _connect(read_only: bool, path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    path = path or db_path()
    if read_only and not path.exists():
        raise DatabaseMissing(str(path))
    deadline = time.monotonic() + float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT_S))
    delay = 0.01
    with _process_lock:
        while True:
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if _is_wal_mismatch(exc):
                    raise DatabaseWalMismatch(path) from exc
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() > deadline:
                    raise DatabaseBusy(str(path)) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def scratch() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory database for working through a large upload before the data file is
    touched, so checking millions of readings holds no lock on it."""
    con = duckdb.connect(":memory:")
    try:
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, text: str, params: dict | None = None) -> pd.DataFrame:
    """A large result (millions of rows) as a DataFrame, through Arrow: DuckDB's own `.df()`
    makes a Python string of every text cell on the way, about 5x slower. For text,
    numbers and timestamps (Arrow reads dates and decimals differently)."""
    return con.sql(text, params=params).to_arrow_table().to_pandas()


def read(name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run the named query read-only with bound parameters and return its rows."""
    return read_many([(name, params)])[0]


def read_many(queries: list[tuple[str, dict[str, Any] | None]]) -> list[pd.DataFrame]:
    """Several named queries on one short read-only connection (opening one costs more
    than a small query) and one snapshot."""
    with _connect(read_only=True) as con:
        return [con.execute(sql(name), params or {}).df() for name, params in queries]


def write(
    work: Callable[[duckdb.DuckDBPyConnection], T],
    path: Path | None = None,
    *,
    mart: bool = True,
) -> T:
    """Run `work` in one explicit transaction; all of it commits or none of it does. The
    mart's rows the write touched are recomputed in the same transaction (`mart=False` for
    a write that cannot change it, such as a saved recipe)."""
    with _connect(read_only=False, path=path) as con:
        con.execute("begin transaction")
        try:
            before = _last_batch(con) if mart else None
            result = work(con)
            if mart:
                refresh_mart(con, before)
                refresh_pending_mart(con)
            run(con, "commands/bump_data_version")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        return result


def new_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    editor: str,
    *,
    file_name: str | None = None,
    file_hash: str | None = None,
    row_count: int = 0,
    note: str | None = None,
) -> int:
    """Record a new batch inside a `write` transaction, with the operating-system user
    beside the editor it is made as; returns its number."""
    (batch_id,) = con.execute(
        sql("commands/new_batch"),
        {
            "kind": kind,
            "editor": editor,
            "os_user": auth.os_user(),
            "file_name": file_name,
            "file_hash": file_hash,
            "row_count": row_count,
            "note": note,
        },
    ).fetchone()
    return int(batch_id)


def _last_batch(con: duckdb.DuckDBPyConnection) -> int | None:
    """The latest batch before a write (None in a database not yet made: a first migration)."""
    ((made,),) = con.execute(sql("queries/has_batches")).fetchall()
    return con.execute(sql("queries/last_batch")).fetchall()[0][0] if made else None


def refresh_mart(con: duckdb.DuckDBPyConnection, before: int | None) -> None:
    """Recompute the mart's rows of what the batches after `before` changed (mart.py), or
    all of it when a write changed what those rules do not know (or `before` is None: a
    database being made)."""
    from indicators import reference
    from indicators.store import mart

    touched = None
    if before is not None:
        inputs = con.execute(sql("commands/mart_inputs"), {"before": before}).df()
        touched = mart.affected(inputs.astype({"year": "Int64"}), reference.catalogue())
    if touched is None:
        run(con, "commands/refresh_mart")
        return
    if touched.empty:
        return
    _run_on_touched(con, touched, "commands/clear_mart_part", "commands/refresh_mart_part")


def _run_on_touched(con: duckdb.DuckDBPyConnection, touched: pd.DataFrame, *names: str) -> None:
    """Run the named statements over the mart's touched rows (mart_touched: indicator_id,
    year, a null year every year), given as $ids and $years too so filters reach the views."""
    con.register("mart_touched", touched)
    try:
        ids = sorted(touched["indicator_id"].unique())
        years = None if touched["year"].isna().any() else sorted({int(y) for y in touched["year"]})
        for name in names:
            run(con, name, {"ids": ids, "years": years})
    finally:
        con.unregister("mart_touched")


def refresh_pending_mart(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the picture with the pending submissions (indicator_mart_pending): the
    mart's rows of the indicators and years they touch, from the views in the schema
    `preview`, each marked `pending` where it differs from the public mart or comes from a
    submission awaiting review. Empty when nothing awaits review."""
    from indicators import reference
    from indicators.store import mart

    ((ready,),) = con.execute(sql("queries/has_preview")).fetchall()
    if not ready:  # a restore's first step, at a schema from before submissions waited
        return
    # indicator ids only (never "*"): mart.affected gives the rows, not None
    inputs = con.execute(sql("commands/pending_inputs")).df()
    touched = mart.affected(inputs.astype({"year": "Int64"}), reference.catalogue())
    if touched.empty:
        run(con, "commands/clear_pending_mart")
        return
    _run_on_touched(con, touched, "commands/refresh_pending_mart")


def data_version() -> tuple[str | int, ...]:
    """A cheap key that changes with every committed write, from any process.

    A commit rewrites the file or its write-ahead log, so their sizes and modification
    times change; reading it needs no connection, so cache checks cost no lock.
    """
    sig: list[str | int] = [str(db_path())]
    for p in (db_path(), wal_path(db_path())):
        try:
            st = p.stat()
            sig += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            sig += [0, 0]
    return tuple(sig)


def _migrations() -> list[tuple[int, Path]]:
    found = []
    for p in sorted((SQL_DIR / "migrations").glob("*.sql")):
        found.append((int(p.name.split("_", 1)[0]), p))
    return found


def migrate() -> list[int]:
    """Create or upgrade the schema, refresh reference data and views; returns versions applied."""
    db_path().parent.mkdir(parents=True, exist_ok=True)
    return write(migrate_in)


def migrate_in(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """The migration as part of a caller's `write` transaction. With `upto`, only the
    migrations to that version, without reference data or views (a restore's first step)."""
    run(con, "migrate/create_schema_migrations")
    done = {v for (v,) in con.execute(sql("migrate/applied_versions")).fetchall()}
    applied = []
    for version, path in _migrations():
        if version in done or (upto is not None and version > upto):
            continue
        con.execute(path.read_text(encoding="utf-8"))
        run(con, "migrate/record_version", {"version": version})
        applied.append(version)
    if upto is not None:
        return applied
    _sync_reference(con)
    views = set()
    for path in sorted((SQL_DIR / "views").glob("*.sql")):
        view = path.stem.split("_", 1)[1]
        body = path.read_text(encoding="utf-8")
        con.execute(f"create or replace view {quote_ident(view)} as {body}")
        views.add(view)
    # A view whose file was renamed or removed would linger and mislead: drop it.
    for view, _ in con.execute(sql("migrate/user_views")).fetchall():
        if view not in views:
            con.execute(f"drop view {quote_ident(view)}")
    _preview_views(con)
    if applied and done:  # an upgraded schema: its views may compute other columns or
        run(con, "commands/refresh_mart")  # figures, so the mart is rebuilt from them
    return applied  # the write this runs in recomputes the mart as it commits


def _preview_views(con: duckdb.DuckDBPyConnection) -> None:
    """The same views again in the schema `preview`, over observations with the pending
    submissions in place (sql/preview/observations.sql): DuckDB binds a view's names in its
    own schema first, so one SQL text serves both pictures."""
    con.execute("drop schema if exists preview cascade")
    con.execute("create schema preview")
    overlay = (SQL_DIR / "preview" / "observations.sql").read_text(encoding="utf-8")
    con.execute(f"create view preview.observations as {overlay}")
    for path in sorted((SQL_DIR / "views").glob("*.sql")):
        view = quote_ident(path.stem.split("_", 1)[1])
        con.execute(f"create view preview.{view} as {path.read_text(encoding='utf-8')}")


def _sync_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Mirror the scope and indicator files into their tables (the files are the truth)."""
    run(con, "migrate/clear_reference")
    parents = reference.parents()
    for order, s in enumerate(reference.scopes()):
        run(
            con,
            "migrate/insert_scope",
            {
                "code": s["code"],
                "zh": s["name_zh"],
                "en": s["name_en"],
                "kind": s["kind"],
                "focus": bool(s.get("focus")),
                "order": order,
                "parent": parents.get(s["code"]),
            },
        )
    for code, kind in reference.energy_types().items():
        run(
            con,
            "migrate/insert_energy_factor",
            {
                "energy_type": code,
                "unit": kind["unit"],
                "kgce_per_unit": kind["kgce_per_unit"],
                "source": kind["source"],
            },
        )
    for ind in reference.catalogue():
        run(
            con,
            "migrate/insert_indicator",
            {k: ind[k] for k in ("id", "unit", "direction", "formula", "additive")},
        )


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert a DataFrame's rows into `table` by column name, replacing rows with the same
    key (tables without a key, like the readings, just take the rows)."""
    if frame.empty:
        return 0
    verb = "insert" if table in UNKEYED_TABLES else "insert or replace"
    con.register("_incoming", frame)
    try:
        con.execute(f"{verb} into {quote_ident(table)} by name select * from _incoming")
    finally:
        con.unregister("_incoming")
    return len(frame)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> None:
    """Run a named statement inside a `write` transaction, binding the parameters it names
    (one set of parameters can serve several statements)."""
    text = sql(name)
    named = set(re.findall(r"\$(\w+)", text))
    con.execute(text, {k: v for k, v in (params or {}).items() if k in named})


def _key_join(key_cols: list[str], left: str, right: str) -> str:
    return " and ".join(
        f"{left}.{quote_ident(c)} is not distinct from {right}.{quote_ident(c)}" for c in key_cols
    )


def delete_by_key(
    con: duckdb.DuckDBPyConnection, table: str, keys: pd.DataFrame, key_cols: list[str]
) -> None:
    """Delete the rows of `table` whose key matches a row of `keys`."""
    if keys.empty:
        return
    con.register("_keys", keys[key_cols].drop_duplicates())
    try:
        con.execute(
            f"delete from {quote_ident(table)} t "
            f"where exists (select 1 from _keys k where {_key_join(key_cols, 't', 'k')})"
        )
    finally:
        con.unregister("_keys")


NUMERIC = ("DOUBLE", "FLOAT", "REAL")
# Columns that say where a row came from, not what it says: never compared.
PROVENANCE = ("batch_id", "is_demo", "excel_row")


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() where table_name = $table",
        {"table": table},
    ).fetchall()
    return dict(rows)


def compare_by_key(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    key_cols: list[str],
    figures: list[str],
    value_col: str | None = None,
) -> pd.DataFrame:
    """Each row of `frame` against the row of `table` with the same key, in frame order:
    state new | demo (replacing an illustrative row) | unchanged | updated (the same
    `figures`, other details new) | conflict; the columns that differ; the loaded
    `value_col` as old_value, and the loaded row's 街镇 (or department) as old_scope where
    the table has one. Numbers are the same within a relative 1e-9."""
    types = _column_types(con, table)
    cols = [c for c in frame.columns if c in types and c not in PROVENANCE]

    def incoming(c: str) -> str:
        return f"cast(i.{quote_ident(c)} as {types[c]})"

    def same(c: str) -> str:
        a, b = incoming(c), f"o.{quote_ident(c)}"
        if types[c] in NUMERIC:
            close = f"abs({a} - {b}) <= greatest(1e-9 * greatest(abs({a}), abs({b})), 1e-9)"
            return f"coalesce({a} is not distinct from {b} or {close}, false)"
        return f"{a} is not distinct from {b}"

    every = " and ".join(same(c) for c in cols) or "true"
    figure = " and ".join(same(c) for c in figures if c in cols) or "true"
    differs = ", ".join(f"case when not ({same(c)}) then '{c}' end" for c in cols)
    join = " and ".join(f"{incoming(c)} is not distinct from o.{quote_ident(c)}" for c in key_cols)
    old = f"o.{quote_ident(value_col)}" if value_col else "null"
    old_scope = "o.scope_code" if "scope_code" in types else "null"
    # a row a department owns (a commitment) is the district's, whatever its 街镇 column says
    if "department" in types and "scope_code" in types:
        old_scope = "coalesce(o.scope_code, o.department)"
    con.register("_incoming", frame.assign(_row=range(len(frame))))
    try:
        return con.execute(
            f"select i._row, case when o._present is null then 'new' when o.is_demo then 'demo' "
            f"when {every} then 'unchanged' when {figure} then 'updated' else 'conflict' end "
            f"as state, concat_ws(', ', {differs}) as changed, {old} as old_value, "
            f"{old_scope} as old_scope "
            f"from _incoming i left join (select *, true as _present from {quote_ident(table)}) o "
            f"on {join} order by i._row"
        ).df()
    finally:
        con.unregister("_incoming")


def replace_logged(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: pd.DataFrame,
    key_cols: list[str],
    batch_id: int,
    first_seq: int,
) -> int:
    """Put `rows` in `table` in place of the rows with their keys, and log each change in
    change_log with its key and the row before and after as JSON; returns the next seq."""
    if rows.empty:
        return first_seq
    key_join = " and ".join(
        f"{{a}}.{quote_ident(c)} = {{b}}.{quote_ident(c)}"
        for c in key_cols  # keys are not null
    )
    key_json = ", ".join(f"'{c}', t.{quote_ident(c)}" for c in key_cols)
    t = quote_ident(table)
    con.register("_rows", rows.assign(_seq=range(first_seq, first_seq + len(rows))))
    try:
        con.execute(
            f"create or replace temp table _old as select t.* from {t} t "
            f"where exists (select 1 from _rows r where {key_join.format(a='t', b='r')})"
        )
        delete_by_key(con, table, rows, key_cols)
        insert_frame(con, table, rows)
        con.execute(
            f"insert into change_log (batch_id, seq, table_name, action, key_json, "
            f"old_row_json, new_row_json) "
            f"select $batch_id, r._seq, $table, "
            f"case when o._old is null then 'insert' else 'replace' end, "
            f"json_object({key_json}), to_json(o.row), to_json(t) "
            f"from _rows r join {t} t on {key_join.format(a='t', b='r')} "
            f"left join (select o as row, true as _old, o.* from _old o) o "
            f"on {key_join.format(a='o', b='r')}",
            {"batch_id": batch_id, "table": table},
        )
        con.execute("drop table _old")
    finally:
        con.unregister("_rows")
    return first_seq + len(rows)


def delete_logged(
    con: duckdb.DuckDBPyConnection,
    table: str,
    keys: pd.DataFrame,
    key_cols: list[str],
    batch_id: int,
    first_seq: int,
) -> int:
    """Delete the rows of `table` with these keys, logging each with the row it was, as
    replace_logged does; returns the next seq."""
    if keys.empty:
        return first_seq
    key_json = ", ".join(f"'{c}', t.{quote_ident(c)}" for c in key_cols)
    con.register("_keys", keys[key_cols].drop_duplicates())
    try:
        ((n,),) = con.execute(  # an insert answers with the rows it wrote
            f"insert into change_log (batch_id, seq, table_name, action, key_json, "
            f"old_row_json, new_row_json) "
            f"select $batch_id, $first + row_number() over () - 1, $table, 'delete', "
            f"json_object({key_json}), to_json(t), null "
            f"from {quote_ident(table)} t "
            f"where exists (select 1 from _keys k where {_key_join(key_cols, 't', 'k')})",
            {"batch_id": batch_id, "table": table, "first": first_seq},
        ).fetchall()
    finally:
        con.unregister("_keys")
    delete_by_key(con, table, keys, key_cols)
    return first_seq + int(n)


def read_in(work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `work` on a short read-only connection (a dry run sees what a load would do)."""
    with _connect(read_only=True) as con:
        return work(con)


MANIFEST = "manifest.json"


class RestoreRefused(Exception):
    """A backup that cannot be restored whole; `problems` are (message key, params)."""

    def __init__(self, problems: list[tuple[str, dict[str, Any]]]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Restored:
    """What a restore wrote, and what it did beside it."""

    tables: list[str]
    verified: bool  # every table's file matched the checksum its manifest records
    wal_moved_to: Path | None  # a write-ahead log of another file, found beside the target


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def backup(target: Path) -> list[str]:
    """A consistent copy: every table as Parquet plus the schema, from one read snapshot,
    and last a manifest (schema version, every table, its row count and the SHA-256 of its
    file) that `restore` checks, so a backup cut short or changed afterwards is never taken
    for the one that was made."""
    target.mkdir(parents=True, exist_ok=True)
    (target / MANIFEST).unlink(missing_ok=True)
    with _connect(read_only=True) as con:
        tables = con.execute(sql("migrate/user_tables")).fetchall()
        counts = {}
        for name, _ in tables:
            relation = con.table(name)
            counts[name] = relation.count("*").fetchall()[0][0]
            relation.write_parquet(str(target / f"{name}.parquet"))
        views = [v for _, v in con.execute(sql("migrate/user_views")).fetchall()]
        version = con.execute(sql("migrate/schema_version")).fetchone()[0]
    schema = [sql_text + ";" for _, sql_text in tables] + [v + ";" for v in views]
    (target / "schema.sql").write_text("\n\n".join(schema) + "\n", encoding="utf-8")
    sha256 = {name: file_sha256(target / f"{name}.parquet") for name in counts}
    manifest = {"schema_version": version, "tables": counts, "sha256": sha256}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return [name for name, _ in tables]


def _manifest(source: Path, unverified: bool = False) -> dict[str, Any]:
    """The backup's manifest, after checking that every table it lists is there whole and,
    by its checksum, unchanged. A manifest without checksums (a backup made before they
    were recorded) is refused unless the operator says `unverified`."""
    if not source.is_dir():
        raise RestoreRefused([("restore.no_folder", {"path": str(source)})])
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        version, tables = int(manifest["schema_version"]), dict(manifest["tables"])
        sha256 = manifest.get("sha256")
        sha256 = None if sha256 is None else dict(sha256)
    except (OSError, ValueError, KeyError, TypeError):
        raise RestoreRefused([("restore.no_manifest", {"path": str(source)})]) from None
    latest = max(v for v, _ in _migrations())
    problems: list[tuple[str, dict[str, Any]]] = []
    if version > latest:
        problems.append(("restore.newer_schema", {"version": version, "latest": latest}))
    if sha256 is None and not unverified:
        problems.append(("restore.no_checksums", {"path": str(source)}))
    with scratch() as con:
        for name, expected in tables.items():
            parquet = source / f"{name}.parquet"
            try:
                found = con.read_parquet(str(parquet)).count("*").fetchall()[0][0]
            except duckdb.Error:
                problems.append(("restore.missing_table", {"table": name}))
                continue
            if found != expected:
                problems.append(
                    ("restore.row_count", {"table": name, "found": found, "expected": expected})
                )
            elif sha256 is not None and sha256.get(name) != file_sha256(parquet):
                problems.append(("restore.checksum", {"table": name, "file": str(parquet)}))
    if problems:
        raise RestoreRefused(problems)
    return {"schema_version": version, "tables": tables, "verified": sha256 is not None}


def restore(source: Path, target: Path, *, unverified: bool = False) -> Restored:
    """Read a backup into a new database file (never over an existing one). The backup is
    checked against its manifest first; the database is built in a temporary file at the
    backup's schema version, migrated forward, and only then named `target`, so a restore
    cut short (kill -9) leaves no file in the way of the next try. A write-ahead log left
    beside `target` by the file it replaces (a writer killed mid-write) is moved aside, as
    DuckDB would refuse to open the new file with it."""
    if target.exists():
        raise FileExistsError(str(target))
    manifest = _manifest(source, unverified)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_restores(target)
    prefix = f".{target.name}.restore-{os.getpid()}-"
    work_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    building = work_dir / target.name

    def work(con: duckdb.DuckDBPyConnection) -> list[str]:
        migrate_in(con, upto=manifest["schema_version"])
        have = {name for name, _ in con.execute(sql("migrate/user_tables")).fetchall()}
        missing = sorted(have - set(manifest["tables"]))
        if missing:
            raise RestoreRefused([("restore.missing_table", {"table": m}) for m in missing])
        for name in sorted(manifest["tables"]):
            if name in DERIVED_TABLES:  # made anew from the rest as this commits
                continue
            if name not in have:
                raise RestoreRefused([("restore.unknown_table", {"table": name})])
            frame = con.read_parquet(str(source / f"{name}.parquet")).df()
            if extra := sorted(set(frame.columns) - set(con.table(name).columns)):  # altered
                raise RestoreRefused(
                    [("restore.unknown_columns", {"table": name, "columns": ", ".join(extra)})]
                )
            con.execute(f"delete from {quote_ident(name)}")
            insert_frame(con, name, frame)
        migrate_in(con)  # the migrations made after the backup
        return sorted(manifest["tables"])

    try:
        restored = write(work, path=building)
        with _connect(read_only=False, path=building) as con:
            con.execute("checkpoint")  # everything in the one file before it is named
        moved = _move_wal_aside(target)
        try:
            _name(building, target)
        except BaseException:
            if moved is not None and not wal_path(target).exists():
                os.replace(moved, wal_path(target))  # it may be the new file's after all
            raise
        return Restored(restored, manifest["verified"], moved)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _name(building: Path, target: Path) -> None:
    """Give the finished file its name, never over a file made meanwhile."""
    try:
        os.link(building, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(building, target)


def _move_wal_aside(target: Path) -> Path | None:
    """Rename a write-ahead log beside `target` (of the file that was there before) to
    `<db>.wal.before-restore-<time>`, kept for whoever wants to look into the crash."""
    wal = wal_path(target)
    if not wal.exists():
        return None
    stamp = time.strftime("%Y%m%dT%H%M%S")
    moved = wal.with_name(f"{wal.name}.before-restore-{stamp}")
    n = 1
    while moved.exists():
        n += 1
        moved = wal.with_name(f"{wal.name}.before-restore-{stamp}-{n}")
    os.replace(wal, moved)
    return moved


def _remove_abandoned_restores(target: Path) -> None:
    """Temporary folders of restores whose process is gone (killed mid-restore)."""
    for folder in target.parent.glob(f".{target.name}.restore-*"):
        try:
            pid = int(folder.name.rsplit(".restore-", 1)[1].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


def remove_files(path: Path) -> None:
    """A database file and its write-ahead log."""
    for leftover in (path, wal_path(path)):
        leftover.unlink(missing_ok=True)
