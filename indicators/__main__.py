"""Command line: `python -m indicators init|migrate|show|demo remove`.

Exit codes for `show`: 0 with rows, 1 with no rows, 2 for a bad argument.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from indicators import analysis, db, i18n, queries, reference, store
from indicators.i18n import t

SHOW_COLUMNS = [
    "street_code",
    "street",
    "year",
    "period",
    "indicator",
    "breakdown",
    "value",
    "unit",
    "data_status",
    "rag_status",
    "source",
    "as_of",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with the usage, as argparse does
        self.print_usage(sys.stderr)
        print(message, file=sys.stderr)
        sys.exit(2)


def plain_number(value: float | None) -> str:
    """1.83 -> '1.83', 63.0 -> '63', 0.0759735 -> '0.075974'; missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def show_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `show` columns from an indicator frame."""
    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "year": frame["year"].astype(int),
            "period": frame["period"],
            "indicator": frame["indicator_id"],
            "breakdown": [
                i18n.breakdown_name(i, b, lang) if b else ""
                for i, b in zip(frame["indicator_id"], frame["breakdown"], strict=True)
            ],
            "value": [plain_number(v) for v in frame["value"]],
            "unit": frame["unit"],
            "data_status": frame["data_status"],
            "rag_status": frame["rag_status"],
            "source": frame["source"].fillna(""),
            "as_of": [
                ("" if pd.isna(d) else pd.Timestamp(d).date().isoformat()) for d in frame["as_of"]
            ],
        }
    )
    return out[SHOW_COLUMNS]


def cmd_show(args: argparse.Namespace) -> int:
    lang = args.lang
    indicator_id = reference.resolve_indicator(args.indicator)
    if indicator_id is None:
        known = ", ".join(reference.indicator_ids())
        print(t("cli.unknown_indicator", lang, name=args.indicator, known=known), file=sys.stderr)
        return 2
    scope_code = None
    if args.street:
        scope_code = reference.resolve_scope(args.street)
        if scope_code is None:
            known = ", ".join(s["name_zh"] for s in reference.scopes())
            print(t("cli.unknown_street", lang, name=args.street, known=known), file=sys.stderr)
            return 2
    period = args.period.upper() if args.period else None
    if period is not None and period != "ALL" and period not in reference.PERIODS:
        print(t("cli.bad_period", lang, period=args.period), file=sys.stderr)
        return 2
    if not db.db_path().exists():
        print(t("error.no_database", lang, path=str(db.db_path())), file=sys.stderr)
        return 2
    frame = queries.indicator_frame(
        indicator_id, scope_code, args.year, None if period in (None, "ALL") else period
    )
    frame = frame[frame["value"].notna()]
    if period is None:  # as the pages do: each year's whole year, else its latest period
        frame = analysis.headline_period_rows(frame)
    if frame.empty:
        print(t("cli.no_rows", lang), file=sys.stderr)
        return 1
    rows = show_rows(frame, lang)
    if args.format == "csv":
        rows.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(rows.to_string(index=False))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    lang = args.lang
    path = db.db_path()
    if path.exists():
        applied = db.migrate()
        print(t("cli.init_exists", lang, path=str(path), n=len(applied)))
        return 0
    try:
        counts = store.install_builtin(demo=not args.empty)
    except BaseException:
        # The transaction rolled back; leave no empty file behind to look like a database.
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    print(
        t(
            "cli.init_done",
            lang,
            path=str(path),
            rows=", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    )
    if not args.empty:
        print(t("cli.init_demo_hint", lang))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    applied = db.migrate()
    print(t("cli.migrated", args.lang, versions=", ".join(map(str, applied)) or "-"))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not db.db_path().exists():
        print(t("error.no_database", args.lang, path=str(db.db_path())), file=sys.stderr)
        return 2
    store.remove_demo()
    print(t("cli.demo_removed", args.lang))
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=i18n.LANGS,
        default=i18n.DEFAULT_LANG,
        help="language of messages and names (zh by default)",
    )
    parser = _Parser(
        prog="python -m indicators", description="Low-carbon indicators by subdistrict"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser(
        "init", parents=[common], help="create the database (built-in data by default)"
    )
    mode = init.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true", help="seed figures + illustrative data")
    mode.add_argument("--empty", action="store_true", help="seed figures only")
    init.set_defaults(func=cmd_init)

    sub.add_parser("migrate", parents=[common], help="apply schema migrations").set_defaults(
        func=cmd_migrate
    )

    show = sub.add_parser(
        "show", parents=[common], help="print an indicator's values as the pages show them"
    )
    show.add_argument("indicator")
    show.add_argument("--street")
    show.add_argument("--year", type=int)
    show.add_argument(
        "--period",
        help="Y, Q1-Q4, M01-M12 or all (default: each year's whole year, else its latest period)",
    )
    show.add_argument("--format", choices=["table", "csv"], default="table")
    show.set_defaults(func=cmd_show)

    demo = sub.add_parser("demo", parents=[common], help="manage the illustrative data")
    demo.add_argument("action", choices=["remove"])
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except db.DatabaseMissing as exc:
        print(t("error.no_database", args.lang, path=str(exc)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
