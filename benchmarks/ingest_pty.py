"""Ingest through the real path: ``tenslog record --driver line-serial`` reading a pseudo-
terminal that this process feeds as fast as the reader takes the lines (blocking writes),
against ``benchmarks/plain_reader.py`` (pyserial + sqlite3, the same commit cadence) fed the
same way. Every line changes the level. The run ends with an OFF line, which ends the session:
the rate is the events actually stored (read from the database after the reader stopped) over
the time from the first line written to the reader saying the session ended (committed). The
moment the last byte left the terminal would flatter a reader that buffers (asyncio's streams
hold up to 128 KB)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import time
import tty
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import ROOT
from tenslog.model import IntensityScale
from tenslog_serial.lineproto import LineStatus, encode_line

SCALE = IntensityScale(kind="level", maximum=100)
IDLE = encode_line(LineStatus(on=False, intensity=0.0, scale=SCALE))  # tells us the reader is there
CHUNK = 64  # lines per write(): the writer is not the bottleneck


@dataclass(frozen=True)
class Ingest:
    stored: int  # events in the database after the reader stopped
    seconds: float  # first line written -> last line taken by the reader

    @property
    def rate(self) -> float:
        return self.stored / self.seconds


def lines(n: int) -> list[bytes]:
    return [encode_line(LineStatus(on=True, intensity=float(1 + i % 99), scale=SCALE)) for i in range(n)]


def unread(fd: int) -> int:
    """Bytes written to the terminal that its reader has not taken yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def _wait_for_line(proc: subprocess.Popen[bytes], word: bytes, timeout: float) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError(f"no {word!r} from the reader")
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the reader exited before the session ended")
        if word in line:
            return


def _wait(check: object, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.002)


def feed(command: list[str], db: Path, n: int, table: str, env: dict[str, str] | None = None) -> Ingest:
    """Start ``command`` (it opens the port given in PORT), feed it ``n`` lines, stop it with
    SIGTERM and count the rows of ``table`` in ``db``."""
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)  # no echo, no line discipline: bytes as a USB-serial port gives them
    port = os.ttyname(slave)
    proc = subprocess.Popen([a.replace("PORT", port) for a in command], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    try:
        # Lines written before the reader opened the port are flushed by pyserial's open; the
        # idle line stays unread until the reader has the port open and reads (or flushes) it.
        # The kernel hands written bytes to the terminal's reader side a moment later (the
        # flip buffer): wait to see the idle line there before waiting for it to be taken.
        os.write(master, IDLE)  # OFF with no session open: ends nothing
        _wait(lambda: unread(slave) > 0, "the idle line never reached the terminal", 5)
        _wait(lambda: unread(slave) == 0 or proc.poll() is not None, "the reader never opened the port", 60)
        if proc.poll() is not None:
            raise RuntimeError(f"{command} exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        data = [*lines(n), IDLE]
        started = time.perf_counter()
        for k in range(0, len(data), CHUNK):
            os.write(master, b"".join(data[k : k + CHUNK]))  # blocks while the terminal is full
        _wait_for_line(proc, b"ended", 120)
        seconds = time.perf_counter() - started
        proc.send_signal(signal.SIGTERM)
        err = proc.communicate(timeout=30)[1]
        if proc.returncode not in (0, -signal.SIGTERM):
            raise RuntimeError(f"{command} failed ({proc.returncode}): {err.decode()[-2000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
    with sqlite3.connect(db) as conn:
        stored = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return Ingest(stored, seconds)


def tenslog_record(folder: Path, n: int, round_: int) -> Ingest:
    db = folder / f"record-{round_}.db"
    exe = str(Path(sys.executable).with_name("tenslog"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return feed([exe, "--db", str(db), "record", "--driver", "line-serial", "--option", "port=PORT"],
                db, n, "intensity", env)


def plain_reader(folder: Path, n: int, round_: int) -> Ingest:
    db = folder / f"plain-{round_}.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return feed([sys.executable, "-m", "benchmarks.plain_reader", "PORT", str(db)], db, n, "intensity", env)


def fsync_ms(folder: Path, repeat: int = 50) -> float:
    """The disk's fsync time, median of ``repeat``: a small write to a file in ``folder`` then fsync."""
    times = []
    fd = os.open(folder / "fsync-probe", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for i in range(repeat):
            os.pwrite(fd, f"{i:08d}".encode() * 64, 0)
            started = time.perf_counter()
            os.fsync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
    return statistics.median(times) * 1000
