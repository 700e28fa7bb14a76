"""Command line: `python -m indicators init|migrate|show|load|rollback|review|reporting|
targets|plan|commitments|history|backup|restore|user|template|demo remove`.

Exit codes for `show`: 0 with rows, 1 with no rows, 2 for a bad argument. For `load`: 0
loaded, 2 rejected (the row-level report on stderr), 3 conflicts without --replace, 4 a
question to answer (a wide table's reading, figures outside their bounds, buildings not in
the register: nothing loaded; the answer is an option). For
`review`: 0 done, 2 refused (why on stderr). For `reporting status`: 0, 2 a bad argument.
For `targets check`: 0 consistent, 1 not (a line per problem; the year's five-year plan
targets too). For `plan status` and `plan barometer`: 0, 2 a bad argument (an unknown
plan, a bad period, a year outside the plan, an indicator no plan targets).

The commands live in indicators/cli/, a module per command group; this module only builds
the parser from the groups' builders and dispatches.
"""

from __future__ import annotations

import argparse
import os
import sys

from indicators.cli import admin, brief, data, load, plan, reporting
from indicators.cli.common import _Parser, common_parser
from indicators.reference.i18n import t
from indicators.store import db


def build_parser() -> argparse.ArgumentParser:
    """Every command, in the order `--help` lists them."""
    common = common_parser()
    parser = _Parser(
        prog="python -m indicators", description="Low-carbon indicators by subdistrict"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    data.add_parsers(sub, common)  # init, migrate, show
    load.add_parsers(sub, common)  # load, recipe, rollback
    reporting.add_parsers(sub, common)  # review, reporting, targets
    plan.add_parsers(sub, common)  # plan, fund, commitments
    admin.add_parsers(sub, common)  # history, backup, restore, user, boundaries
    brief.add_parsers(sub, common)  # brief
    load.add_template_parser(sub, common)  # these two have always come last in --help
    data.add_demo_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except db.DatabaseMissing as exc:
        print(t("error.no_database", args.lang, path=str(exc)), file=sys.stderr)
        return 2
    except db.DatabaseBusy:
        print(t("error.busy", args.lang), file=sys.stderr)
        return 5
    except db.DatabaseWalMismatch as exc:
        print(
            t("error.wal_mismatch", args.lang, path=str(exc.path), wal=str(exc.wal)),
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
