"""User settings, from the environment (TENSLOG_*) with defaults that suit most people.

Read with plain pydantic rather than pydantic-settings: we need only the environment, and
pydantic-settings' import alone (~70 ms) was a fifth of the dashboard's start-up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_path
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ENV_PREFIX = "TENSLOG_"


def default_db_path() -> Path:
    return user_data_path("tenslog", appauthor=False) / "tenslog.db"


def environment() -> dict[str, str]:
    """TENSLOG_* variables by setting name (TENSLOG_GRACE_SECONDS -> grace_seconds)."""
    return {
        key[len(ENV_PREFIX):].lower(): value
        for key, value in os.environ.items()
        if key.upper().startswith(ENV_PREFIX)
    }


class SettingsError(ValueError):
    """A setting that cannot be used, named as the user gave it (variable or option)."""


class Settings(BaseModel):
    """Values given to the constructor win; the environment fills in the rest, then defaults."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    db: Path = Field(default_factory=default_db_path, description="the SQLite database file")
    grace_seconds: float = Field(
        default=120.0, ge=0, description="a link loss shorter than this continues the session"
    )
    # Responder thresholds (IMMPACT; Farrar 2001): a fall of >= 2 points or >= 30 %.
    responder_points: int = Field(default=2, ge=1, le=10)
    responder_percent: float = Field(default=30.0, gt=0, le=100)
    min_rated_sessions: int = Field(default=6, ge=2, description="below this, no summary numbers")
    follow_up_minutes: int = Field(default=30, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _environment_fills_the_rest(cls, data: Any) -> Any:
        return {**environment(), **data} if isinstance(data, dict) else data


def load_settings(**given: Any) -> Settings:
    """Settings for a command; raises SettingsError naming each bad value and where it came from."""
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            name = str(item["loc"][0]) if item["loc"] else "settings"
            source = name if name in given else f"{ENV_PREFIX}{name.upper()}"
            got = item.get("input")
            suffix = f" (got {got!r})" if isinstance(got, (str, int, float)) else ""
            problems.append(f"{source}: {item['msg'][0].lower()}{item['msg'][1:]}{suffix}")
        raise SettingsError("; ".join(problems)) from None
