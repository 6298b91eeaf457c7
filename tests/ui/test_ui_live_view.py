"""The live screen's words are a pure function of the controller's state: the same state
always reads the same, and drawing it changes nothing."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from tenslog.live.state import LiveState, Phase
from tenslog.model import Capabilities, IntensityScale
from tenslog.recorder import LinkState
from tenslog.ui.live_view import render

finite = st.floats(min_value=0, max_value=1e6, allow_nan=False)
states = st.builds(
    LiveState,
    phase=st.sampled_from(Phase),
    manual=st.booleans(),
    unit_name=st.text(max_size=40),
    capabilities=st.none() | st.builds(Capabilities, reports_on_off=st.booleans(), reports_intensity=st.booleans()),
    link=st.none() | st.sampled_from(LinkState),
    lost_for=finite,
    elapsed=st.none() | finite,
    intensity=st.none() | st.floats(min_value=0, max_value=100, allow_nan=False),
    scale=st.none() | st.builds(IntensityScale, kind=st.sampled_from(["level", "mA"]),
                                maximum=st.none() | st.floats(min_value=1, max_value=100)),
    before=st.none() | st.integers(0, 10),
    history=st.lists(st.floats(min_value=0, max_value=100), max_size=120).map(tuple),
    problem=st.none() | st.text(max_size=80),
)


@given(states)
def test_the_same_state_always_renders_the_same_and_is_left_unchanged(state: LiveState) -> None:
    kept = copy.deepcopy(state)
    first = render(state)
    assert render(state) == first
    assert state == kept


def test_a_manual_session_in_progress_reads_as_the_person_expects() -> None:
    state = LiveState(
        Phase.RUNNING, manual=True, unit_name="Beurer EM49", capabilities=Capabilities(),
        link=LinkState.CONNECTED, elapsed=754.9, intensity=3,
        scale=IntensityScale(kind="level", maximum=20), before=6,
    )
    view = render(state)
    assert view.unit_line == "Beurer EM49  ·  no connection (you press s)"
    assert (view.elapsed, view.intensity, view.intensity_label) == ("12:34", "3", "level, of 20  (l or + / - to change)")
    assert view.status == "Recording, saved as it goes. Press s when you switch the unit off.\nPain before: 6"
    assert view.reporting.startswith("No connection: press s when you switch the unit on")
    assert (view.problem, view.history) == ("", ())  # no chart for a level the person notes


def test_a_reconnecting_unit_shows_the_last_known_level_and_a_full_width_chart() -> None:
    state = LiveState(
        Phase.RUNNING, unit_name="EM49\x1b]0;x\x07", capabilities=Capabilities(reports_on_off=True, reports_intensity=True),
        link=LinkState.RECONNECTING, lost_for=7.8, elapsed=61, intensity=12.5,
        scale=IntensityScale(kind="mA", maximum=80), history=(12.0, 12.5), problem="port\x1b[2J gone",
    )
    view = render(state)
    # Outside text is shown inert: control characters as visible escapes.
    assert view.unit_line == "EM49\\x1b]0;x\\x07  ·  ◌ reconnecting — lost for 7 s"
    assert (view.elapsed, view.intensity, view.intensity_label) == ("01:01", "12.5", "last known mA")
    assert view.problem == "port\\x1b[2J gone"
    assert len(view.history) == 120 and view.history[-3:] == (0.0, 12.0, 12.5)
