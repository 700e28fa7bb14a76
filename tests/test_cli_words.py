"""What the command line says to a person is in words: 街镇 by name, never a scope code
(hongqiao, focus, *), never None or NaN; in English, English. Only the documented columns
of the script-facing tables (street_code, owner_code) hold codes."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from indicators import reference
from indicators.__main__ import main
from indicators.domain import reporting
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_pages import CJK

# Scope codes that are no English word ("district" and "others" are, in English replies).
CODES = [c for c in (s["code"] for s in reference.scopes()) if c not in ("district", "others")]
CODE = re.compile(r"(?<![A-Za-z_])(" + "|".join(CODES) + r")(?![A-Za-z_])|(?<!\S)\*(?!\S)")
RAW = re.compile(r"\b(None|nan|NaN|NaT)\b")
# Codes kept on purpose: the columns scripts read (README, Command line).
PINNED = {"street_code", "owner_code"}
# Data that has no English: the reply's file number, and what this test names in Chinese.
HEAD_EN = ["street", "year", "period", "indicator", "value"]
# Data with no English name: the seed's source, a 街镇 no one knows, and what people typed
# (the example's return reason)
DATA = [
    "长发改〔2025〕17号",
    "火星",
    reference.demo_vocabulary()["reporting_round"]["returned"]["reason"],
]


def _say(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str]:
    """Run one command in this process; its exit code and everything it printed."""
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def _words(text: str, fmt_csv: bool = False) -> str:
    """A reply without its pinned code columns (a CSV table read by its header)."""
    if not fmt_csv:
        return text
    rows = list(csv.DictReader(io.StringIO(text)))
    return "\n".join(" ".join(v for k, v in r.items() if k not in PINNED) for r in rows)


def _check(text: str, lang: str) -> None:
    assert not CODE.search(text), CODE.search(text)
    assert not RAW.search(text), RAW.search(text)
    if lang == "en":
        for value in DATA:
            text = text.replace(value, "")
        assert not CJK.search(text), CJK.search(text)


@pytest.fixture
def fresh(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setenv("LOWCARBON_AUTH", str(tmp_path / "accounts.json"))
    return fresh_db


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_reply_names_streets_and_holds_no_code_or_none(
    fresh, tmp_path, capsys, monkeypatch, lang
):
    say = lambda *a, **k: _say(capsys, monkeypatch, *a, "--lang", lang, **k)  # noqa: E731
    replies: list[tuple[str, str]] = []

    def keep(name: str, result: tuple[int, str], expect: int = 0, fmt_csv: bool = False) -> str:
        code, text = result
        assert code == expect, (name, text)
        replies.append((name, _words(text, fmt_csv)))
        return text

    keep("init", say("init"))
    password = {"stdin": "pass-w0rd\n"}
    added = keep(
        "user add",
        say("user", "add", "hq", "--streets", "虹桥,北新泾", "--password-stdin", **password),
    )
    hongqiao, beixinjing = (reference.scope(c)[f"name_{lang}"] for c in ("hongqiao", "beixinjing"))
    assert hongqiao in added and beixinjing in added
    boss = keep("user add district", say("user", "add", "boss", "--password-stdin", **password))
    assert ("全部街镇" if lang == "zh" else "every subdistrict") in boss
    unknown = say("user", "add", "x", "--streets", "火星", "--password-stdin", **password)
    unknown = keep("user add unknown", unknown, 2)
    assert reference.scope("xinjing")[f"name_{lang}"] in unknown  # the known ones, by name
    keep("user remove", say("user", "remove", "nobody"), 1)
    keep("user unlock", say("user", "unlock", "hq"))

    # a 街镇's late submission, a conflict with it, a refused row, a review, a rollback
    year, period = 2025, "Q3"  # due 15 October 2025: submitted today, it is late
    # the files an official of that language would write (a file's own words are quoted)
    head = ["街镇", "年份", "期间", "指标", "数值"] if lang == "zh" else HEAD_EN
    hq_name, xj_name = ("虹桥", "新泾镇") if lang == "zh" else ("Hongqiao", "Xinjing")
    sub = tmp_path / "sub.csv"
    sub.write_bytes(csv_bytes([head, [hq_name, year, period, "GDP", 3100000]]))
    keep("load submission", say("load", str(sub), "--editor", "hq"))
    (batch,) = query(fresh, "select max(batch_id) from load_batches")[0]
    changed = tmp_path / "changed.csv"
    changed.write_bytes(csv_bytes([head, [hq_name, year, period, "GDP", 3200000.5]]))
    # the 街镇's own correction of the figure it submitted: a conflict to decide
    conflict = keep("load conflict", say("load", str(changed), "--editor", "hq"), 3)
    assert "3,100,000" in conflict and "3,200,000.5" in conflict and hongqiao in conflict
    other = tmp_path / "other.csv"
    other.write_bytes(csv_bytes([head, [xj_name, year, period, "GDP", 1]]))
    keep("load refused", say("load", str(other), "--editor", "hq"), 2)
    keep("review refused", say("review", str(batch), "--approve", "--editor", "hq"), 2)
    keep("review", say("review", str(batch), "--approve", "--editor", "boss"))
    history = keep("history", say("history"))
    assert "builtin" not in history and "observations" not in history
    keep("rollback refused", say("rollback", "1", "--editor", "hq"), 2)

    status = keep(
        "reporting status",
        say("reporting", "status", "--year", str(year), "--period", period, "--format", "csv"),
        fmt_csv=True,
    )
    row = {(r["street_code"], r["indicator"]): r for r in csv.DictReader(io.StringIO(status))}
    gdp = row[("hongqiao", "gdp")]
    due = reporting.due_on(year, period, reference.indicator("gdp")["due"])
    assert gdp["state"] == "approved" and gdp["submitted_by"] == "hq"
    assert int(gdp["days_late"]) == (date.today() - due).days > 0
    keep("targets check", say("targets", "check", "--year", "2026"))
    keep("commitments", say("commitments", "list", "--format", "csv"), fmt_csv=True)
    keep("show unknown street", say("show", "gdp", "--street", "火星"), 2)
    # show's table is data for scripts: no scope code or None outside street_code; its
    # source column holds the stored source as loaded (示例数据 for illustrative rows)
    shown = _words(say("show", "gdp", "--street", "虹桥", "--format", "csv")[1], fmt_csv=True)
    _check(shown.replace("示例数据", ""), lang)
    keep(
        "brief unknown street",
        say("brief", "--year", "2026", "--street", "火星", "--out", str(tmp_path)),
        2,
    )
    keep("recipe list", say("recipe", "list"))
    keep("backup", say("backup", str(tmp_path / "backup")))
    keep("demo remove", say("demo", "remove"))

    for name, text in replies:
        assert text.strip(), name
        try:
            _check(text, lang)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}\n{text}") from None
