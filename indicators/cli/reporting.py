"""The reporting cycle: `review` a 街镇's submission, `reporting status`, `targets check`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

import pandas as pd

from indicators.cli import common
from indicators.cli.common import _Parser, period_code, print_rows
from indicators.domain import decomposition, fiveyear, queries
from indicators.intake import review
from indicators.reference import i18n
from indicators.reference.i18n import t

REPORTING_COLUMNS = [
    "street_code",
    "street",
    "indicator",
    "period",
    "due_on",
    "state",
    "submitted_by",
    "submitted_at",
    "days_overdue",
    "days_late",
]


def cmd_review(args: argparse.Namespace) -> int:
    """Approve a 街镇's submission or return it with a reason: a district editor's word."""
    who = common.editor(args)
    if who is None:
        return 2
    editor, account = who
    allowed = account.allowed_scopes() if account else None
    try:
        if args.approve:
            new = review.approve(args.batch, editor, allowed)
            print(t("review.approved", args.lang, batch=args.batch, new=new))
        else:
            new = review.send_back(args.batch, editor, args.send_back, allowed)
            print(t("review.returned", args.lang, batch=args.batch, new=new))
    except review.ReviewRefused as refused:
        print(t(refused.key, args.lang, **refused.params), file=sys.stderr)
        return 2
    return 0


def reporting_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `reporting status` columns from reporting.item_states' frame; an illustrative
    figure's submitter reads as the illustrative data."""
    demo = t("source.demo", lang)
    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "indicator": frame["indicator_id"],
            "period": frame["period"],
            "due_on": [d.isoformat() for d in frame["due_on"]],
            "state": frame["state"],
            "submitted_by": [
                demo if is_demo else by
                for by, is_demo in zip(frame["submitted_by"], frame["is_demo"], strict=True)
            ],
            "submitted_at": [
                "" if pd.isna(at) else pd.Timestamp(at).strftime("%Y-%m-%d %H:%M")
                for at in frame["submitted_at"]
            ],
            "days_overdue": frame["days_overdue"].astype(int),
            "days_late": frame["days_late"].astype(int),
        }
    )
    return out[REPORTING_COLUMNS]


def cmd_reporting(args: argparse.Namespace) -> int:
    lang = args.lang
    period = period_code(args.period, lang)
    if period is None:
        return 2
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        print(t("cli.bad_date", lang, value=args.as_of), file=sys.stderr)
        return 2
    rows = reporting_rows(queries.reporting_status(args.year, period, as_of), lang)
    print_rows(rows, args.format)
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """Exit 0 when the year's targets and their shares add up, 1 when not (a line each);
    then the same for the targets of the five-year plan the year falls in, where it has any
    (their own lines: 1 when they do not add up either)."""
    findings = queries.target_findings(args.year)
    if findings.empty:
        n = len(queries.targets().query("year == @args.year"))
        print(t("targets.consistent", args.lang, year=args.year, n=n))
    else:
        print(t("targets.inconsistent", args.lang, year=args.year, n=len(findings)))
        for line in decomposition.lines(findings, args.year, args.lang):
            print(line)
    plan_ok = plan_targets_check(args.year, args.lang)  # said even when the year's are not
    return 0 if findings.empty and plan_ok else 1


def plan_targets_check(year: int, lang: str) -> bool:
    """Print whether the targets of the plan `year` falls in add up (nothing when it has
    none); whether they do."""
    p = fiveyear.plan_of_year(year)
    n = len(queries.plan_targets(p["id"])) if p else 0
    if not n:
        return True
    name = p["name_zh"] if lang == "zh" else p["name_en"]
    found = queries.plan_target_findings(p)
    if found.empty:
        print(t("plan_targets.consistent", lang, plan=name, n=n))
        return True
    print(t("plan_targets.inconsistent", lang, plan=name, n=len(found)))
    for line in decomposition.plan_lines(found, p, lang):
        print(line)
    return False


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`review`, `reporting status` and `targets check`."""
    rev = sub.add_parser(
        "review", parents=[common], help="approve or return a subdistrict's submission"
    )
    rev.add_argument("batch", type=int)
    verdict = rev.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="the figures become final")
    verdict.add_argument(
        "--return", dest="send_back", metavar="REASON", help="send it back with a reason"
    )
    rev.add_argument("--editor")
    rev.set_defaults(func=cmd_review)

    rep = sub.add_parser("reporting", parents=[common], help="the reporting cycle")
    rep_sub = rep.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rep_status = rep_sub.add_parser(
        "status", parents=[common], help="each subdistrict's due items and their state"
    )
    rep_status.add_argument("--year", type=int, required=True)
    rep_status.add_argument("--period", required=True, help="Y, Q1-Q4 or M01-M12")
    rep_status.add_argument("--as-of", help="the day overdue days count to (YYYY-MM-DD)")
    rep_status.add_argument("--format", choices=["table", "csv"], default="table")
    rep_status.set_defaults(func=cmd_reporting)

    tgt = sub.add_parser("targets", parents=[common], help="the year's targets and their shares")
    tgt_sub = tgt.add_subparsers(dest="action", required=True, parser_class=_Parser)
    tgt_check = tgt_sub.add_parser(
        "check", parents=[common], help="whether the shares add up (exit 0) or not (exit 1)"
    )
    tgt_check.add_argument("--year", type=int, required=True)
    tgt_check.set_defaults(func=cmd_targets)
