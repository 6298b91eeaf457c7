"""A ten-year history (3 sessions a day, intensity changes, ratings, some rest periods) written
straight into a tenslog database, for benchmarks and scale tests."""

from __future__ import annotations

import random
import time
from pathlib import Path

from tenslog.model import Unit
from tenslog.store import Store

DAY = 86_400.0


def build_history(path: Path, years: float = 10, per_day: int = 3, seed: int = 7) -> int:
    rng = random.Random(seed)
    end = time.time() - DAY
    days = int(years * 365.25)
    with Store.open(path) as store:
        unit_id = store.ensure_unit(Unit(driver="bench", identity="u1", name="Bench unit"))
        sessions, intensity, ratings = [], [], []
        sid = 0
        for day in range(days):
            midnight = end - (days - day) * DAY
            for slot in range(per_day):
                sid += 1
                start = midnight + (8 + slot * 5) * 3600 + rng.uniform(0, 1800)
                duration = rng.uniform(20, 60) * 60
                rest = sid % 6 == 0
                sessions.append((sid, "rest" if rest else "tens", "manual" if rest else "bench",
                                 None if rest else unit_id, start, start + duration, "complete",
                                 start + duration, 0))
                if not rest:
                    for k in range(rng.randint(3, 6)):
                        intensity.append((sid, start + k * 60, float(rng.randint(4, 14))))
                before = rng.randint(3, 8)
                ratings.append((sid, "before", before, start))
                ratings.append((sid, "after", max(0, before - rng.randint(0, 3 if not rest else 1)), start + duration))
        with store.transaction() as c:
            c.executemany('INSERT INTO sessions (id, kind, source, unit_id, start, "end", state, heartbeat, utc_offset)'
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
            c.executemany("INSERT INTO intensity (session_id, at, value) VALUES (?, ?, ?)", intensity)
            c.executemany("INSERT INTO ratings (session_id, moment, value, at) VALUES (?, ?, ?, ?)", ratings)
        return sid
