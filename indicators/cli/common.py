"""What every command group shares: the parser that exits 2 with its usage, the `--lang`
parent every command takes, and how a command writes its rows and numbers."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from indicators import auth, formulas, reference
from indicators.reference import i18n
from indicators.reference.i18n import t


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


def _text(value: object) -> str:
    """A cell as text; missing (None, NaN) as nothing."""
    return "" if value is None or pd.isna(value) else str(value)


def print_rows(rows: pd.DataFrame, fmt: str) -> None:
    """A command's rows on stdout: CSV with no live formula (as the pages' downloads), or
    a plain table."""
    if fmt == "csv":
        sys.stdout.write(formulas.table_csv_text(rows))
    else:
        print(rows.to_string(index=False))


def common_parser() -> argparse.ArgumentParser:
    """The parent parser every command takes: `--lang`."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=i18n.LANGS,
        default=i18n.DEFAULT_LANG,
        help="language of messages and names (zh by default)",
    )
    return common


def period_code(raw: str, lang: str, also: tuple[str, ...] = ()) -> str | None:
    """`--period` as its code (Q3, M09, Y, or one of `also`), or None having said on stderr
    that it is none: the command then exits 2."""
    code = raw.upper()
    if code in reference.PERIODS or code in also:
        return code
    print(t("cli.bad_period", lang, period=raw), file=sys.stderr)
    return None


def editor(args: argparse.Namespace) -> tuple[str, auth.Editor | None] | None:
    """Who a command acts as (--editor, else the operating-system user) and their account.
    None, said on stderr, for a name that is no account but spells one another way (" 虹桥办",
    full width): asked, never taken for an operator with every 街镇."""
    name = args.editor or auth.os_user()
    near = auth.account_spelled(name)
    if near is not None:
        print(t("cli.editor_spelled", args.lang, name=name, account=near), file=sys.stderr)
        return None
    return name, auth.account(name)
