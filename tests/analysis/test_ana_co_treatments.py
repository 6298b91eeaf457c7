"""Other treatments used unevenly between TENS and rest are named beside the comparison, and
with enough sessions TENS alone is set against TENS with that treatment (issue 12)."""

from __future__ import annotations

from click.testing import CliRunner

from tenslog.analysis import compare_with_rest
from tenslog.analysis.co_treatments import co_treatment_balance
from tenslog.cli.main import cli
from tenslog.model import SessionContext, SessionKind, Treatment
from tenslog.store.store import Store

HEAT = SessionContext(treatments=(Treatment(name="heat pad"),))


def _with(session, context: SessionContext = HEAT):
    return session.model_copy(update={"context": context})


def _diary(make_session):
    """10 TENS sessions, 7 with the heat pad (pain 6 -> 3) and 3 alone (6 -> 5); 10 rest
    periods, 1 with the heat pad; all rest 6 -> 6."""
    tens = [_with(make_session(6, 3, day=i)) for i in range(7)]
    tens += [make_session(6, 5, day=i) for i in range(7, 10)]
    rest = [make_session(6, 6, day=i, hour=15, kind=SessionKind.REST) for i in range(10)]
    rest[0] = _with(rest[0])
    return tens + rest


NOTE = ("Not like for like: heat pad was used in 70% of TENS sessions (7 of 10) and 10% of rest "
        "periods (1 of 10), so part of the difference may come from heat pad, not from the unit.")


def test_an_uneven_heat_pad_is_named_beside_the_comparison(make_session, settings) -> None:
    data = _diary(make_session)
    assert co_treatment_balance(data, settings).plain_words() == NOTE  # 3 alone: too few to split
    words = compare_with_rest(data, settings).plain_words().splitlines()
    assert words[-1] == NOTE


def test_with_enough_sessions_tens_alone_is_set_against_tens_with_it(make_session, settings) -> None:
    data = _diary(make_session) + [make_session(6, 5, day=i) for i in range(10, 12)]  # 5 alone now
    assert co_treatment_balance(data, settings).plain_words().splitlines() == [
        ("Not like for like: heat pad was used in 58% of TENS sessions (7 of 12) and 10% of rest "
         "periods (1 of 10), so part of the difference may come from heat pad, not from the unit."),
        ("TENS alone (5 sessions with no other treatment noted): typically a fall of 1 point; "
         "TENS with heat pad (7 sessions): typically a fall of 3 points."),
    ]


def test_the_threshold_is_20_points_and_case_does_not_split_a_name(make_session, settings) -> None:
    tens = [_with(make_session(6, 4, day=i)) for i in range(7)] + [make_session(6, 4, day=i) for i in range(7, 10)]

    def rest_with(n: int) -> list:
        heat = SessionContext(treatments=(Treatment(name="Heat Pad"),))  # the same as "heat pad"
        rest = [make_session(6, 6, day=i, hour=15, kind=SessionKind.REST) for i in range(10)]
        return [_with(r, heat) for r in rest[:n]] + rest[n:]

    (found,) = co_treatment_balance(tens + rest_with(5), settings).imbalances  # 70 % against 50 %
    assert (found.name, found.tens_with, found.rest_with) == ("heat pad", 7, 5)
    assert co_treatment_balance(tens + rest_with(6), settings).imbalances == ()  # 70 % against 60 %
    assert "Not like for like" not in compare_with_rest(tens + rest_with(6), settings).plain_words()


def test_tenslog_summary_says_it_beside_the_comparison(make_session, tmp_path) -> None:
    db = tmp_path / "tenslog.db"
    with Store.open(db) as store:
        store.add_sessions(_diary(make_session))
    out = CliRunner().invoke(cli, ["--db", str(db), "summary"]).output
    comparison = out[out.index("TENS compared with rest"):out.index("\nUse\n")]
    assert comparison.rstrip().endswith(NOTE)
