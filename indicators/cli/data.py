"""The database and what it holds: `init`, `migrate`, `show`, `demo remove`."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from indicators import reference
from indicators.builtin import install
from indicators.cli.common import period_code, plain_number, print_rows
from indicators.domain import analysis, queries
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db

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
    "review",
    "target",
    "expected_to_date",
]


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
            # pending | approved (a 街镇's figure the district accepted) | empty (the district's)
            "review": frame["review"].fillna("") if "review" in frame else "",
            "target": [plain_number(v) for v in frame["target_value"]],
            "expected_to_date": [plain_number(v) for v in frame["expected_to_date"]],
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
            known = i18n.known_scopes(lang)
            print(t("cli.unknown_street", lang, name=args.street, known=known), file=sys.stderr)
            return 2
    period = period_code(args.period, lang, also=("ALL",)) if args.period else None
    if args.period and period is None:
        return 2
    if not db.db_path().exists():
        print(t("error.no_database", lang, path=str(db.db_path())), file=sys.stderr)
        return 2
    frame = queries.indicator_frame(
        indicator_id,
        scope_code,
        args.year,
        None if period in (None, "ALL") else period,
        with_pending=args.include_pending,
    )
    # a sum whose parts are all unknown is a row with no value, never a zero or no row
    frame = frame[frame["value"].notna() | analysis.parts_missing(frame)]
    if period is None:  # as the pages do: each year's whole year, else its latest period
        frame = analysis.headline_period_rows(frame)
    if frame.empty:
        print(t("cli.no_rows", lang), file=sys.stderr)
        return 1
    rows = show_rows(frame, lang)
    print_rows(rows, args.format)
    for row in frame[analysis.parts_missing(frame)].to_dict("records"):  # beside the table
        print(i18n.missing_parts_text(row, lang), file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    lang = args.lang
    path = db.db_path()
    if path.exists():
        applied = db.migrate()
        print(t("cli.init_exists", lang, path=str(path), n=len(applied)))
        return 0
    try:
        counts = install.builtin_data(demo=not args.empty)
    except BaseException:
        db.remove_files(path)  # the transaction rolled back: leave no empty file behind
        raise
    print(
        t(
            "cli.init_done",
            lang,
            path=str(path),
            rows=i18n.t("common.list_sep", lang).join(
                t("cli.init_rows", lang, table=t(f"cli.table_{k}", lang), n=f"{v:,}")
                for k, v in counts.items()
            ),
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
    install.remove_demo()
    print(t("cli.demo_removed", args.lang))
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`init`, `migrate` and `show` (`demo` is added last: add_demo_parser)."""
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
    show.add_argument(
        "--include-pending",
        action="store_true",
        help="with the submissions awaiting review (review column: pending)",
    )
    show.set_defaults(func=cmd_show)


def add_demo_parser(sub, common: argparse.ArgumentParser) -> None:
    """`demo remove`: the illustrative data out of the database."""
    demo = sub.add_parser("demo", parents=[common], help="manage the illustrative data")
    demo.add_argument("action", choices=["remove"])
    demo.set_defaults(func=cmd_demo)
