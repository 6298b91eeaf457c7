"""The CSV export's baseline (issue 16): the same columns read with sqlite3 and written with
csv.writer by the least code that can, in a fresh Python with only sqlite3, csv and datetime:
one SELECT (each session's peak and ratings as subqueries) read row by row, each row written as
it is read, straight into the file (no temporary file, no fsync, no rename). It knows only what
the benchmark's history holds (TENS sessions with a unit, rest periods, their peak intensity and
pain ratings; no context, nothing a spreadsheet would take for a formula): its context cells
stay empty and nothing is guarded. bench_csv checks that it writes the same bytes as
``tenslog export --format csv``.

    python benchmarks/csv_baseline.py DB OUT"""

import csv
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

COLUMNS = ["id", "kind", "source", "unit", "scale", "start", "end", "duration_min", "state", "peak_intensity",
           "before", "after", "follow_up", "change", "percent_change", "responder", "note", "for_doctor",
           "treatments", "medications", "regions", "side_effects", "extra_ratings"]
QUERY = """SELECT s.id, s.kind, s.source, u.name, u.scale_kind, u.scale_max, s.start, s."end", s.state,
    s.utc_offset, s.end_offset, (SELECT max(value) FROM intensity WHERE session_id = s.id),
    (SELECT value FROM ratings WHERE session_id = s.id AND moment = 'before'),
    (SELECT value FROM ratings WHERE session_id = s.id AND moment = 'after'),
    (SELECT value FROM ratings WHERE session_id = s.id AND moment = 'follow_up')
    FROM sessions s LEFT JOIN units u ON u.id = s.unit_id ORDER BY s.start, s.id"""


def moment(seconds: float, offset: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone(timedelta(seconds=offset)))


def second(at: datetime) -> str:
    return (at + timedelta(microseconds=500_000)).replace(microsecond=0).isoformat()


def number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{round(value, digits):g}"


def main(db: str, out: str) -> None:
    c = sqlite3.connect(db)
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for sid, kind, source, unit, scale, top, start, end, state, off, end_off, peak, before, after, follow in c.execute(QUERY):
            began = moment(start, off)
            ended = None if end is None else moment(end, off if end_off is None else end_off)
            label = "" if unit is None else (f"level 1-{top:g}" if top else "level") if scale == "level" else (
                f"mA (max {top:g})" if top else "mA")
            both = before is not None and after is not None
            fall = before - after if both else 0
            writer.writerow([
                sid, kind, source, unit or "", label, second(began), "" if ended is None else second(ended),
                "" if ended is None else number((ended - began).total_seconds() / 60), state, number(peak, 3),
                "" if before is None else before, "" if after is None else after, "" if follow is None else follow,
                after - before if both else "", number((after - before) * 100 / before) if both and before else "",
                ("yes" if fall >= 2 or (before > 0 and fall > 0 and fall * 100 >= 30 * before) else "no") if both else "",
                "", "", "", "", "", "", "",
            ])  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
