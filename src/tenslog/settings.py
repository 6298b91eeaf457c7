"""User settings, from the environment (TENSLOG_*) with defaults that suit most people."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_db_path() -> Path:
    return user_data_path("tenslog", appauthor=False) / "tenslog.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TENSLOG_", extra="ignore")

    db: Path = Field(default_factory=default_db_path, description="the SQLite database file")
    grace_seconds: float = Field(
        default=120.0, ge=0, description="a link loss shorter than this continues the session"
    )
    # Responder thresholds (IMMPACT; Farrar 2001): a fall of >= 2 points or >= 30 %.
    responder_points: int = Field(default=2, ge=1, le=10)
    responder_percent: float = Field(default=30.0, gt=0, le=100)
    min_rated_sessions: int = Field(default=6, ge=2, description="below this, no summary numbers")
    follow_up_minutes: int = Field(default=30, ge=1)
