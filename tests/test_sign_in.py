"""Guessing passwords: five wrong within 15 minutes lock an account for 15 minutes, every
attempt is logged, and district editors see the log on the history page."""

from __future__ import annotations

import errno
import os
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


# The log itself: one escaped line per event, read by "\n", bounded, and on disk before
# anyone signs in.

SPLITTERS = "10.0.0.9\u0085\u2028\u2029\r\n\x1c\x1d\x1e\x0b\x0c\"'}{,"


def test_an_address_that_would_split_a_line_still_counts_toward_the_lock(accounts):
    for _ in range(5):
        auth.attempt("hq", "guess", ip=SPLITTERS)
    assert auth.attempt("hq", "hongqiao-pass", ip=SPLITTERS).locked_until is not None
    raw = auth.signin_log_path().read_bytes()
    assert raw.isascii() and raw.count(b"\n") == 7  # 5 failures, locked, refused
    log = auth.read_signins()
    assert not log.unreadable
    assert [e["outcome"] for e in log.events] == ["failure"] * 5 + ["locked", "refused"]
    assert log.events[0]["ip"] == SPLITTERS


def test_a_line_that_does_not_parse_never_ends_a_lock_and_is_reported(accounts):
    for _ in range(5):
        auth.attempt("hq", "guess")
    at = (T0 + timedelta(minutes=1)).isoformat()
    with auth.signin_log_path().open("ab") as f:
        f.write(f'{{"at": "{at}", "name": "hq", "outcome": "success"\n'.encode())  # cut short
        f.write(f'{{"at": "{at[:19]}", "name": "hq", "outcome": "unlocked"}}\n'.encode())
        f.write(b"\xff\xfe garbage \x85\n")
        f.write(f'{{"at": "{at}", "name": "hq", "outcome": "unlocked"'.encode())  # no newline
    accounts["now"] = T0 + timedelta(minutes=2)
    assert auth.attempt("hq", "hongqiao-pass").locked_until is not None
    log = auth.read_signins()
    assert log.unreadable == [f"accounts.signins.jsonl:{n}" for n in (7, 8, 9, 10)]
    assert log.events[-1]["outcome"] == "refused"  # written on a line of its own
    page = open_page("pages/data_history.py", auth.account("district"))
    assert any("4 行无法读取" in w.value and "jsonl:7" in w.value for w in page.warning)


def test_a_rotated_log_carries_every_lock_and_count_across(accounts, monkeypatch):
    for _ in range(3):
        auth.attempt("district", "guess")
    for _ in range(5):
        auth.attempt("hq", "guess")
    for i in range(4):
        auth.attempt(f"someone-{i}", "x", ip="10.0.0.1")
    monkeypatch.setattr(auth, "SIGNIN_LOG_MAX_BYTES", 1)  # every attempt now rotates
    accounts["now"] = T0 + timedelta(minutes=5)
    assert auth.attempt("hq", "hongqiao-pass").locked_until is not None
    # The history shows each attempt once, the carried copies left out.
    assert len(auth.signins()) == 3 + 6 + 4 + 1
    assert auth.attempt("district", "guess").tries_left == 1
    assert auth.attempt("district", "guess").locked_until is not None
    path = auth.signin_log_path()
    assert auth.previous_signin_log_path(path).exists()
    assert path.read_bytes().count(b"\n") <= 1 + 5 + 4 + 2  # the carried lines, no more
    accounts["now"] = T0 + timedelta(minutes=5) + auth.LOCK_FOR + timedelta(seconds=1)
    assert auth.attempt("hq", "hongqiao-pass").editor is not None


def test_an_attempt_reads_the_log_back_only_as_far_as_the_lock_window(accounts, monkeypatch):
    path = auth.signin_log_path()
    old = T0 - timedelta(days=30)
    line = f'{{"at": "{old.isoformat()}", "name": "someone", "outcome": "failure"}}\n'.encode()
    with path.open("wb") as f:
        f.write(line * (3 * 1024 * 1024 // len(line)))  # 3 MB of history, under the limit
        for m in range(4):
            stamp = (T0 + timedelta(minutes=m - 10)).isoformat()
            f.write(f'{{"at": "{stamp}", "name": "hq", "outcome": "failure"}}\n'.encode())
    reads = []
    real = auth.read_tail
    monkeypatch.setattr(auth, "read_tail", lambda *a, **k: reads.append(real(*a, **k)) or reads[-1])
    assert auth.attempt("hq", "guess").locked_until is not None  # the fifth in 15 minutes
    assert len(reads[0].events) == 4
    assert reads[0].bytes_read <= 2 * 64 * 1024


def test_reading_the_tail_in_small_blocks_finds_the_same_lines(accounts):
    for m in range(12):
        accounts["now"] = T0 + timedelta(minutes=m)
        auth.attempt(f"name-{m % 3}", "guess", ip="x" * m)
    path = auth.signin_log_path()
    with path.open("ab") as f:
        f.write(b"not json\n\n")
    since = T0 + timedelta(minutes=4)
    whole = [e for e in auth.signins() if e["at"] >= since]
    for block in (1, 7, 64, 1000):
        tail = auth.read_tail(path, since, block=block)
        assert tail.events == whole
        offset = path.read_bytes().index(b"not json")
        assert tail.unreadable == [f"accounts.signins.jsonl@{offset}"]


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EFBIG, errno.EIO])
@pytest.mark.parametrize("step", ["write", "fsync"])
def test_a_log_that_cannot_take_the_line_refuses_signing_in(accounts, monkeypatch, errno_, step):
    auth.attempt("hq", "guess")
    before = auth.signin_log_path().read_bytes()

    def full(fd, data=b""):
        os.write(fd, data[:10] or b"cut short")  # part of the line, then the disk is full
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(auth, "_write_all" if step == "write" else "_fsync", full)
    with pytest.raises(auth.SignInLogBroken):
        auth.attempt("hq", "hongqiao-pass")
    assert auth.signin_log_path().read_bytes() == before  # the cut line is taken back


def test_a_full_disk_shows_the_log_message_and_nobody_signs_in(accounts, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(auth, "_write_all", full)
    at = submit_sign_in(open_page("pages/sign_in.py"), "hq", "hongqiao-pass")
    assert not at.exception
    assert any("无法写入登录记录" in e.value for e in at.error)
    assert "_editor" not in at.session_state


def test_a_rotation_the_disk_cannot_take_keeps_the_log_and_refuses(accounts, monkeypatch):
    for _ in range(5):
        auth.attempt("hq", "guess")
    before = auth.signin_log_path().read_bytes()
    monkeypatch.setattr(auth, "SIGNIN_LOG_MAX_BYTES", 1)

    def full(fd, data=b""):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(auth, "_fsync", full)
    with pytest.raises(auth.SignInLogBroken):
        auth.attempt("hq", "hongqiao-pass")
    assert auth.signin_log_path().read_bytes() == before
    assert not list(auth.signin_log_path().parent.glob(".signins-*"))
