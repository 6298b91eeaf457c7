"""The local time zone: its UTC offset at a given instant, and whether it is usable at all.

Every stored time carries the local zone's offset at that instant (not the session start's), so
a session across a daylight-saving change exports its end with the end's offset."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

# Python's datetime refuses offsets of a day or more; the C library accepts up to 24:59:59.
_LIMIT = 24 * 3600
# Instants probed by check_local_zone: now, every day of the next 400, and every 91 days from
# 1970 to 2200 (~1.5 ms). A rule with a DST window of a few hours can slip through: the CLI's
# entry point turns datetime's refusal into the same one-line error (see cli.main).
_DAY = 86400
_PROBES = range(_DAY, 7_260_000_000, 91 * _DAY)


class BadTimeZone(ValueError):
    """The local time zone (TZ) gives offsets no calendar can show."""


def local_offset(at: float) -> int:
    """Seconds east of UTC of the local zone at POSIX time ``at``."""
    return int(time.localtime(at).tm_gmtoff)


def local_time(at: float | None = None) -> datetime:
    """An instant (default now) as an aware datetime with the local offset at that instant."""
    at = time.time() if at is None else at
    return datetime.fromtimestamp(at, timezone(timedelta(seconds=local_offset(at))))


def check_local_zone() -> None:
    """Raise BadTimeZone, naming TZ, if the local zone has an offset of a day or more at any
    time tenslog may show (e.g. TZ=UTC+24, which the C library accepts and datetime refuses)."""
    now = time.time()
    for at in (now, *(now + day * _DAY for day in range(1, 400)), *_PROBES):
        try:
            offset = local_offset(at)
        except (OverflowError, OSError, ValueError):
            continue  # beyond the C library's range: never a time we store
        if abs(offset) >= _LIMIT:
            raise BadTimeZone(bad_zone_message(f"a UTC offset of {offset / 3600:+.2f} h"))


def bad_zone_message(what: str = "a UTC offset of a day or more") -> str:
    tz = os.environ.get("TZ")
    named = f"TZ={tz!r}" if tz is not None else "the system time zone"
    return (
        f"{named} gives {what}, but a real zone is less than 24 h from UTC; "
        "set TZ to a zone such as Europe/Berlin (or unset it)"
    )


def is_offset_refusal(exc: BaseException) -> bool:
    """datetime's error for an offset of a day or more (what a bad TZ ends in)."""
    return isinstance(exc, ValueError) and "offset must be a timedelta strictly between" in str(exc)


def follow_zone(start: datetime, at: datetime) -> datetime:
    """``at`` (a time derived from ``start``: its end, a rating) in the zone ``start`` was given
    in: the local offset at ``at`` if ``start`` is local time, else ``start``'s fixed offset.
    ``start + duration`` alone keeps the start's offset across a daylight-saving change."""
    offset = start.utcoffset()
    if offset is not None and offset.total_seconds() == local_offset(start.timestamp()):
        return local_time(at.timestamp())
    return at.astimezone(start.tzinfo)
