"""A long history (3 sessions a day, intensity changes, ratings, a rest period in six) written
straight into a tenslog database, for benchmarks and scale tests. Built with numpy and one
executemany per table in one transaction (fifty years in about a second), and kept under the
temp folder for the day so that a benchmark run builds each size once."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from tenslog.model import Unit
from tenslog.store import Store

DAY = 86_400.0


def build_history(path: Path, years: float = 10, per_day: int = 3, seed: int = 7) -> int:
    rng = np.random.default_rng(seed)
    end = time.time() - DAY
    days = int(years * 365.25)
    n = days * per_day
    sid = np.arange(1, n + 1)
    day, slot = np.divmod(np.arange(n), per_day)
    start = end - (days - day) * DAY + (8 + slot * 5) * 3600 + rng.uniform(0, 1800, n)
    stop = start + rng.uniform(20, 60, n) * 60
    rest = sid % 6 == 0
    before = rng.integers(3, 9, n)
    after = np.maximum(0, before - np.where(rest, rng.integers(0, 2, n), rng.integers(0, 4, n)))
    changes = np.where(rest, 0, rng.integers(3, 7, n))  # intensity changes per TENS session
    owner = np.repeat(sid, changes)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(changes) - changes, changes)
    at = np.repeat(start, changes) + k * 60
    level = rng.integers(4, 15, len(owner)).astype(float)
    with Store.open(path) as store:
        unit_id = store.ensure_unit(Unit(driver="bench", identity="u1", name="Bench unit"))
        sessions = zip(sid.tolist(), np.where(rest, "rest", "tens").tolist(),
                       np.where(rest, "manual", "bench").tolist(),
                       [None if r else unit_id for r in rest.tolist()], start.tolist(), stop.tolist(),
                       ["complete"] * n, stop.tolist(), [0] * n, strict=True)
        ratings = [*zip(sid.tolist(), ["before"] * n, before.tolist(), start.tolist(), strict=True),
                   *zip(sid.tolist(), ["after"] * n, after.tolist(), stop.tolist(), strict=True)]
        with store.transaction() as c:
            c.executemany('INSERT INTO sessions (id, kind, source, unit_id, start, "end", state, heartbeat, utc_offset)'
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
            c.executemany("INSERT INTO intensity (session_id, at, value) VALUES (?, ?, ?)",
                          zip(owner.tolist(), at.tolist(), level.tolist(), strict=True))
            c.executemany("INSERT INTO ratings (session_id, moment, value, at) VALUES (?, ?, ?, ?)", ratings)
        return n


def cached_history(years: float) -> Path:
    """The history of ``years`` built today, from the cache under the temp folder (built on
    first use). Readers only: a benchmark that writes must copy it."""
    folder = Path(tempfile.gettempdir()) / f"tenslog-bench-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"history-{years:g}y-{time.strftime('%Y%m%d')}.db"
    if not path.exists():
        building = path.with_suffix(f".{os.getpid()}.part")
        build_history(building, years=years)
        building.replace(path)  # whole or not at all, should two runs build at once
    return path


def history_for(size: str, years: float, tmp: Path) -> Path:
    """The history a benchmark reads: the cached one, or for CI's smoke run a tiny one built
    afresh in ``tmp`` (no cache left behind by CI)."""
    if size != "smoke":
        return cached_history(years)
    path = tmp / "tenth.db"
    if not path.exists():
        build_history(path, years=years)
    return path
