"""Small helpers that turn numbers into words a tired patient can read."""

from __future__ import annotations


def points(value: float) -> str:
    v = abs(value)
    text = f"{v:g}" if v == int(v) else f"{v:.1f}"
    return f"{text} point" + ("" if v == 1 else "s")


def signed(value: float) -> str:
    """A change in points with its sign, for tables: "+0.5" a rise, "-0.5" a fall, "0" exactly none.
    Never a "±" or an unsigned number: a rise below one point must still read as a rise."""
    if value == 0:  # also -0.0: no change has no sign
        return "0"
    return f"{value:+g}"


def signed_change(value: float) -> str:
    """-2 -> 'a fall of 2 points'; 0 -> 'no change'."""
    if value == 0:
        return "no change"
    return ("a fall of " if value < 0 else "a rise of ") + points(value)


def score(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def effect_size_words(r: float) -> str:
    size = abs(r)
    label = "negligible" if size < 0.1 else "small" if size < 0.3 else "moderate" if size < 0.5 else "large"
    return label


def rank_biserial_words(r: float, unchanged: int) -> str:
    """What r means, exactly: it counts only the sessions whose pain changed (so -1 with some
    sessions unchanged is not "every session improved")."""
    left_out = (
        "" if not unchanged
        else f"; the {unchanged} session{'s' if unchanged != 1 else ''} with no change "
        f"{'do' if unchanged != 1 else 'does'} not count in r"
    )
    return (
        f"rank-biserial r = {r:+.2f}: -1 would mean pain fell in every session where it changed, "
        f"+1 that it rose in every one, 0 that falls and rises balance{left_out}"
    )


def more_needed(have: int, need: int, what: str) -> str:
    """``what`` is plural ("rated TENS sessions"); one of them reads as singular."""
    missing = need - have
    if have == 1 and what.endswith("s"):
        what = what[:-1]
    return (
        f"Not enough data yet: {have} {what} so far; {missing} more "
        f"{'is' if missing == 1 else 'are'} needed before tenslog shows numbers "
        "(fewer would give numbers that mean nothing)."
    )


CAVEATS = (
    "Before-and-after ratings can make any treatment look better than it is: pain that is "
    "high when you start often eases on its own (\"regression to the mean\"), and heat, "
    "medicines, stretching or rest at the same time also count. Rest periods rated the same "
    "way, without the unit, are the fairer comparison."
)


def p_value(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}" if p < 0.01 else f"p = {p:.2f}"
