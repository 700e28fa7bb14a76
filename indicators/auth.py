"""Editor accounts: a file outside git named by LOWCARBON_AUTH, passwords hashed with
Argon2 (argon2-cffi). An editor may be limited to some 街镇; without a limit they are a
district editor and may change every 街镇. With no file configured, editing is off."""

from __future__ import annotations

import fcntl
import getpass
import json
import logging
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

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


def _spelling(name: str) -> str:
    """A name as compared for a near miss: NFKC, no spaces or invisible marks, case folded."""
    folded = unicodedata.normalize("NFKC", name)
    return "".join(
        c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf"
    ).casefold()


def account_spelled(name: str) -> str | None:
    """The account a name that is none spells another way (a space, full width, case): the
    command line asks about it instead of taking it for an operator with no 街镇 limits."""
    path = auth_path()
    if path is None or not path.exists() or account(name) is not None:
        return None
    key = _spelling(name)
    return next((known for known in _read(path) if _spelling(known) == key), None)


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
#
# Each line is one JSON object in ASCII (json.dumps escapes every other character), so no
# name or client address can end a line early, and the log is split at "\n" only. A line
# that does not parse counts as nothing (never a success or an unlock) and is reported.
# An attempt reads the log backwards from its end only as far as the lock window reaches;
# past SIGNIN_LOG_MAX_BYTES the log is rotated to `*.signins.1.jsonl`, and the new log
# starts with the events of the window that still decide a lock (marked "carried").

SIGNIN_LOG_MAX_BYTES = 4 * 1024 * 1024
# An attempt needs the events of the last 15 minutes (the failure window and the lock).
LOCK_HORIZON = max(FAILURE_WINDOW, LOCK_FOR)
_TAIL_BLOCK = 64 * 1024
_IP_MAX = 200  # X-Forwarded-For is the client's claim: any length, any characters
_logger = logging.getLogger(__name__)


class SignInLogBroken(Exception):
    """The sign-in log cannot be written: signing in is refused, as a lock could not hold."""


@dataclass(frozen=True)
class Attempt:
    editor: Editor | None
    locked_until: datetime | None = None
    tries_left: int | None = None


@dataclass(frozen=True)
class SignIns:
    """Logged sign-in events, oldest first, and where lines could not be read."""

    events: list[dict]
    unreadable: list[str]  # "file:line" (whole reads) or "file@byte" (tail reads)
    bytes_read: int = 0


def signin_log_path() -> Path | None:
    path = auth_path()
    return None if path is None else path.with_name(path.stem + ".signins.jsonl")


def previous_signin_log_path(path: Path) -> Path:
    """Where a rotated log is kept (one generation: the carried events make it history)."""
    return path.with_name(path.name.removesuffix(".jsonl") + ".1.jsonl")


def _lock_file_path(path: Path) -> Path:
    """A file that is never rotated, so every process takes its turn on the same lock."""
    return path.with_name(path.name.removesuffix(".jsonl") + ".lock")


def _now() -> datetime:
    return datetime.now().astimezone()


def _shown_name(name: str) -> str:
    """A typed account name as it is logged: printable and short."""
    return "".join(ch for ch in name if ch.isprintable())[:100]


def _event(line: bytes) -> dict | None:
    """One log line as an event, or None where it is not one (blank lines are b"")."""
    try:
        event = json.loads(line.decode("utf-8"))
        at = datetime.fromisoformat(event["at"])
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(event.get("name"), str) or event.get("outcome") not in OUTCOMES:
        return None
    if at.tzinfo is None:
        return None
    event["at"] = at
    return event


def _read_whole(path: Path) -> tuple[list[dict], list[str]]:
    events, unreadable = [], []
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        event = _event(line)
        if event is None:
            unreadable.append(f"{path.name}:{number}")
        else:
            events.append(event)
    return events, unreadable


def read_signins() -> SignIns:
    """Every logged sign-in event, oldest first, from the log and the one it was rotated
    from (the carried copies left out), with the lines that do not parse."""
    path = signin_log_path()
    if path is None:
        return SignIns([], [])
    events, unreadable = [], []
    for part in (previous_signin_log_path(path), path):
        found, bad = _read_whole(part)
        events += [e for e in found if not e.get("carried")]
        unreadable += bad
    if unreadable:
        _logger.warning("sign-in log: unreadable lines at %s", ", ".join(unreadable))
    return SignIns(events, unreadable)


def signins() -> list[dict]:
    """Every logged sign-in event, oldest first (read_signins names unreadable lines)."""
    return read_signins().events


def read_tail(path: Path, since: datetime, block: int = _TAIL_BLOCK) -> SignIns:
    """The events from the end of the log back to the first one before `since`: all an
    attempt needs, however long the log has grown. Unreadable lines are skipped (their
    time is unknown, so reading goes on past them) and named by byte offset."""
    events: list[dict] = []
    unreadable: list[str] = []
    read = 0
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return SignIns([], [])
    with handle:
        end = handle.seek(0, os.SEEK_END)
        carry = b""  # the start of a line whose beginning is in the block before
        done = False
        while end > 0 and not done:
            start = max(0, end - block)
            handle.seek(start)
            chunk = handle.read(end - start) + carry
            read += end - start
            lines = chunk.split(b"\n")
            # the first piece may be cut: keep it for the next block, unless at the start
            carry = lines.pop(0) if start > 0 else b""
            offset = start + len(carry) + (1 if start > 0 else 0)
            offsets = []
            for line in lines:
                offsets.append(offset)
                offset += len(line) + 1
            for line, at in zip(reversed(lines), reversed(offsets), strict=True):
                if not line.strip():
                    continue
                event = _event(line)
                if event is None:
                    unreadable.append(f"{path.name}@{at}")
                elif event["at"] < since:
                    done = True
                    break
                else:
                    events.append(event)
            end = start
    if unreadable:
        _logger.warning("sign-in log: unreadable lines at %s", ", ".join(unreadable))
    return SignIns(events[::-1], unreadable[::-1], read)


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


def carried_events(events: list[dict], now: datetime) -> list[dict]:
    """The fewest events that give every account the lock state `events` give it: per
    account its last lock still running and the wrong passwords since its last reset."""
    kept: dict[str, list[dict]] = {}
    for event in events:
        mine = kept.setdefault(event["name"], [])
        if event["outcome"] in ("success", "unlocked"):
            mine.clear()
        elif event["outcome"] == "locked":
            mine[:] = [event] if event["at"] + LOCK_FOR > now else []
        elif event["outcome"] == "failure" and now - event["at"] < FAILURE_WINDOW:
            mine.append(event)
    carried = [dict(e, carried=True) for mine in kept.values() for e in mine]
    # in time order, as read_tail stops at the first event before its window
    return sorted(carried, key=lambda e: e["at"])


def _line(name: str, outcome: str, ip: str | None, at: datetime, **extra: object) -> bytes:
    event: dict[str, object] = {
        "at": at.isoformat(timespec="seconds"),
        "name": name,
        "outcome": outcome,
    }
    if ip:
        event["ip"] = ip[:_IP_MAX]
    event.update(extra)
    return (json.dumps(event, ensure_ascii=True) + "\n").encode("ascii")


class _Log:
    """The sign-in log while this process holds its lock."""

    def __init__(self, path: Path):
        self.path = path

    def tail(self, now: datetime) -> SignIns:
        try:
            return read_tail(self.path, now - LOCK_HORIZON)
        except OSError as exc:
            raise SignInLogBroken(str(self.path)) from exc

    def append(self, *lines: bytes) -> None:
        """Append whole lines, on disk before it returns; any failure (a full disk, a file
        too large) refuses the sign-in, and a line cut short is taken back where it can be."""
        data = b"".join(lines)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise SignInLogBroken(str(self.path)) from exc
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a line cut short before: never glue onto it
            try:
                _write_all(fd, data)
                _fsync(fd)
            except OSError as exc:
                try:
                    os.ftruncate(fd, size)
                except OSError:
                    pass
                raise SignInLogBroken(str(self.path)) from exc
        except OSError as exc:
            raise SignInLogBroken(str(self.path)) from exc
        finally:
            os.close(fd)

    def rotate_if_large(self, now: datetime) -> None:
        """Past the size limit, keep this log as the previous one and start anew with the
        events that still decide a lock."""
        try:
            if self.path.stat().st_size < SIGNIN_LOG_MAX_BYTES:
                return
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SignInLogBroken(str(self.path)) from exc
        carried = carried_events(self.tail(now).events, now)
        body = b"".join(
            _line(e["name"], e["outcome"], e.get("ip"), e["at"], carried=True) for e in carried
        )
        previous = previous_signin_log_path(self.path)
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".signins-")
        except OSError as exc:
            raise SignInLogBroken(str(self.path)) from exc
        try:
            try:
                _write_all(fd, body)
                _fsync(fd)
            finally:
                os.close(fd)
            previous.unlink(missing_ok=True)
            try:  # the log keeps its name throughout: a crash here loses nothing
                os.link(self.path, previous)
            except OSError:
                shutil.copyfile(self.path, previous)
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise SignInLogBroken(str(self.path)) from exc


def _fsync(fd: int) -> None:
    os.fsync(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@contextmanager
def _signin_log() -> Iterator[_Log]:
    """The sign-in log, held: one attempt at a time is judged and logged."""
    path = signin_log_path()
    if path is None:
        raise RuntimeError(AUTH_ENV)
    try:
        fd = os.open(_lock_file_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SignInLogBroken(str(path)) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield _Log(path)
    finally:
        os.close(fd)


def attempt(name: str, password: str, ip: str | None = None) -> Attempt:
    """Check a sign-in, log it, and lock the account after too many wrong passwords. While
    locked every attempt is refused, the right password too. Nobody signs in unless the
    attempt is on disk in the log."""
    if signin_log_path() is None:
        return Attempt(None)
    name = _shown_name(name)
    with _signin_log() as log:
        now = _now()
        log.rotate_if_large(now)
        mine = [e for e in log.tail(now).events if e["name"] == name]
        locked_until, tries_left = lock_state(mine, now)
        if locked_until is not None:
            log.append(_line(name, "refused", ip, now))
            return Attempt(None, locked_until=locked_until)
        editor = verify(name, password)
        if editor is not None:
            log.append(_line(name, "success", ip, now))
            return Attempt(editor)
        if tries_left <= 1:
            log.append(_line(name, "failure", ip, now), _line(name, "locked", ip, now))
            return Attempt(None, locked_until=now + LOCK_FOR)
        log.append(_line(name, "failure", ip, now))
        return Attempt(None, tries_left=tries_left - 1)


def unlock(name: str) -> None:
    """End an account's lock now (the operator's `user unlock`); logged like a sign-in."""
    with _signin_log() as log:
        log.append(_line(_shown_name(name), "unlocked", None, _now()))
