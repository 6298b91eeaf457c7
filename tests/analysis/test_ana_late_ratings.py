"""Late ratings (issue 13): a rating is stored with the time it was given; the analysis counts
a "before" only up to before_rating_minutes after the start and an "after" only within
after_rating_minutes of the end, and the summary says how many it left out."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from support.known_sessions import make_session
from support.warm_cli import run_tenslog
from tenslog.analysis import compare_with_rest, summarize
from tenslog.model import RatingMoment, Session
from tenslog.settings import Settings
from tenslog.store import Store

TENSLOG = str(Path(sys.executable).with_name("tenslog"))
PAIRS = [(6, 4), (7, 3), (5, 5), (8, 7), (6, 2), (4, 5), (7, 4), (6, 4)]


def given_at(session: Session, moment: RatingMoment, at: datetime) -> Session:
    """The same session with one rating given at another time."""
    ratings = tuple(r.model_copy(update={"at": at}) if r.moment is moment else r for r in session.ratings)
    return session.model_copy(update={"ratings": ratings})


def history() -> list[Session]:
    on_time = [make_session(b, a, day=i) for i, (b, a) in enumerate(PAIRS)]
    late = [make_session(9, 1, day=10), make_session(9, 1, day=11), make_session(2, 9, day=12)]
    end = late[0].end
    assert end is not None
    return [
        *on_time,
        # The borders count: a "before" 10 min after the start, an "after" 30 min after the end.
        given_at(make_session(6, 4, day=8), RatingMoment.BEFORE, make_session(6, 4, day=8).start + timedelta(minutes=10)),
        given_at(make_session(6, 4, day=9), RatingMoment.AFTER, make_session(6, 4, day=9).start + timedelta(minutes=60)),
        # Late: an "after" given the next morning, another two hours on, a "before" 11 min in.
        given_at(late[0], RatingMoment.AFTER, end + timedelta(hours=20)),
        given_at(late[1], RatingMoment.AFTER, late[1].start + timedelta(hours=2, minutes=31)),
        given_at(late[2], RatingMoment.BEFORE, late[2].start + timedelta(minutes=11)),
    ]


def test_late_ratings_are_left_out_and_counted_from_the_database(tmp_path: Path, settings: Settings) -> None:
    with Store.open(tmp_path / "tenslog.db") as store:
        store.add_sessions(history())
        figures = store.figures()
    summary = summarize(figures, settings)
    assert (summary.sessions, summary.rated, summary.late) == (13, 10, 3)
    # The ten on-time changes only: the late ones (two falls of 8 points) would make 9.
    assert summary.responders == 7
    lines = summary.plain_words().splitlines()
    assert lines[-2] == ('3 ratings were left out as late: a "before" counts when given before the session '
                         'or within 10 min of its start, an "after" within 30 min of its end.')
    assert ("ratings left out as late", "3") in summary.key_numbers()


def test_whole_sessions_and_figures_agree(settings: Settings, tmp_path: Path) -> None:
    with Store.open(tmp_path / "tenslog.db") as store:
        store.add_sessions(history())
        figures, sessions = store.figures(), store.sessions(newest_first=False)
    assert summarize(sessions, settings) == summarize(figures, settings)
    assert compare_with_rest(sessions, settings) == compare_with_rest(figures, settings)


def test_wider_windows_count_them(settings: Settings) -> None:
    wide = Settings(db=settings.db, before_rating_minutes=11, after_rating_minutes=24 * 60)
    summary = summarize(history(), wide)
    assert (summary.rated, summary.late) == (13, 0)
    assert "late" not in summary.plain_words()


def test_a_rating_given_hours_later_on_the_command_line_is_kept_but_left_out(tmp_path: Path) -> None:
    env = {**os.environ, "TENSLOG_DB": str(tmp_path / "tenslog.db")}
    start = datetime.now() - timedelta(hours=3)
    began = start.strftime("%Y-%m-%d %H:%M")

    def run(*args: str) -> str:
        done = run_tenslog(list(args), env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("add", "--start", began, "--duration", "30", "--before", "7")
    told = run("rate", "last", "--after", "3")  # two and a half hours after the end
    assert told == (f"Rated session 1 (tens, {start:%a %d %b %H:%M}): after: 3.\nThe after rating is kept, but the summary leaves it out: "
                    "it was given more than 30 min from the session's end.\n")
    with Store.open(tmp_path / "tenslog.db") as store:
        (session,) = store.sessions()
    assert session.after == 3  # stored, with its own time
    rating = next(r for r in session.ratings if r.moment is RatingMoment.AFTER)
    assert session.end is not None and rating.at - session.end > timedelta(hours=2)
    assert "1 rating was left out as late" in run("summary")
