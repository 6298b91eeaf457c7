"""CSV times are to the second (issue 12: a recorded session's times carried microseconds)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from support.exchange_sessions import CET, tens
from tenslog.exports import to_csv


def test_recorded_times_are_rounded_to_the_second_in_csv(settings) -> None:
    recorded = tens(0, 6, 3)
    start = datetime(2025, 3, 3, 9, 0, 0, 612_345, tzinfo=CET)  # a recorder's clock reading
    end = start + timedelta(minutes=20, seconds=4, microseconds=100_000)
    session = recorded.model_copy(update={"start": start, "end": end, "intensity": (), "gaps": (), "ratings": ()})
    row = next(csv.DictReader(io.StringIO(to_csv([session], settings))))
    assert (row["start"], row["end"]) == ("2025-03-03T09:00:01+01:00", "2025-03-03T09:20:05+01:00")
    assert row["duration_min"] == "20.1"
