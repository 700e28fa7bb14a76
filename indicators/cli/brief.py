"""The briefing deck (PPTX) or report (PDF) for a year, without a browser: `brief`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators import reference
from indicators.domain import queries
from indicators.reference import i18n
from indicators.reference.i18n import t


def cmd_brief(args: argparse.Namespace) -> int:
    """The briefing deck for a year (and 街镇) without a browser session."""
    from indicators.exports import deck, report  # python-pptx, kaleido: only this command pays

    scope = reference.district_code()
    if args.street:
        scope = reference.resolve_scope(args.street)
        if scope is None:
            known = i18n.known_scopes(args.lang)
            why = t("cli.unknown_street", args.lang, name=args.street, known=known)
            print(why, file=sys.stderr)
            return 2
    periods = queries.available_periods()
    in_year = periods[periods["year"] == args.year]
    if in_year.empty:
        print(t("cli.no_rows", args.lang), file=sys.stderr)
        return 1
    period = queries.pick_default_period(in_year)[1]
    out = Path(args.out)
    if not (out.is_dir() or out.parent.is_dir()):  # said before the deck is built
        why = t("cli.folder_missing", args.lang)
        print(t("cli.cannot_write", args.lang, path=str(out), why=why), file=sys.stderr)
        return 2
    pdf = args.format == "pdf"
    if out.is_dir():
        name = report.report_name if pdf else deck.deck_name
        out = out / name(scope, args.year, args.lang)
    build = report.build_report if pdf else deck.build_deck
    content = build(scope, args.year, period, args.lang, args.group)
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(t("cli.cannot_write", args.lang, path=str(out), why=exc.strerror), file=sys.stderr)
        return 2
    print(t("cli.brief_done", args.lang, path=str(out)))
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`brief`."""
    brief = sub.add_parser("brief", parents=[common], help="the briefing deck, without a browser")
    brief.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    brief.add_argument("--year", type=int, required=True)
    brief.add_argument("--street")
    brief.add_argument(
        "--group",
        choices=reference.VIEWS,
        default=reference.VIEWS[0],
        help="rank the four focus subdistricts (focus) or all ten (all)",
    )
    brief.add_argument("--out", required=True, help="a file, or a folder to name it in")
    brief.set_defaults(func=cmd_brief)
