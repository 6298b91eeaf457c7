"""Fixtures for the report tests (the diary itself: support/report_diary.py)."""

from __future__ import annotations

import pytest

from tenslog.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(db="/nonexistent/never-opened.db")
