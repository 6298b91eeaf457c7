"""Parsing of driver options. They arrive as strings from ``--option key=value``; a bad one
raises DriverOptionError naming the option, so the CLI can tell the user what to fix."""

from __future__ import annotations

import math
from collections.abc import Mapping

from tenslog.driver.contract import DriverOptionError


class Options:
    """Reads typed values from the raw option strings and rejects any that were not read."""

    def __init__(self, driver: str, raw: Mapping[str, str]) -> None:
        self.driver = driver
        self._raw = dict(raw)
        self._used: set[str] = set()

    def _get(self, key: str) -> str | None:
        self._used.add(key)
        value = self._raw.get(key)
        return None if value is None else str(value).strip()

    def _bad(self, key: str, value: str, why: str) -> DriverOptionError:
        return DriverOptionError(f"driver {self.driver!r}: option {key!r}: {why} (got {value!r})")

    def number(
        self,
        key: str,
        default: float,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        allow_inf: bool = False,
    ) -> float:
        text = self._get(key)
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            raise self._bad(key, text, "must be a number") from None
        if math.isnan(value) or (math.isinf(value) and not allow_inf):
            raise self._bad(key, text, "must be a finite number")
        if minimum is not None and value < minimum:
            raise self._bad(key, text, f"must be at least {minimum:g}")
        if maximum is not None and value > maximum:
            raise self._bad(key, text, f"must be at most {maximum:g}")
        return value

    def integer(
        self, key: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        text = self._get(key)
        if text is None:
            return default
        try:
            value = int(text, 0)
        except ValueError:
            raise self._bad(key, text, "must be a whole number") from None
        if minimum is not None and value < minimum:
            raise self._bad(key, text, f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise self._bad(key, text, f"must be at most {maximum}")
        return value

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self._get(key)
        if value is not None and not value:
            raise self._bad(key, value, "must not be empty")
        return default if value is None else value

    def finish(self) -> None:
        """Call after reading every option: an unknown one is an error, never ignored."""
        unknown = sorted(set(self._raw) - self._used)
        if unknown:
            known = ", ".join(sorted(self._used)) or "none"
            raise DriverOptionError(
                f"driver {self.driver!r}: unknown option {unknown[0]!r} (known: {known})"
            )
