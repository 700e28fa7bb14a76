"""Editor accounts: a file outside git named by LOWCARBON_AUTH, passwords hashed with
Argon2 (argon2-cffi). An editor may be limited to some 街镇; without a limit they are a
district editor and may change every 街镇. With no file configured, editing is off."""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

AUTH_ENV = "LOWCARBON_AUTH"
_hasher = PasswordHasher()
# Five wrong passwords within 15 minutes lock the account for 15 minutes.
LOCK_AFTER = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
OUTCOMES = ("success", "failure", "locked", "refused", "unlocked")


@dataclass(frozen=True)
class Editor:
    name: str
    streets: tuple[str, ...] | None  # scope codes; None: every 街镇 (a district editor)

    def allowed_scopes(self) -> set[str] | None:
        return None if self.streets is None else set(self.streets)


def os_user() -> str:
    """The operating-system user running this process (the CLI's operator)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def auth_path() -> Path | None:
    value = os.environ.get(AUTH_ENV)
    return Path(value) if value else None


def editing_enabled() -> bool:
    path = auth_path()
    return path is not None and path.exists() and bool(_read(path))


class AccountsFileBroken(Exception):
    """The accounts file is there but does not parse: it is never rewritten, as writing
    would keep only the accounts this process knows and lose every other."""


def _read(path: Path) -> dict[str, dict]:
    """The accounts, or none where the file cannot be read (signing in then fails)."""
    try:
        return _read_strict(path)
    except AccountsFileBroken:
        return {}


def _read_strict(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        users = json.loads(path.read_text(encoding="utf-8")).get("users", {})
    except (OSError, ValueError, AttributeError) as exc:
        raise AccountsFileBroken(str(path)) from exc
    if not isinstance(users, dict) or not all(isinstance(u, dict) for u in users.values()):
        raise AccountsFileBroken(str(path))
    return users


def _write(path: Path, users: dict[str, dict]) -> None:
    """Write the accounts file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".auth-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"users": users}, f, ensure_ascii=False, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def add_user(name: str, password: str, streets: list[str] | None = None) -> None:
    path = auth_path()
    if path is None:
        raise RuntimeError(AUTH_ENV)
    users = _read_strict(path)
    users[name] = {"hash": _hasher.hash(password), "streets": streets}
    _write(path, users)


def remove_user(name: str) -> bool:
    path = auth_path()
    if path is None or not path.exists():
        return False
    users = _read_strict(path)
    if users.pop(name, None) is None:
        return False
    _write(path, users)
    return True


def account(name: str) -> Editor | None:
    """The account of this name, if there is one (for its 街镇 limits)."""
    path = auth_path()
    user = _read(path).get(name) if path is not None and path.exists() else None
    if user is None:
        return None
    streets = user.get("streets")
    return Editor(name, None if streets is None else tuple(streets))


def verify(name: str, password: str) -> Editor | None:
    """The editor for a correct name and password, else None."""
    path = auth_path()
    if path is None or not path.exists():
        return None
    user = _read(path).get(name)
    if user is None:
        _hasher.hash(password)  # the same work as a real check, so timing tells nothing
        return None
    try:
        _hasher.verify(user["hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return account(name)


# Sign-ins: every attempt is a line in a log beside the accounts file, and the lock is
# worked out from that log, so it holds across browser sessions and app processes.


class SignInLogBroken(Exception):
    """The sign-in log cannot be written: signing in is refused, as a lock could not hold."""


@dataclass(frozen=True)
class Attempt:
    editor: Editor | None
    locked_until: datetime | None = None
    tries_left: int | None = None


def signin_log_path() -> Path | None:
    path = auth_path()
    return None if path is None else path.with_name(path.stem + ".signins.jsonl")


def _now() -> datetime:
    return datetime.now().astimezone()


def _shown_name(name: str) -> str:
    """A typed account name as it is logged: printable and short."""
    return "".join(ch for ch in name if ch.isprintable())[:100]


def signins() -> list[dict]:
    """Every logged sign-in event, oldest first (lines that do not parse are skipped)."""
    path = signin_log_path()
    if path is None or not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
            event["at"] = datetime.fromisoformat(event["at"])
        except (ValueError, KeyError, TypeError):
            continue
        if event["at"].tzinfo is not None and event.get("outcome") in OUTCOMES:
            events.append(event)
    return events


def lock_state(events: list[dict], now: datetime) -> tuple[datetime | None, int]:
    """From one account's events: until when it is locked (None: it is not) and how many
    wrong passwords it may still take before it is."""
    failures: list[datetime] = []
    locked_until = None
    for event in events:
        at, outcome = event["at"], event["outcome"]
        if outcome == "failure":
            failures = [f for f in failures if at - f < FAILURE_WINDOW] + [at]
        elif outcome in ("success", "unlocked", "locked"):
            failures = []
            locked_until = at + LOCK_FOR if outcome == "locked" else None
    if locked_until is not None and locked_until <= now:
        locked_until = None
    recent = [f for f in failures if now - f < FAILURE_WINDOW]
    return locked_until, LOCK_AFTER - len(recent)


def _log(handle: TextIO, name: str, outcome: str, ip: str | None, at: datetime) -> None:
    event = {"at": at.isoformat(timespec="seconds"), "name": name, "outcome": outcome}
    if ip:
        event["ip"] = ip
    handle.write(json.dumps(event, ensure_ascii=False) + "\n")
    handle.flush()


@contextmanager
def _signin_log() -> Iterator[TextIO]:
    """The sign-in log, open to append and held: one attempt at a time is judged and logged."""
    path = signin_log_path()
    if path is None:
        raise RuntimeError(AUTH_ENV)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SignInLogBroken(str(path)) from exc
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle


def attempt(name: str, password: str, ip: str | None = None) -> Attempt:
    """Check a sign-in, log it, and lock the account after too many wrong passwords. While
    locked every attempt is refused, the right password too."""
    if signin_log_path() is None:
        return Attempt(None)
    name = _shown_name(name)
    with _signin_log() as handle:
        now = _now()
        mine = [e for e in signins() if e.get("name") == name]
        locked_until, tries_left = lock_state(mine, now)
        if locked_until is not None:
            _log(handle, name, "refused", ip, now)
            return Attempt(None, locked_until=locked_until)
        editor = verify(name, password)
        if editor is not None:
            _log(handle, name, "success", ip, now)
            return Attempt(editor)
        _log(handle, name, "failure", ip, now)
        if tries_left <= 1:
            _log(handle, name, "locked", ip, now)
            return Attempt(None, locked_until=now + LOCK_FOR)
        return Attempt(None, tries_left=tries_left - 1)


def unlock(name: str) -> None:
    """End an account's lock now (the operator's `user unlock`); logged like a sign-in."""
    with _signin_log() as handle:
        _log(handle, _shown_name(name), "unlocked", None, _now())
