"""What was planned, funded and promised: `plan status`, `plan barometer`, `fund
performance`, `commitments list`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

import pandas as pd

from indicators import reference
from indicators.cli.common import _Parser, _text, period_code, plain_number, print_rows
from indicators.domain import fiveyear, plan_status, queries
from indicators.reference import i18n
from indicators.reference.i18n import t


def plan_rows(frame: pd.DataFrame, base_year: int, lang: str) -> pd.DataFrame:
    """The `plan status` columns from plan_status.status's frame: figures in the
    indicator's unit, changes and targets in percent of the base, levels 1-3 or empty."""

    def pct(values: pd.Series) -> list[str]:
        return [plain_number(None if pd.isna(v) else round(v * 100, 2)) for v in values]

    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "indicator": frame["indicator_id"],
            "base_year": base_year,
            "base_value": [plain_number(v) for v in frame["base_value"]],
            "value": [plain_number(v) for v in frame["value"]],
            "cumulative_change": pct(frame["cumulative_change"]),
            "plan_target": pct(frame["plan_target"]),
            "required_to_date": pct(frame["required_to_date"]),
            "level_year": [_text(v) for v in frame["level_year"]],
            "level_plan": [_text(v) for v in frame["level_plan"]],
        }
    )
    return out[plan_status.COLUMNS]


def _plan_of(args: argparse.Namespace) -> dict | None:
    """The plan `--plan` names, with `--year` inside it; else None, having said why."""
    lang = args.lang
    p = fiveyear.plan(args.plan)
    if p is None:
        names = ", ".join(q["name_zh"] for q in fiveyear.plans())
        print(t("cli.bad_plan", lang, plan=args.plan, plans=names), file=sys.stderr)
        return None
    if not p["first"] <= args.year <= p["last"]:
        name = p["name_zh"] if lang == "zh" else p["name_en"]
        print(
            t("cli.plan_year", lang, year=args.year, plan=name, first=p["first"], last=p["last"]),
            file=sys.stderr,
        )
        return None
    return p


def cmd_plan(args: argparse.Namespace) -> int:
    lang = args.lang
    period = period_code(args.period, lang)
    if period is None:
        return 2
    p = _plan_of(args)
    if p is None:
        return 2
    inputs = queries.plan_status_inputs(p["id"], p["base"], args.year, period)
    rows = plan_rows(plan_status.status(inputs, p, args.year, period), p["base"], lang)
    if rows.empty and args.format == "table":  # no targets for this plan: the columns only
        print("  ".join(plan_status.COLUMNS))
        return 0
    print_rows(rows, args.format)
    # what the pinned columns cannot carry is said beside them, never left out
    shown = int(inputs["illustrative"].fillna(False).astype(bool).sum())
    if shown:
        print(t("plan.illustrative_rows", lang, n=shown), file=sys.stderr)
    if fiveyear.illustrative():
        print(t("plan.levels_illustrative", lang), file=sys.stderr)
    return 0


def cmd_barometer(args: argparse.Namespace) -> int:
    """The 晴雨表 of a year as the page's download has it (barometer.download)."""
    from indicators.domain import barometer

    lang = args.lang
    p = _plan_of(args)
    if p is None:
        return 2
    indicator = reference.resolve_indicator(args.indicator)
    if indicator not in fiveyear.indicators():
        names = ", ".join(f"{i} ({i18n.indicator_name(i, lang)})" for i in fiveyear.indicators())
        print(t("cli.bad_plan_indicator", lang, indicator=args.indicator, names=names),
              file=sys.stderr)  # fmt: skip
        return 2
    statuses = queries.plan_rounds(p, args.year)
    long = barometer.levels(statuses, args.year)
    rounds = barometer.rounds_so_far(statuses, args.year)
    scopes = reference.view_scopes(args.group)
    print_rows(barometer.download(long, indicator, scopes, rounds, lang), args.format)
    for note in barometer.notes(long, indicator, lang):
        print(note, file=sys.stderr)
    return 0


def cmd_fund(args: argparse.Namespace) -> int:
    """专项资金绩效 of a year: a row per 街镇 and category plus totals (fund.rows)."""
    from indicators.domain import fund

    lang = args.lang
    if not 2000 <= args.year <= 2100:
        print(t("cli.bad_year", lang, year=args.year), file=sys.stderr)
        return 2
    perf, basis = queries.fund_performance(args.year)
    table = fund.rows(perf, lang)
    out = table.assign(**{c: [plain_number(v) for v in table[c]] for c in fund.ROUNDING})
    print_rows(out, args.format)
    for line in fund.notes(perf, basis, lang):
        print(line, file=sys.stderr)
    return 0


COMMITMENT_COLUMNS = [
    "commitment_id",
    "owner_code",
    "owner",
    "promise",
    "cadence",
    "due_on",
    "status",
    "late",
    "evidence",
    "indicator",
    "source",
    "illustrative",
]


def commitment_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `commitments list` columns: status and cadence as codes, the rest in `lang`."""
    from indicators.domain import commitments

    out = pd.DataFrame(
        {
            "commitment_id": frame["commitment_id"],
            "owner_code": frame["owner"],
            "owner": [i18n.owner_name(c, lang) for c in frame["owner"]],
            "promise": [commitments.promise_text(r, lang) for r in frame.to_dict("records")],
            "cadence": frame["cadence"].fillna(""),
            "due_on": [
                ("" if pd.isna(d) else pd.Timestamp(d).date().isoformat()) for d in frame["due_on"]
            ],
            "status": frame["status"].fillna(""),
            "late": ["yes" if late else "no" for late in frame["late"]],
            "evidence": [commitments.evidence_text(r, lang) for r in frame.to_dict("records")],
            "indicator": frame["indicator_id"].fillna(""),
            "source": frame["source"],
            "illustrative": ["yes" if d else "no" for d in frame["is_demo"]],
        }
    )
    return out[COMMITMENT_COLUMNS]


def cmd_commitments(args: argparse.Namespace) -> int:
    rows = commitment_rows(queries.commitments(date.today()), args.lang)
    print_rows(rows, args.format)
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`plan status`, `plan barometer`, `fund performance` and `commitments list`."""
    _add_plan_parser(sub, common)
    fnd = sub.add_parser("fund", parents=[common], help="what the special fund bought")
    fnd_sub = fnd.add_subparsers(dest="action", required=True, parser_class=_Parser)
    fnd_perf = fnd_sub.add_parser(
        "performance", parents=[common], help="savings, cost per tce and share of need by area"
    )
    fnd_perf.add_argument("--year", type=int, required=True)
    fnd_perf.add_argument("--format", choices=["table", "csv"], default="table")
    fnd_perf.set_defaults(func=cmd_fund)

    com = sub.add_parser("commitments", parents=[common], help="the reply's commitments")
    com_sub = com.add_subparsers(dest="action", required=True, parser_class=_Parser)
    com_list = com_sub.add_parser("list", parents=[common], help="every commitment and its state")
    com_list.add_argument("--format", choices=["table", "csv"], default="table")
    com_list.set_defaults(func=cmd_commitments)


def _add_plan_parser(sub, common: argparse.ArgumentParser) -> None:
    """`plan status` and `plan barometer`."""
    pln = sub.add_parser("plan", parents=[common], help="the five-year plan (15th: 2026-2030)")
    pln_sub = pln.add_subparsers(dest="action", required=True, parser_class=_Parser)
    pln_status = pln_sub.add_parser(
        "status", parents=[common], help="each scope's standing and warning level against the plan"
    )
    pln_status.add_argument(
        "--plan", required=True, help="15th, 14th or 2026-2030 (or its Chinese name)"
    )
    pln_status.add_argument("--year", type=int, required=True)
    pln_status.add_argument("--period", required=True, help="Y, Q1-Q4 or M01-M12")
    pln_status.add_argument("--format", choices=["table", "csv"], default="table")
    pln_status.set_defaults(func=cmd_plan)
    pln_baro = pln_sub.add_parser(
        "barometer",
        parents=[common],
        help="the year's barometer of warning levels, as the page's download",
    )
    pln_baro.add_argument("--plan", required=True, help="15th, 14th or 2026-2030")
    pln_baro.add_argument("--year", type=int, required=True)
    pln_baro.add_argument(
        "--indicator", default="energy_per_gdp", help="an indicator the plan targets"
    )
    pln_baro.add_argument("--group", choices=list(reference.VIEWS), default="focus")
    pln_baro.add_argument("--format", choices=["table", "csv"], default="table")
    pln_baro.set_defaults(func=cmd_barometer)
