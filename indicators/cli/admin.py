"""Keeping the house: `history` of load batches, `backup`, `restore`, editor accounts
(`user`), official `boundaries`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import pandas as pd

from indicators import auth, reference
from indicators.cli import common
from indicators.cli.common import _text, print_rows
from indicators.intake import boundaries, loading
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db

HISTORY_COLUMNS = [
    "batch_id",
    "kind",
    "editor",
    "os_user",
    "loaded_at",
    "file_name",
    "row_count",
    "status",
    "note",
    "review",
]


def history_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `history` columns from the load batches: kinds, states and reviews in words, the
    time to the second, nothing missing shown as None or NaN."""
    notes = {"seed": "cli.note_seed", "seed + demo": "cli.note_seed_demo"}
    out = pd.DataFrame(
        {
            "batch_id": frame["batch_id"].astype(int),
            "kind": [t(f"history.kind_{k}", lang) for k in frame["kind"]],
            "editor": [_text(e) for e in frame["editor"]],
            "os_user": [_text(u) for u in frame["os_user"]],
            "loaded_at": [
                pd.Timestamp(at).strftime("%Y-%m-%d %H:%M:%S") for at in frame["loaded_at"]
            ],
            "file_name": [_text(f) for f in frame["file_name"]],
            "row_count": [f"{int(n):,}" if not pd.isna(n) else "" for n in frame["row_count"]],
            "status": [
                t("history.rolled_back_by", lang, batch=int(by))
                if s == "rolled_back"
                else t("history.in_force", lang)
                # (0 is never shown: only a rolled-back batch's number is read)
                for s, by in zip(frame["status"], frame["rolled_back_by"].fillna(0), strict=True)
            ],
            "note": [
                t(notes[n], lang) if k == "builtin" and n in notes else _text(n)
                for k, n in zip(frame["kind"], frame["note"], strict=True)
            ],
            "review": [
                t(f"history.review_{r}", lang, reason=_text(why)) if isinstance(r, str) else ""
                for r, why in zip(frame["review"], frame["review_reason"], strict=True)
            ],
        }
    )
    return out[HISTORY_COLUMNS]


def cmd_history(args: argparse.Namespace) -> int:
    print_rows(history_rows(loading.batches(), args.lang), args.format)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    tables = db.backup(Path(args.dir))
    print(t("cli.backup_done", args.lang, dir=args.dir, n=len(tables)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = Path(args.to) if args.to else db.db_path()
    try:
        restored = db.restore(Path(args.dir), target, unverified=args.unverified)
    except FileExistsError:
        print(t("cli.restore_exists", args.lang, path=str(target)), file=sys.stderr)
        return 2
    except db.RestoreRefused as refused:
        for key, params in refused.problems:
            print(t(f"cli.{key}", args.lang, **params), file=sys.stderr)
        print(t("cli.restore_nothing_written", args.lang, path=str(target)), file=sys.stderr)
        return 2
    if restored.wal_moved_to is not None:
        wal = str(db.wal_path(target))
        print(t("cli.restore_wal_moved", args.lang, wal=wal, moved=str(restored.wal_moved_to)))
    if not restored.verified:
        print(t("cli.restore_unverified", args.lang, dir=args.dir), file=sys.stderr)
    print(t("cli.restore_done", args.lang, path=str(target), n=len(restored.tables)))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    lang = args.lang
    if auth.auth_path() is None:
        print(t("cli.no_auth_file", lang, env=auth.AUTH_ENV), file=sys.stderr)
        return 2
    try:
        return _user(args, lang)
    except auth.AccountsFileBroken as broken:
        print(t("cli.accounts_broken", lang, path=str(broken)), file=sys.stderr)
        return 2
    except auth.SignInLogBroken as broken:
        print(t("auth.log_broken", lang, path=str(broken)), file=sys.stderr)
        return 2


def _user(args: argparse.Namespace, lang: str) -> int:
    if args.action == "unlock":
        auth.unlock(args.name)
        print(t("cli.user_unlocked", lang, name=args.name))
        return 0
    if args.action == "remove":
        ok = auth.remove_user(args.name)
        print(t("cli.user_removed" if ok else "cli.no_user", lang, name=args.name))
        return 0 if ok else 1
    streets = None
    if args.streets:
        streets = []
        for name in args.streets.split(","):
            code = reference.resolve_scope(name)
            if code is None:
                known = i18n.known_scopes(lang)
                print(t("cli.unknown_street", lang, name=name, known=known), file=sys.stderr)
                return 2
            streets.append(code)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
    if len(password) < 8:
        print(t("cli.short_password", lang), file=sys.stderr)
        return 2
    auth.add_user(args.name, password, streets)
    print(t("cli.user_added", lang, name=args.name, streets=i18n.streets_text(streets, lang)))
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    """Load official boundaries: exit 0 stored, 2 rejected with the reasons."""
    from indicators.domain import geo  # geopandas is slow to import: only this command pays

    who = common.editor(args)
    if who is None:
        return 2
    editor, account = who
    if account is not None and account.streets is not None:  # a 街镇 editor: district data
        print(t("intake.district_only", args.lang), file=sys.stderr)
        return 2
    frame, problems = geo.read_boundaries(Path(args.path))
    if problems:
        for problem in problems:
            print(t(f"geo.{problem.key}", args.lang, value=problem.value), file=sys.stderr)
        return 2
    rows = geo.to_rows(frame, args.source)
    batch = boundaries.save(rows, editor, Path(args.path).name)
    print(t("cli.boundaries_done", args.lang, n=len(rows), batch=batch, source=args.source))
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`history`, `backup`, `restore`, `user` and `boundaries`."""
    history = sub.add_parser("history", parents=[common], help="list load batches")
    history.add_argument("--format", choices=["table", "csv"], default="table")
    history.set_defaults(func=cmd_history)

    backup = sub.add_parser("backup", parents=[common], help="Parquet per table + schema")
    backup.add_argument("dir")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", parents=[common], help="a backup into a new file")
    restore.add_argument("dir")
    restore.add_argument("--to", help="the new database file (default: LOWCARBON_DB)")
    restore.add_argument(
        "--unverified",
        action="store_true",
        help="restore a backup whose manifest has no checksums (made by an older version)",
    )
    restore.set_defaults(func=cmd_restore)

    user = sub.add_parser("user", parents=[common], help="editor accounts (LOWCARBON_AUTH)")
    user.add_argument("action", choices=["add", "remove", "unlock"])
    user.add_argument("name")
    user.add_argument("--streets", help="comma-separated subdistricts the editor may change")
    user.add_argument("--password-stdin", action="store_true")
    user.set_defaults(func=cmd_user)

    bounds = sub.add_parser(
        "boundaries",
        parents=[common],
        help="load official boundaries (GeoJSON, zipped Shapefile, GPKG)",
    )
    bounds.add_argument("path")
    bounds.add_argument("--source", required=True, help="where the boundaries come from")
    bounds.add_argument("--editor")
    bounds.set_defaults(func=cmd_boundaries)
