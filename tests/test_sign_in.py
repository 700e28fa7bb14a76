"""Guessing passwords: five wrong within 15 minutes lock an account for 15 minutes, every
attempt is logged, and district editors see the log on the history page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from indicators import auth
from tests.test_data_pages import open_page, submit_sign_in
from tests.test_load import cli

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def events(*steps):
    """(minutes after T0, outcome) pairs as one account's log."""
    return [{"at": T0 + timedelta(minutes=m), "outcome": o} for m, o in steps]


def test_lock_state_known_answers():
    four = events(*[(m, "failure") for m in range(4)])
    assert auth.lock_state(four, T0 + timedelta(minutes=4)) == (None, 1)
    five = events(*[(m, "failure") for m in range(4)], (4, "failure"), (4, "locked"))
    assert auth.lock_state(five, T0 + timedelta(minutes=5)) == (T0 + timedelta(minutes=19), 5)
    assert auth.lock_state(five, T0 + timedelta(minutes=19)) == (None, 5)  # it has run out
    # Wrong passwords further apart than 15 minutes never add up to five.
    spread = events(*[(m, "failure") for m in (0, 10, 20, 30)])
    assert auth.lock_state(spread, T0 + timedelta(minutes=31)) == (None, 3)
    # A right password, or the operator's unlock, starts the count afresh.
    assert auth.lock_state(four + events((5, "success")), T0 + timedelta(minutes=6)) == (None, 5)
    assert auth.lock_state(five + events((6, "unlocked")), T0 + timedelta(minutes=7)) == (None, 5)


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    monkeypatch.setenv("LOWCARBON_AUTH", str(tmp_path / "accounts.json"))
    auth.add_user("district", "district-pass")
    auth.add_user("hq", "hongqiao-pass", ["hongqiao"])
    clock = {"now": T0}
    monkeypatch.setattr(auth, "_now", lambda: clock["now"])
    return clock


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(accounts):
    tries = [auth.attempt("hq", "guess", ip="10.0.0.9") for _ in range(5)]
    assert [a.tries_left for a in tries[:4]] == [4, 3, 2, 1]
    assert tries[4].locked_until == T0 + auth.LOCK_FOR
    assert auth.attempt("hq", "hongqiao-pass").editor is None  # locked: refused
    assert auth.attempt("district", "district-pass").editor is not None  # others are not
    accounts["now"] = T0 + auth.LOCK_FOR + timedelta(seconds=1)
    assert auth.attempt("hq", "hongqiao-pass").editor.name == "hq"
    outcomes = [(e["name"], e["outcome"]) for e in auth.signins()]
    assert outcomes == [("hq", "failure")] * 5 + [
        ("hq", "locked"),
        ("hq", "refused"),
        ("district", "success"),
        ("hq", "success"),
    ]
    assert auth.signins()[0]["ip"] == "10.0.0.9"


def test_an_unknown_name_locks_like_a_real_one_and_the_operator_unlocks(accounts):
    for _ in range(5):
        auth.attempt("nobody\x1b[31m", "x")
    assert auth.attempt("nobody\x1b[31m", "x").locked_until is not None
    assert auth.signins()[0]["name"] == "nobody[31m"  # logged printable
    for _ in range(5):
        auth.attempt("hq", "guess")
    res = cli("user", "unlock", "hq")
    assert res.returncode == 0 and "hq" in res.stdout
    assert auth.attempt("hq", "hongqiao-pass").editor is not None


def test_the_sign_in_page_says_the_account_is_locked_and_until_when(accounts):
    at = open_page("pages/sign_in.py")
    for left in (4, 3, 2, 1):
        submit_sign_in(at, "hq", "guess")
        assert any(f"再错 {left} 次" in e.value for e in at.error)
    submit_sign_in(at, "hq", "guess")
    until = (T0 + auth.LOCK_FOR).strftime("%H:%M")
    assert any("已锁定" in e.value and until in e.value for e in at.error)
    submit_sign_in(at, "hq", "hongqiao-pass")
    assert any("已锁定" in e.value for e in at.error)
    assert "_editor" not in at.session_state


def test_a_sign_in_log_that_cannot_be_written_refuses_signing_in(accounts):
    auth.signin_log_path().mkdir()  # a folder where the log file should be
    at = submit_sign_in(open_page("pages/sign_in.py"), "hq", "hongqiao-pass")
    assert any("登录记录" in e.value for e in at.error)
    assert "_editor" not in at.session_state


def test_district_editors_see_the_sign_in_log_and_street_editors_do_not(accounts):
    auth.attempt("hq", "guess")
    auth.attempt("district", "district-pass")
    at = open_page("pages/data_history.py", auth.account("district"))
    log = at.dataframe[-1].value
    assert list(log["结果"]) == ["成功", "密码错误"]  # newest first
    assert list(log["账号"]) == ["district", "hq"]
    limited = open_page("pages/data_history.py", auth.account("hq"))
    assert not any("账号" in frame.value.columns for frame in limited.dataframe)
