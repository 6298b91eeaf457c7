"""Rating a session again (`tenslog rate` over an existing rating) stores the new value in
place of the old one (issue 17: a store keeping the old value survived). The real command in
a subprocess and the real database file; the dashboard's re-rating is in
tests/ui/test_pinned_ui_zone_and_ratings.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core.test_cli import run
from tenslog.model import RatingMoment
from tenslog.store import Store


def _ratings(db: Path) -> dict[str, tuple[int, datetime]]:
    with Store.open(db) as store:
        [session] = store.sessions()
    assert len({r.moment for r in session.ratings}) == len(session.ratings), "one rating per moment"
    return {r.moment.value: (r.value, r.at) for r in session.ratings}


def test_rate_over_an_existing_after_rating_stores_the_new_value(db_path: Path) -> None:
    added = run(db_path, "add", "--start", "2026-01-05 09:30", "--duration", "45", "--before", "7", "--after", "4")
    assert added.returncode == 0, added.stderr
    first = _ratings(db_path)
    rated = run(db_path, "rate", "1", "--after", "2")
    said = rated.stdout.splitlines()
    assert (rated.returncode, said[0]) == (0, "Rated session 1 (tens, Mon 05 Jan 09:30): after: 4 -> 2."), rated.stderr
    assert said[1:] == [("The after rating is kept, but the summary leaves it out: it was given "
                        "more than 30 min from the session's end.")], "a rating given months later is late"
    again = _ratings(db_path)
    assert again["before"] == first["before"], "the rating not given is left alone"
    assert again["after"][0] == 2
    assert again["after"][1] > first["after"][1], "the new rating carries the time it was given"


def test_rate_last_changes_every_given_moment_at_once(db_path: Path) -> None:
    run(db_path, "add", "--duration", "30", "--before", "6", "--after", "5")
    rated = run(db_path, "rate", "last", "--before", "8", "--after", "3", "--follow-up", "2")
    assert rated.returncode == 0, rated.stderr
    values = {moment: value for moment, (value, _) in _ratings(db_path).items()}
    assert values == {RatingMoment.BEFORE.value: 8, RatingMoment.AFTER.value: 3, RatingMoment.FOLLOW_UP.value: 2}
    assert " -5 " in run(db_path, "list").stdout  # the change shown is the new one: 3 - 8


def test_a_refused_re_rating_keeps_the_old_value(db_path: Path) -> None:
    run(db_path, "add", "--duration", "30", "--before", "6", "--after", "5")
    refused = run(db_path, "rate", "1", "--after", "11")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert _ratings(db_path)["after"][0] == 5
