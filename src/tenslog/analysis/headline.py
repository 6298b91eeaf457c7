"""The first lines of the report: TENS against rest in plain words, with no statistical terms
(those go to the key-numbers table). Built from the same Summary and RestComparison as the
summary and the dashboard, so all three give the same answer."""

from __future__ import annotations

from tenslog.analysis import words
from tenslog.analysis.compare import RestComparison
from tenslog.analysis.summary import Summary
from tenslog.text import shown

HONEST = (
    "These are your own ratings, given knowing when you used the unit, so this is a guide for a "
    "talk with your doctor, not proof."
)


def _moved(change: float) -> str:
    """'fell by a median of 2 points', 'rose by a median of 1 point', 'typically did not change'."""
    if change == 0:
        return "typically did not change"
    return f"{'fell' if change < 0 else 'rose'} by a median of {words.points(change)}"


def _medians(c: RestComparison) -> str:
    tens, rest = c.tens_median_change or 0.0, c.rest_median_change or 0.0
    if tens < 0 and rest < 0:
        return (f"Pain fell by a median of {words.points(tens)} after TENS sessions and "
                f"{words.points(rest)} after rest periods.")
    return f"After TENS sessions pain {_moved(tens)}; after rest periods it {_moved(rest)}."


def _verdict(c: RestComparison) -> str:
    """What the fairer comparison says: like for like when it and the overall one disagree."""
    like_for_like = c.disagree
    diff = c.matched_difference if like_for_like else c.difference
    ci = c.matched_ci if like_for_like else c.difference_ci
    assert diff is not None and ci is not None
    where = " when both started at similar pain" if like_for_like else ""
    if ci.high < 0:
        text = (f"So far TENS did better than resting{where}, by about {words.points(diff)}: "
                "more than chance alone would easily give.")
    elif ci.low > 0:
        text = (f"So far resting did better than TENS{where}, by about {words.points(diff)}: "
                "more than chance alone would easily give.")
    else:
        text = (f"So far the ratings cannot tell TENS apart from resting{where}: with this many "
                "ratings, a difference of this size could be chance.")
    if like_for_like:
        text += (" Counting every time at once they look different, but TENS and rest started "
                 "at different pain, and high pain eases more on its own.")
    return text


def _rest_needed(c: RestComparison) -> str:
    return (f"Not enough rest periods to compare with yet: {c.rest_rated} rated so far, "
            f"{c.needed_rest} more needed (pain rated before and after resting the same way, "
            "without the unit).")


def headline(summary: Summary, comparison: RestComparison) -> list[str]:
    """A few plain sentences, the answer first."""
    if not summary.enough:
        first = words.more_needed(summary.rated, summary.rated + summary.needed, "rated TENS sessions")
        return [first, _rest_needed(comparison)] if comparison.needed_rest else [first]
    lines = []
    if comparison.enough:
        lines += [_medians(comparison), _verdict(comparison)]
    elif not comparison.needed_rest:
        lines += [summary.plain_words().splitlines()[0], comparison.plain_words()]
    else:
        lines += [summary.plain_words().splitlines()[0], _rest_needed(comparison)]
    lines.append(
        f"{summary.responders} of {summary.rated} TENS sessions were clear improvements (pain fell by "
        f"at least {summary.responder_points} points or {summary.responder_percent:g} %)."
    )
    if comparison.co_treatments.imbalances:
        names = ", ".join(shown(i.name) for i in comparison.co_treatments.imbalances)
        lines.append(f"Other treatments were not used evenly ({names}): see below. {HONEST}")
    else:
        lines.append(HONEST)
    return lines
