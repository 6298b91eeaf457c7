"""The systemd user unit that runs `tenslog service` at login: its text, where it goes, and
installing or removing it. Nothing here talks to systemd: the user runs the one command shown."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tenslog.settings import ENV_PREFIX, environment

UNIT_NAME = "tenslog.service"
ENABLE = f"systemctl --user enable --now {UNIT_NAME}"
DISABLE = f"systemctl --user disable --now {UNIT_NAME}"
RELOAD = "systemctl --user daemon-reload"
USAGE_EXIT = 2  # click's status for a usage error: restarting would not mend it


class UnitFileError(ValueError):
    """The unit file cannot be written or removed as asked; the message says why."""


def unit_dir() -> Path:
    """Where systemd looks for the user's own units ($XDG_CONFIG_HOME/systemd/user)."""
    config = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "systemd" / "user"


def unit_path() -> Path:
    return unit_dir() / UNIT_NAME


def tenslog_command() -> list[str]:
    """This tenslog as an absolute command: the script that was run, or this Python with -m."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "tenslog" and script.is_file():
        return [os.path.abspath(script)]
    return [os.path.abspath(sys.executable), "-m", "tenslog"]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quoted(word: str) -> str:
    """One ExecStart/Environment word as systemd reads it back: % and $ doubled (specifiers and
    variables), quoted where it holds a space, quote or backslash."""
    if _CONTROL.search(word):
        raise UnitFileError(f"{word!r} holds a control character; a unit file cannot carry it")
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not re.search(r"[\s\"'\\;]", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True, slots=True)
class UnitFile:
    arguments: list[str]  # after `tenslog`: --db and the service's own options

    def text(self) -> str:
        command = " ".join(quoted(w) for w in [*tenslog_command(), *self.arguments])
        # Settings given as TENSLOG_* now are kept: the service must behave as tested by hand.
        settings = sorted((k, v) for k, v in environment().items() if k != "db")
        env = "".join(f"Environment={quoted(f'{ENV_PREFIX}{k.upper()}={v}')}\n" for k, v in settings)
        return (
            "# Written by `tenslog service install`; remove with `tenslog service uninstall`.\n"
            "[Unit]\n"
            "Description=tenslog: record TENS sessions from your units in the background\n"
            "\n"
            "[Service]\n"
            "Type=exec\n"
            f"ExecStart={command}\n"
            f"{env}"
            "Restart=on-failure\n"
            "RestartSec=10\n"
            f"RestartPreventExitStatus={USAGE_EXIT}\n"
            "# Local first: no network. Serial units are device files; Bluetooth goes through\n"
            "# BlueZ over D-Bus (a Unix socket). Nothing else is needed.\n"
            "RestrictAddressFamilies=AF_UNIX AF_BLUETOOTH\n"
            "NoNewPrivileges=yes\n"
            "UMask=0077\n"
            "\n"
            "[Install]\n"
            "WantedBy=default.target\n"
        )


def install(unit: UnitFile) -> tuple[Path, bool]:
    """Write the unit file (owner-only folder as systemd makes it); returns its path and
    whether an older, different one was replaced."""
    path = unit_path()
    text = unit.text()
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{UNIT_NAME}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # whole or not at all: systemd never reads half a unit
    except OSError as exc:
        raise UnitFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path, old is not None and old != text


def enabled_link() -> Path:
    return unit_dir() / "default.target.wants" / UNIT_NAME


def uninstall() -> Path | None:
    """Remove the unit file; None if there was none. Refused while it is still enabled, so that
    no dangling link is left behind for systemd to complain about at every login."""
    path = unit_path()
    if os.path.lexists(enabled_link()):
        raise UnitFileError(f"{UNIT_NAME} is still enabled; first run: {DISABLE}")
    if not path.exists():
        return None
    try:
        path.unlink()
    except OSError as exc:
        raise UnitFileError(f"cannot remove {path}: {exc.strerror or exc}") from None
    return path
