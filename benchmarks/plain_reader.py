"""The ingest baseline: the least a reader of the line protocol can do. It reads a serial port
with pyserial in chunks (its readline() reads byte by byte: a baseline that slow would flatter
tenslog), splits lines and inserts every ON line's intensity into SQLite with the recorder's
cadence (a commit every 0.5 s, WAL, synchronous=FULL). An OFF line after ON lines ends the
session as the recorder does: commit, then "ended" on stdout. No CRC, no tracking, no asyncio.
Stops on SIGTERM, committing what it has.
    python -m benchmarks.plain_reader PORT DB"""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
from types import FrameType

import serial

COMMIT_SECONDS = 0.5


class Stop(Exception):
    pass


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


def main(port: str, db: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS intensity (session_id INTEGER, at REAL, value REAL)")
    signal.signal(signal.SIGTERM, _stop)
    link = serial.Serial(port, 115200, timeout=0.2)
    conn.execute("BEGIN")
    next_commit = time.monotonic() + COMMIT_SECONDS
    pending = b""
    on = False
    try:
        while True:
            *complete, pending = (pending + link.read(link.in_waiting or 1)).split(b"\n")
            for line in complete:
                if line.startswith(b"$TENS,ON,"):
                    conn.execute("INSERT INTO intensity VALUES (1, ?, ?)", (time.time(), float(line.split(b",")[2])))
                    on = True
                elif line.startswith(b"$TENS,OFF,") and on:
                    conn.execute("COMMIT")
                    conn.execute("BEGIN")
                    print("ended", flush=True)
                    on = False
            if time.monotonic() >= next_commit:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
                next_commit += COMMIT_SECONDS
    except Stop:
        pass
    conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
