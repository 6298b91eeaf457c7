"""Start a command in a pseudo-terminal (80x24) and time what a person sees: the first frame
actually painted (a marker text written to the terminal), optionally a later marker (the
unit list usable), and the process's RSS at the first frame and after some idle seconds.
The dashboard is the real ``tenslog`` command (click included); its baseline is bare_app.py,
a Textual app with one Static, started the same way."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

BARE_APP = Path(__file__).with_name("bare_app.py")
TITLE = b"tenslog"  # in the dashboard's header, and the bare app's one Static


@dataclass(frozen=True)
class Start:
    first_frame_ms: float
    ready_ms: float | None  # the second marker, if asked for
    rss_first_mb: float
    rss_idle_mb: float | None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start(args: list[str], *, ready: bytes | None = None, idle: float = 0.0, limit: float = 60.0,
          env: dict[str, str] | None = None) -> Start:
    """Spawn ``args`` on a pty; stop it (SIGTERM, then SIGKILL) once everything is measured."""
    spawned = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 80x24, as a person's
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", **(env or {})})
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    first = ready_at = None
    rss_first = 0.0
    try:
        while time.monotonic() - spawned < limit:
            if select.select([fd], [], [], 0.01)[0]:
                try:
                    seen += os.read(fd, 1 << 16)
                except OSError:
                    break
            now = time.monotonic()
            if first is None and TITLE in seen:
                first, rss_first = now, rss_mb(pid)
            if ready is not None and ready_at is None and ready in seen:
                ready_at = now
            if first is not None and (ready is None or ready_at is not None):
                break
        if first is None:
            raise RuntimeError(f"{args}: nothing painted in {limit} s:\n{seen[-2000:]!r}")
        rss_idle = None
        if idle:
            deadline = first + idle
            while time.monotonic() < deadline:  # keep reading: a full pty would stall the app
                if select.select([fd], [], [], 0.05)[0]:
                    try:
                        os.read(fd, 1 << 16)
                    except OSError:
                        break
            rss_idle = rss_mb(pid)
    finally:
        stop(pid, fd)
    return Start((first - spawned) * 1000, None if ready_at is None else (ready_at - spawned) * 1000,
                 rss_first, rss_idle)


def stop(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        if select.select([fd], [], [], 0.01)[0]:
            with contextlib.suppress(OSError):
                os.read(fd, 1 << 16)
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


def tenslog_command() -> str:
    return str(Path(sys.executable).with_name("tenslog"))
