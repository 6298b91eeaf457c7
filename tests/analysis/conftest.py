"""Hand-made sessions with known answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support.known_sessions import make_session
from tenslog.model import Session, SessionKind
from tenslog.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(db="/nonexistent/never-opened.db")


@pytest.fixture
def sessions_from() -> Callable[..., list[Session]]:
    def build(pairs: list[tuple[int | None, int | None]], kind: SessionKind = SessionKind.TENS, **kw) -> list[Session]:
        return [make_session(b, a, day=i, kind=kind, **kw) for i, (b, a) in enumerate(pairs)]

    return build


@pytest.fixture(name="make_session")
def make_session_fixture() -> Callable[..., Session]:
    return make_session
