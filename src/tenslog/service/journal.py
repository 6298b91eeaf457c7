"""The service's log: one line per event on stdout (errors on stderr), shaped for journald.

Under systemd (JOURNAL_STREAM names our stdout or stderr) each line starts with a syslog
priority such as ``<6>``, which journald's stream reader takes as the line's priority, and no
time: the journal stamps every line itself. Elsewhere each line starts with the local time.
Lines carry no pain ratings or notes, and names a unit reported are shown inert."""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from datetime import datetime
from typing import TextIO

from tenslog.text import shown

# syslog priorities (sd-daemon.h: SD_ERR, SD_WARNING, SD_NOTICE, SD_INFO)
ERROR, WARNING, NOTICE, INFO = 3, 4, 5, 6


def under_journald(stream: TextIO) -> bool:
    """True if ``stream`` is the journal's stream socket: JOURNAL_STREAM is "device:inode" of
    it (a child that inherits the variable but writes elsewhere is not under journald)."""
    given = os.environ.get("JOURNAL_STREAM", "")
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return given == f"{info.st_dev}:{info.st_ino}"


class Journal:
    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.journald = under_journald(self.out) or under_journald(self.err)

    def line(self, text: str) -> str:
        """``text`` as written, without the priority: for the priority, see ``write``."""
        return shown(text) if self.journald else f"{datetime.now():%H:%M:%S} {shown(text)}"

    def write(self, priority: int, text: str) -> None:
        stream = self.err if priority <= WARNING else self.out
        prefix = f"<{priority}>" if self.journald else ""
        with suppress(OSError, ValueError):  # a closed terminal or pipe: recording goes on
            print(prefix + self.line(text), file=stream, flush=True)

    def info(self, text: str) -> None:
        self.write(INFO, text)

    def notice(self, text: str) -> None:
        self.write(NOTICE, text)

    def warning(self, text: str) -> None:
        self.write(WARNING, text)

    def error(self, text: str) -> None:
        self.write(ERROR, text)
