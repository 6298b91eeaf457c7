"""TENS against rest (tools/mutation.py compare), pinned value by value: each starting-pain band
counts and medians its own sessions (the band's edges included), a band is used from 3 of each,
like-for-like weighs the bands by their size, and the words say which way a range points exactly
at its edges (a range ending at 0 includes no difference, and says so)."""

from __future__ import annotations

import pytest

from support.known_sessions import make_session
from tenslog.analysis.compare import Band, RestComparison, compare_with_rest
from tenslog.analysis.stats import Interval
from tenslog.model import Session, SessionKind
from tenslog.settings import Settings

SETTINGS = Settings(db="/nonexistent/never-opened.db")
REST = SessionKind.REST
HEADER = ("With TENS (8 rated sessions) the typical session brought a fall of 1 point; resting without it "
          "(7 rated periods), the typical period brought no change.")
NO_LIKE_FOR_LIKE = ("There are not yet enough TENS sessions and rest periods starting at similar pain "
                    "(at least 3 of each in a pain band) to compare like with like.")
UNCLEAR = "That range includes no difference, so the data cannot yet tell TENS apart from resting."
MISLEADS = ("but that overall figure misleads here: it mixes times that started at different pain{started}, "
            "and pain that is high when you start tends to ease anyway, whatever you do (\"regression to "
            "the mean\"). So it is not a fair test of the unit.")


def group(pairs: list[tuple[int, int]], kind: SessionKind = SessionKind.TENS) -> list[Session]:
    return [make_session(b, a, day=i, kind=kind) for i, (b, a) in enumerate(pairs)]


def test_each_band_counts_its_own_sessions_and_like_for_like_weighs_bands_by_size() -> None:
    # Befores on the bands' edges (3, 4); a severe band with only 2 TENS sessions is left out.
    tens = group([(3, 2)] * 3 + [(4, 2)] * 6 + [(9, 5)] * 2)
    rest = group([(3, 3)] * 3 + [(5, 5)] * 6 + [(7, 7)] * 3, REST)  # 7: the severe band's edge
    c = compare_with_rest(tens + rest, SETTINGS)
    assert (c.tens_rated, c.rest_rated, c.needed_tens, c.needed_rest, c.enough) == (11, 12, 0, 0, True)
    assert (c.tens_median_change, c.rest_median_change, c.difference) == (-2, 0, -2)
    assert (c.tens_median_before, c.rest_median_before) == (4, 5)
    assert c.bands == (Band("mild (0-3)", 3, 3, -1, 0), Band("moderate (4-6)", 6, 6, -2, 0),
                       Band("severe (7-10)", 2, 3, -4, 0))
    assert [b.used for b in c.bands] == [True, True, False]
    assert [b.difference for b in c.bands] == [-1, -2, -4]
    # weights 3*3/6 = 1.5 and 6*6/12 = 3: (1.5 * -1 + 3 * -2) / 4.5; no spread within a band
    assert c.matched_difference == pytest.approx(-5 / 3)
    assert c.matched_ci is not None
    assert (c.matched_ci.low, c.matched_ci.high) == (pytest.approx(-5 / 3), pytest.approx(-5 / 3))
    assert c.difference_ci == Interval(-2, -1, "percentile bootstrap")
    assert not c.disagree
    assert c.plain_words() == (
        "With TENS (11 rated sessions) the typical session brought a fall of 2 points; resting without it "
        "(12 rated periods), the typical period brought no change.\n"
        "Overall, TENS sessions did 2 points better than rest (95 % range: 2 points better to 1 point "
        "better). The whole range favours TENS.\n"
        "Comparing only times that started at similar pain (mild (0-3), moderate (4-6)), TENS sessions did "
        "1.7 points better than rest (95 % range: 1.7 points better to 1.7 points better). The whole range "
        "favours TENS."
    )


def test_a_band_without_sessions_has_no_medians_and_no_difference() -> None:
    c = compare_with_rest(group([(5, 3)] * 6) + group([(5, 4)] * 6, REST), SETTINGS)
    assert c.bands[0] == Band("mild (0-3)", 0, 0, None, None)
    assert (c.bands[0].used, c.bands[0].difference) == (False, None)
    assert (c.bands[1].difference, c.matched_difference) == (-1, -1)


def test_too_few_of_both_names_both_with_their_counts() -> None:
    c = compare_with_rest(group([(6, 4)] * 5) + group([(6, 6)] * 3, REST), SETTINGS)
    assert (c.tens_rated, c.rest_rated, c.needed_tens, c.needed_rest) == (5, 3, 1, 3)
    assert (c.enough, c.difference, c.bands, c.disagree) == (False, None, (), False)
    assert c.plain_words() == (
        "Not enough rest periods to compare with yet: 3 rated so far, 3 more needed. A rest period is a "
        "time you rate your pain before and after resting the same way, without the unit. "
        "Not enough rated TENS sessions yet: 5 so far, 1 more needed."
    )
    enough_tens = compare_with_rest(group([(6, 4)] * 6) + group([(6, 6)] * 6, REST), SETTINGS)
    assert (enough_tens.needed_tens, enough_tens.needed_rest) == (0, 0)


def comparison(diff: float, ci: tuple[float, float], matched: float | None = None,
               matched_ci: tuple[float, float] | None = None,
               before: tuple[float | None, float | None] = (None, None),
               changes: tuple[float, float] = (-1.0, 0.0)) -> RestComparison:
    """A comparison with the figures given, to read its words (8 TENS sessions, 7 rest periods)."""
    return RestComparison(8, 7, 0, 0, *changes, diff, Interval(*ci, "percentile bootstrap"),
                          (Band("moderate (4-6)", 8, 7, *changes),), matched,
                          None if matched_ci is None else Interval(*matched_ci, "percentile bootstrap"),
                          *before)


@pytest.mark.parametrize(("diff", "ci", "verdict"), [
    (1.0, (0.5, 2.0), ("Overall, TENS sessions did 1 point worse than rest (95 % range: 0.5 points worse "
                      "to 2 points worse). The whole range favours resting.")),
    (0.0, (-1.0, 1.0), ("Overall, TENS sessions and rest did the same (95 % range: 1 point better to 1 point "
                       f"worse). {UNCLEAR}")),
    (0.5, (0.25, 0.75), ("Overall, TENS sessions did 0.5 points worse than rest (95 % range: 0.2 points "
                         "worse to 0.8 points worse). The whole range favours resting.")),
    (0.5, (0.0, 1.0), ("Overall, TENS sessions did 0.5 points worse than rest (95 % range: no difference to "
                      f"1 point worse). {UNCLEAR}")),
    (-0.5, (-1.0, 0.0), ("Overall, TENS sessions did 0.5 points better than rest (95 % range: 1 point better "
                        f"to no difference). {UNCLEAR}")),
])
def test_a_range_that_reaches_no_difference_cannot_tell_them_apart(diff: float, ci: tuple[float, float],
                                                                    verdict: str) -> None:
    c = comparison(diff, ci)
    assert not c.disagree
    assert c.plain_words() == "\n".join([HEADER, verdict, NO_LIKE_FOR_LIKE])


@pytest.mark.parametrize(("diff", "ci", "matched", "matched_ci", "disagree"), [
    (-0.5, (-1.0, 0.0), -0.75, (-1.0, -0.5), True),  # overall reaches 0: unclear; like-for-like favours TENS
    (0.5, (0.0, 1.0), 0.75, (0.5, 1.0), True),  # overall reaches 0: unclear; like-for-like favours rest
    (-0.5, (-1.0, 1.0), 0.5, (-1.0, 1.0), True),  # both unclear, but pointing different ways
    (0.0, (-1.0, 1.0), 0.5, (-1.0, 1.0), False),  # none against some, the same verdict: no different way
    (0.0, (-1.0, 0.0), -0.4, (-1.1, 0.2), False),  # as seen in the review: "the same" and "0.4 better"
    (0.0, (-0.5, 0.5), 0.5, (0.25, 1.0), True),  # none against some, with a different verdict
    (-0.5, (-1.0, -0.25), -1.0, (-2.0, -0.5), False),  # the same verdict and sign
    (0.0, (-1.0, 1.0), 0.0, (-0.5, 0.5), False),
])
def test_the_two_comparisons_disagree_on_a_verdict_or_a_sign(diff: float, ci: tuple[float, float], matched: float,
                                                            matched_ci: tuple[float, float], disagree: bool) -> None:
    assert comparison(diff, ci, matched, matched_ci).disagree is disagree
    assert comparison(diff, ci).disagree is False  # no like-for-like figure: nothing to disagree with


def test_when_they_disagree_the_overall_figure_is_only_a_caution_naming_the_starting_pain() -> None:
    c = comparison(-0.5, (-1.0, 1.0), 0.5, (-1.0, 1.0), before=(7.5, 3.0))
    assert c.plain_words() == "\n".join([
        ("Comparing only times that started at similar pain (moderate (4-6)), TENS sessions did 0.5 points "
        f"worse than rest (95 % range: 1 point better to 1 point worse). {UNCLEAR} This is the comparison "
        "to go by."),
        "Taken all together, TENS sessions looked 0.5 points better than rest (95 % range: 1 point better "
        "to 1 point worse), "
        + MISLEADS.format(started=" (TENS sessions at a median of 7.5 out of 10, rest periods at 3)"),
        HEADER,
    ])


def test_the_caution_does_not_name_starting_pain_that_was_the_same() -> None:
    """"it mixes times that started at different pain (6 and 6)" would contradict itself."""
    c = comparison(-0.5, (-1.0, 1.0), 0.5, (-1.0, 1.0), before=(6.0, 6.0))
    assert c.plain_words().splitlines()[1] == (
        "Taken all together, TENS sessions looked 0.5 points better than rest (95 % range: 1 point "
        "better to 1 point worse), " + MISLEADS.format(started=""))


@pytest.mark.parametrize(("diff", "ci", "looked"), [
    (0.0, (-1.0, 1.0), "TENS sessions and rest looked the same (95 % range: 1 point better to 1 point worse)"),
    (1.5, (0.5, 2.5), ("TENS sessions looked 1.5 points worse than rest (95 % range: 0.5 points worse to "
                      "2.5 points worse)")),
])
def test_the_caution_says_how_the_overall_figure_looked(diff: float, ci: tuple[float, float], looked: str) -> None:
    matched, matched_ci = (0.5, (0.25, 1.0)) if diff == 0 else (0.0, (-1.0, 1.0))  # other verdicts
    c = comparison(diff, ci, matched, matched_ci, before=(None, 3.0))  # one median unknown: not named
    lines = c.plain_words().splitlines()
    assert lines[1] == f"Taken all together, {looked}, " + MISLEADS.format(started="")
    assert lines[2] == HEADER and len(lines) == 3


def test_the_typical_changes_are_worded_as_they_are_even_none() -> None:
    words = comparison(0.0, (-1.0, 1.0), changes=(0.0, -1.0)).plain_words()
    assert words.splitlines()[0] == (
        "With TENS (8 rated sessions) the typical session brought no change; resting without it "
        "(7 rated periods), the typical period brought a fall of 1 point.")


def test_the_caution_says_worse_below_one_point_too() -> None:
    lines = comparison(0.5, (0.25, 0.75), -0.5, (-1.0, -0.25)).plain_words().splitlines()
    assert lines[1].startswith("Taken all together, TENS sessions looked 0.5 points worse than rest (95 % range: "
                               "0.2 points worse to 0.8 points worse), but")


def test_the_settings_given_decide_how_many_are_enough() -> None:
    data = group([(6, 4)] * 3) + group([(6, 6)] * 3, REST)
    assert compare_with_rest(data).needed_tens == 3  # the default: 6 of each
    three = compare_with_rest(data, Settings(db="/nonexistent/never-opened.db", min_rated_sessions=3))
    assert (three.enough, three.difference, three.bands[1].used) == (True, -2, True)
