"""Issue 17, as a class: whatever losses and returns of the link came before, stopping (the
app quits, the unit vanishes, a signal) ends the session at the last moment the unit was heard:
now while the link is up, the moment it was lost while it is down; never a moment in between
or after. The real Recorder and Store, a hand-driven clock."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.driver.events import Connected, LinkLost, LinkRestored, StimulationStarted, UnitInfo
from tenslog.model import IntensityScale, SessionState
from tenslog.recorder import Recorder
from tenslog.store import Store

T0 = 1_780_000_000.0
GRACE = 30.0
UNIT = UnitInfo("line-serial", "/dev/ttyX", "Bridge", IntensityScale(kind="level", maximum=20))

STEP = st.one_of(
    st.tuples(st.just("wait"), st.floats(0.1, 20.0)),
    st.tuples(st.just("lost"), st.just(0.0)),
    st.tuples(st.just("back"), st.integers(1, 20)),  # a valid reading: the link is restored
)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(steps=st.lists(STEP, max_size=12), wait=st.floats(0.0, GRACE * 0.9))
def test_stopping_ends_at_the_last_moment_heard(steps: list, wait: float) -> None:
    now = [T0]
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "t.db") as store:
        rec = Recorder(store, grace_seconds=GRACE, clock=lambda: now[0])
        rec.handle(Connected(now[0], UNIT))
        rec.handle(StimulationStarted(now[0], 5.0))
        up, lost_at = True, None
        for kind, value in steps:
            if kind == "wait":
                now[0] += value
                rec.tick()
            elif kind == "lost" and up:
                up, lost_at = False, now[0]
                rec.handle(LinkLost(now[0], "pulled"))
            elif kind == "back" and not up:
                up = True
                rec.handle(LinkRestored(now[0]))
                rec.handle(StimulationStarted(now[0], float(value)))  # the state re-announced
        if rec.session_id is None:  # the grace ran out: it was ended where it was lost
            [*_, last] = store.sessions(newest_first=False)
            assert last.state is SessionState.INTERRUPTED
            assert abs(last.end.timestamp() - lost_at) < 1e-3
            return
        now[0] += wait if not up else 0.0  # quit a while into the loss
        sid = rec.stop(SessionState.INTERRUPTED)
        session = store.get(sid)
        heard = now[0] if up else lost_at
        assert session.state is SessionState.INTERRUPTED
        assert abs(session.end.timestamp() - heard) < 1e-3, "the session claims time the unit was not heard"
