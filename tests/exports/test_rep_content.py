"""What the report says (issue 12 and 14): the answer first in plain words, statistics only in
the key-numbers table, the patient at the top, the notes marked for the doctor, other
treatments used unevenly, and the personal trial; everything from outside inert."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from support.report_diary import UNITS, diary, trial_result
from support.sessions import rated_session
from support.trials import make_trial
from tenslog.exports.report import build_report
from tenslog.exports.report_parts import Patient, PatientError
from tenslog.model import SessionContext, SessionKind
from tenslog.trial.analysis import analyse_trial
from tenslog.trial.plan import Deviation, StoredTrial

STATISTICS = ("Wilcoxon", "p =", "p <", "interval", "bootstrap", "rank-biserial", "Theil-Sen", "CI")


def _between(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end, page.index(start))]


def test_the_first_lines_answer_tens_against_rest_in_plain_words(settings) -> None:
    page = build_report(diary(40), settings)
    box = re.findall(r"<p>(.*?)</p>", _between(page, '<div class="box">', "</div>"))
    assert box == [
        "After TENS sessions pain fell by a median of 2 points; after rest periods it typically did not change.",
        ("So far TENS did better than resting when both started at similar pain, by about 3 points: more than "
        "chance alone would easily give. Counting every time at once they look different, but TENS and rest "
        "started at different pain, and high pain eases more on its own."),
        "17 of 30 TENS sessions were clear improvements (pain fell by at least 2 points or 30 %).",
        ("Other treatments were not used evenly (heat pad): see below. These are your own ratings, given "
        "knowing when you used the unit, so this is a guide for a talk with your doctor, not proof."),
    ]
    assert not [term for term in STATISTICS if term in " ".join(box)]
    keys = _between(page, '<table class="keys">', "</table>")
    for term in ("Wilcoxon signed-rank", "rank-biserial r", "95 % interval (percentile bootstrap)",
                 "median change, TENS minus rest"):
        assert term in keys


def test_with_both_falling_the_first_line_reads_as_one_sentence(settings) -> None:
    day = lambda i, hour: datetime(2025, 3, 3, hour, tzinfo=UTC) + timedelta(days=i)  # noqa: E731
    sessions = [rated_session(day(i, 9), 30, 7, 5, unit=UNITS[0], level=5) for i in range(8)]
    sessions += [rated_session(day(i, 15), 30, 6, 5 + i % 2, kind=SessionKind.REST) for i in range(8)]
    page = build_report(sessions, settings)
    first = re.search(r'<div class="box"><p>(.*?)</p>', page)
    assert first and first[1] == "Pain fell by a median of 2 points after TENS sessions and 0.5 points after rest periods."


def test_other_treatments_used_unevenly_are_named_beside_the_comparison(settings) -> None:
    comparison = _between(build_report(diary(40), settings), "Compared with resting without the unit", "</p>\n<h2>")
    assert ("<p>Not like for like: heat pad was used in 67% of TENS sessions (20 of 30) and 40% of rest periods "
            "(4 of 10), so part of the difference may come from heat pad, not from the unit.</p>") in comparison
    assert ("<p>TENS alone (10 sessions with no other treatment noted): typically a fall of 1 point; TENS with "
            "heat pad (20 sessions): typically a fall of 2 points.") in comparison


def test_the_patient_is_named_at_the_top_and_escaped(settings) -> None:
    patient = Patient.parse("  Anne <b>O'Neil</b> & Co ", "1961-04-23", date(2026, 1, 1))
    page = build_report(diary(40), settings, patient=patient)
    assert '<div class="patient">Anne &lt;b&gt;O&#x27;Neil&lt;/b&gt; &amp; Co · born 23 Apr 1961</div>' in page
    assert page.index('class="patient"') < page.index("<h1>")
    assert 'class="patient"' not in build_report(diary(40), settings)  # no name given: no line


@pytest.mark.parametrize(("name", "born", "message"), [
    ("Anne\x1b[31m", None, "the patient name contains a control character (U+001B); use letters, digits, spaces and punctuation"),
    ("A\u202eB", None, "the patient name contains a text-direction control character (U+202E); use letters, digits, spaces and punctuation"),
    ("   ", None, "the patient name is empty: give a name (spaces alone are not a name)"),
    ("Anne", "23/04/1961", "the date of birth '23/04/1961' is not a date: use YYYY-MM-DD, e.g. 1961-04-23"),
    ("Anne", "2026-01-02", "the date of birth 2026-01-02 is in the future"),
    ("Anne", "1890-01-01", "the date of birth 1890-01-01 is more than 130 years ago"),
])  # fmt: skip
def test_a_bad_patient_name_or_date_of_birth_is_refused_with_the_reason(name, born, message) -> None:
    with pytest.raises(PatientError) as refused:
        Patient.parse(name, born, date(2026, 1, 1))
    assert str(refused.value) == message


def test_the_notes_for_the_doctor_are_listed_newest_first_and_inert(settings) -> None:
    sessions = diary(40)
    # A database written by an older version may hold a control character: shown, not obeyed.
    sessions[35] = sessions[35].model_copy(update={"context": SessionContext.model_construct(
        note="evil\x1b[31m <script>alert(1)</script>", for_doctor=True)})
    sessions[34] = sessions[34].model_copy(update={"context": SessionContext(note="not for the doctor")})
    notes = _between(build_report(sessions, settings), "<ul class=notes>", "</ul>")
    items = re.findall(r"<li>(.*?)</li>", notes)
    assert items[0] == ("<b>23 Jan 2025</b>, rest period: <span class=note>evil\\x1b[31m "
                        "&lt;script&gt;alert(1)&lt;/script&gt;</span>")
    assert items[2] == ("<b>18 Jan 2025</b>, TENS session: <span class=note>Session 25: &lt;b&gt;felt&lt;/b&gt; "
                        "&amp; tingling / =cmd|&#x27; /C calc&#x27;!A0</span>")
    assert items[1].endswith("Used the unit on the lower back for the whole session, then rested.…</span>")
    assert len(items) == 5 and "not for the doctor" not in notes


def test_the_personal_trial_has_its_caveats_and_a_pair_chart(settings) -> None:
    page = build_report(diary(40), settings, trial=trial_result(3))
    section = _between(page, "<h2>Personal trial", '<div class="cols"><div>\n<h2>Use')
    assert "<p>Trial not finished (3 of 6 pairs): no verdict yet; the trial&#x27;s key numbers are only so far.</p>" in section
    assert "<p>Open label: you knew which period it was, so expectations can colour the ratings.</p>" in section
    assert "TENS works" not in page and "randomisation test p =" not in section  # the numbers: key table
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert "<?xml" not in page and "<script" not in page and "below 0: pain fell more in the TENS period" in svg
    keys = _between(page, '<table class="keys">', "</table>")
    assert "<td>pairs complete</td><td class=n>3 of 6</td>" in keys and "randomisation test" in keys
    assert "Personal trial" not in build_report(diary(40), settings)


def test_a_stopped_trials_reason_is_escaped(settings) -> None:
    base = make_trial()
    stopped = datetime(2026, 1, 9, 12, tzinfo=UTC)
    trial = StoredTrial(1, base.plan, stopped, (Deviation(stopped, "stopped", "<img src=x onerror=alert(1)>"),))
    page = build_report(diary(40), settings, trial=analyse_trial(trial, [], settings, date(2026, 1, 20)))
    assert "Trial stopped early (2 of 6 pairs): no verdict from a stopped trial" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
