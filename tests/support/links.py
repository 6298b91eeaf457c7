"""Shared expectations of the link-fault tests (serial and BLE alike)."""

from __future__ import annotations

from collections.abc import Sequence

from tenslog.model import Session, SessionState


def assert_one_session_bridged(sessions: Sequence[Session]) -> None:
    """The unit came back within the grace: one complete session, one gap that closed."""
    assert len(sessions) == 1 and sessions[0].state is SessionState.COMPLETE
    assert [g.restored_at is not None for g in sessions[0].gaps] == [True]
