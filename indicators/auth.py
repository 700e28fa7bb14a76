"""Editor accounts: a file outside git named by LOWCARBON_AUTH, passwords hashed with
Argon2 (argon2-cffi). An editor may be limited to some 街镇; without a limit they are a
district editor and may change every 街镇. With no file configured, editing is off."""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

AUTH_ENV = "LOWCARBON_AUTH"
_hasher = PasswordHasher()


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
