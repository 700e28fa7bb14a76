"""Periods as offices write them, to the dashboard's codes: 1-9月, 1至9月, 一至九月,
前三季度 and 2025年1-9月 are year to date through September (Q3); 上半年 is Q2; 全年 is Y.
Pure: text in, a period code out, or why not. The words and patterns are data
(`periods` in intake.yaml).

Every code but Y is year to date (Q3 = January to September). A word that could mean a
quarter or a month on its own (三季度, 9月) is refused with the forms that say which,
never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from indicators import reference
from indicators.intake.model import declaration


class PeriodError(ValueError):
    """Why a text is not a period: key (a message key under intake.*) and a suggestion."""

    def __init__(self, key: str, suggest: str = "") -> None:
        super().__init__(key)
        self.key, self.suggest = key, suggest


@cache
def _rules() -> dict[str, Any]:
    spec = declaration()["periods"]
    month = spec["month"]
    return {
        "words": {str(k): v for k, v in spec["words"].items()},
        "numbers": {str(k): v for k, v in spec["numbers"].items()},
        "year": re.compile(spec["year_prefix"]),
        "range": re.compile(spec["range"].replace("{month}", month)),
        "one_month": re.compile(spec["one_month"].replace("{month}", month)),
        "quarter": re.compile(spec["quarter"]),
        "suggest": spec["suggest"],
    }


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _rules()["numbers"][text]


def to_date_code(months: int) -> str:
    """January to the end of month N as a code: a quarter's end is Qn, December is Y."""
    if not 1 <= months <= 12:
        raise PeriodError("bad_period")
    if months == 12:
        return "Y"
    return f"Q{months // 3}" if months % 3 == 0 else f"M{months:02d}"


def ambiguous_suggestion(months: int) -> str:
    """For a word that could mean month N alone or January to N: the forms to write."""
    if not 1 <= months <= 12:
        return ""
    return _rules()["suggest"].format(months=months, code=to_date_code(months))


def _ambiguous(key: str, months: int) -> PeriodError:
    return PeriodError(key, ambiguous_suggestion(months))


def quarter_of(text: str) -> int | None:
    """The quarter a bare quarter word names (三季度, 第3季度 -> 3), else None."""
    key = "".join(unicodedata.normalize("NFKC", str(text)).split())
    if m := _rules()["quarter"].match(key):
        return _month(m[1])
    return None


def parse_period(text: str) -> tuple[str, int | None]:
    """The period code a text names, and the year it names too (2025年1-9月), if any."""
    rules = _rules()
    key = "".join(unicodedata.normalize("NFKC", str(text)).split())
    year = None
    if named := rules["year"].match(key):
        year, key = int(named[1]), key[named.end() :]
    if key.upper() in reference.PERIODS:
        return key.upper(), year
    if key in rules["words"]:
        return rules["words"][key], year
    if m := rules["range"].match(key):
        return to_date_code(_month(m[1])), year
    if m := rules["quarter"].match(key):
        n = _month(m[1])
        if n == 1:  # the first quarter is its own year to date
            return "Q1", year
        raise _ambiguous("ambiguous_quarter", n * 3)
    if m := rules["one_month"].match(key):
        n = _month(m[1])
        if n == 1:
            return "M01", year
        if n > 12:
            raise PeriodError("bad_period")
        raise _ambiguous("ambiguous_month", n)
    raise PeriodError("bad_period")
