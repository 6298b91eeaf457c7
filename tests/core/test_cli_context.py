"""Issue 12 on the command line, typed as a user would (the installed `tenslog` in a
subprocess, a real database file): the remembered unit, `rate last`, duplicates, and the
context of a session (note, other treatments, where it hurts, side effects, extra ratings)."""

from __future__ import annotations

from pathlib import Path

from tenslog.model import RatingMoment, Treatment
from tenslog.store import Store
from tenslog.vocabulary import BodyRegion, SideEffect

from .test_cli import count, run


def stored(db: Path) -> list:
    with Store.open(db) as store:
        return store.sessions(newest_first=False)


def test_add_remembers_the_unit_and_its_scale(db_path: Path) -> None:
    first = run(db_path, "add", "--duration", "30", "--intensity", "12", "--scale", "level:20", "--unit", "My unit",
                "--before", "7", "--after", "4")
    assert first.returncode == 0, first.stderr
    # Neither --unit nor --scale: the same unit, on its 1-20 scale (this failed before issue 12).
    again = run(db_path, "add", "--duration", "20", "--intensity", "15", "--before", "6", "--after", "5")
    assert again.returncode == 0, again.stderr
    assert "'My unit' (level 1-20)" in again.stdout
    # Even without an intensity, a TENS session typed in is with the remembered unit.
    third = run(db_path, "add", "--duration", "10", "--before", "5")
    assert third.returncode == 0 and "'My unit' (level 1-20)" in third.stdout
    sessions = stored(db_path)
    assert [s.unit.name for s in sessions] == ["My unit"] * 3
    assert {(s.unit.scale.kind, s.unit.scale.maximum) for s in sessions} == {("level", 20)}
    assert [s.peak_intensity for s in sessions] == [12, 15, None]
    # A rest period still has no unit.
    rest = run(db_path, "add", "--kind", "rest", "--duration", "30", "--before", "6", "--after", "6")
    assert rest.returncode == 0 and max(stored(db_path), key=lambda s: s.id).unit is None


def test_rate_last_is_the_session_entered_last_and_says_what_changed(db_path: Path) -> None:
    assert run(db_path, "add", "--start", "2026-01-10 18:00", "--duration", "30", "--before", "6", "--after", "4").returncode == 0
    # Entered later, but it started earlier: "last" is this one, not the newest start.
    older = run(db_path, "add", "--start", "2026-01-09 09:00", "--duration", "30", "--before", "7", "--after", "4")
    assert older.returncode == 0, older.stderr
    rated = run(db_path, "rate", "last", "--after", "3")
    assert rated.returncode == 0, rated.stderr
    assert "Rated session 2 (tens, Fri 09 Jan 09:00): after: 4 -> 3." in rated.stdout
    first, second = sorted(stored(db_path), key=lambda s: s.id)
    assert (first.before, first.after) == (6, 4)  # the newest start is untouched
    assert (second.before, second.after) == (7, 3)
    new = run(db_path, "rate", "1", "--follow-up", "2")
    assert "follow_up: 2." in new.stdout and "->" not in new.stdout


def test_add_refuses_an_exact_duplicate_as_import_does(db_path: Path) -> None:
    args = ("add", "--start", "2026-01-05 09:30", "--duration", "45", "--intensity", "7", "--scale", "level:20",
            "--unit", "Beurer EM49", "--before", "7", "--after", "4")
    assert run(db_path, *args).returncode == 0
    twice = run(db_path, *args)
    assert twice.returncode == 1
    assert "already in the database as session 1 (same start, kind and unit); nothing was saved" in twice.stderr
    assert count(db_path) == 1
    # A rest period at the same time is another session.
    assert run(db_path, "add", "--kind", "rest", "--start", "2026-01-05 09:30", "--duration", "45").returncode == 0
    assert count(db_path) == 2


def test_add_with_the_whole_context(db_path: Path) -> None:
    assert run(db_path, "ratings", "add", "stiffness/spasm").returncode == 0
    added = run(db_path, "add", "--duration", "30", "--before", "7", "--after", "4",
                "--with", "heat pad", "--with", "tizanidine 2 mg", "--where", "neck", "--where", "Lower back",
                "--side-effect", "drowsiness", "--note", "Slept badly.\nSpasm at night.", "--for-doctor",
                "--extra-before", "stiffness/spasm=6", "--extra-after", "Stiffness/Spasm=3")
    assert added.returncode == 0, added.stderr
    assert "with: heat pad, tizanidine 2 mg" in added.stdout and "where: neck, lower back" in added.stdout
    (s,) = stored(db_path)
    c = s.context
    assert c.treatments == (Treatment(name="heat pad"), Treatment(name="tizanidine", dose="2 mg", medication=True))
    assert c.regions == (BodyRegion.NECK, BodyRegion.LOWER_BACK)
    assert c.side_effects == (SideEffect.DROWSINESS,)
    assert (c.note, c.for_doctor) == ("Slept badly.\nSpasm at night.", True)
    assert (c.extra("stiffness/spasm", RatingMoment.BEFORE), c.extra("stiffness/spasm", RatingMoment.AFTER)) == (6, 3)


def test_bad_context_is_named_and_nothing_is_saved(db_path: Path) -> None:
    where = run(db_path, "add", "--duration", "30", "--where", "knee")
    assert where.returncode == 2
    assert "'knee' is not one of 'neck', 'upper back', 'lower back', 'shoulders', 'arms', 'hips', 'legs', 'other'" in where.stderr
    effect = run(db_path, "add", "--duration", "30", "--side-effect", "itch")
    assert effect.returncode == 2 and "'skin irritation', 'drowsiness', 'more spasm', 'other'" in effect.stderr
    treatment = run(db_path, "add", "--duration", "30", "--with", "yoga")
    assert treatment.returncode == 2
    assert "'yoga' is not on your list of treatments ('heat pad', 'pain-relief patch', 'stretching', 'rest', 'medication')" in treatment.stderr
    assert "tenslog treatments add 'yoga'" in treatment.stderr
    extra = run(db_path, "add", "--duration", "30", "--extra-after", "spasm=3")
    assert extra.returncode == 2 and "no extra rating is called 'spasm' (defined: none yet)" in extra.stderr
    note = run(db_path, "add", "--duration", "30", "--note", "bad \x1b[31m red")
    assert note.returncode == 2 and "--note: contains a control character (U+001B)" in note.stderr
    assert count(db_path) == 0


def test_note_and_context_change_an_existing_session(db_path: Path) -> None:
    assert run(db_path, "add", "--duration", "30", "--before", "6").returncode == 0
    noted = run(db_path, "note", "last", "First line\n\tindented", "--for-doctor")
    assert noted.returncode == 0 and "(2 lines, for the doctor)" in noted.stdout
    changed = run(db_path, "context", "last", "--with", "stretching", "--where", "hips", "--side-effect", "more spasm")
    assert changed.returncode == 0, changed.stderr
    shown = "  with: stretching\n  where: hips\n  side effects: more spasm\n  note (for the doctor):\n    First line\n    \tindented\n"
    assert shown in changed.stdout
    more = run(db_path, "context", "1", "--with", "Stretching", "--where", "legs")  # given twice: kept once
    assert more.returncode == 0
    (s,) = stored(db_path)
    assert s.context.treatments == (Treatment(name="stretching"),)
    assert s.context.regions == (BodyRegion.HIPS, BodyRegion.LEGS)
    assert (s.context.note, s.context.for_doctor) == ("First line\n\tindented", True)
    assert s.before == 6  # the rest of the session is as it was
    cleared = run(db_path, "context", "1", "--clear")
    assert cleared.returncode == 0
    (s,) = stored(db_path)
    assert (s.context.treatments, s.context.regions, s.context.side_effects) == ((), (), ())
    assert s.context.note == "First line\n\tindented"
    assert run(db_path, "note", "1", "").returncode == 0
    assert stored(db_path)[0].context.note == ""


def test_the_lists_a_person_edits(db_path: Path) -> None:
    assert run(db_path, "treatments", "add", "tizanidine", "--dose", "2 mg").returncode == 0
    assert run(db_path, "treatments", "remove", "rest").returncode == 0
    listed = run(db_path, "treatments").stdout.split("\n")
    assert [line.strip() for line in listed if line.strip()] == [
        "heat pad", "pain-relief patch", "stretching", "medication (medication)", "tizanidine 2 mg (medication)",
    ]  # fmt: skip
    twice = run(db_path, "treatments", "add", "Heat pad")
    assert twice.returncode == 1 and "'Heat pad' is on the list already" in twice.stderr
    # The listed medicine comes with its usual dose.
    assert run(db_path, "add", "--duration", "30", "--with", "tizanidine").returncode == 0
    assert stored(db_path)[0].context.treatments == (Treatment(name="tizanidine", dose="2 mg", medication=True),)
    assert "No extra ratings yet" in run(db_path, "ratings").stdout  # off by default
    assert run(db_path, "ratings", "add", "stiffness/spasm").returncode == 0
    assert run(db_path, "ratings", "off", "Stiffness/Spasm").returncode == 0
    assert run(db_path, "ratings").stdout.strip() == "stiffness/spasm: off"
    unknown = run(db_path, "ratings", "on", "fatigue")
    assert unknown.returncode == 1 and "no extra rating is called 'fatigue'" in unknown.stderr
