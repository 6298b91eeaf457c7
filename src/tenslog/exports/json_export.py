"""JSON export, the exact format: everything tenslog knows about each session, so it
round-trips through ``tenslog import`` unchanged.

Schema, version 2 (version 1 had no "context"; tenslog still reads it)::

    {
      "format": "tenslog",            # always this string
      "version": 2,                   # bumped when a field is added or changes meaning
      "exported_at": "2025-03-10T18:00:00+00:00",
      "sessions": [
        {
          "id": 12,                   # informative; import gives new numbers
          "kind": "tens" | "rest",
          "source": "manual" | "<driver name>",
          "unit": null | {"driver": str, "identity": str, "name": str,
                          "scale": {"kind": "level" | "mA", "maximum": number | null}},
          "start": ISO 8601 with offset, "end": ISO 8601 with offset | null,
          "state": "complete" | "interrupted" | "recording",
          "intensity": [{"at": ISO 8601, "value": number}],        # change points, in time order
          "ratings": [{"moment": "before" | "after" | "follow_up",
                       "value": 0-10 integer, "at": ISO 8601}],    # before, after, follow_up order
          "gaps": [{"lost_at": ISO 8601, "restored_at": ISO 8601 | null}],
          "context": {                # what the person added about the session
            "note": str,              # several lines allowed ("\n", tab); "" = none
            "for_doctor": bool,       # the note is marked for the doctor
            "treatments": [{"name": str, "dose": str, "medication": bool}],  # at the same time
            "regions": ["neck" | "upper back" | "lower back" | "shoulders" | "arms" | "hips"
                        | "legs" | "other"],
            "side_effects": ["skin irritation" | "drowsiness" | "more spasm" | "other"],
            "extra_ratings": [{"name": str, "moment": "before" | "after" | "follow_up",
                               "value": 0-10 integer, "at": ISO 8601}]
          }
        }
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tenslog.model import RatingMoment, Session

FORMAT = "tenslog"
VERSION = 2
_ORDER = {RatingMoment.BEFORE: 0, RatingMoment.AFTER: 1, RatingMoment.FOLLOW_UP: 2}


def session_to_dict(s: Session) -> dict[str, Any]:
    data = s.model_dump(mode="json")
    ordered = sorted(s.ratings, key=lambda r: _ORDER[r.moment])
    data["ratings"] = [r.model_dump(mode="json") for r in ordered]
    return data


def to_document(sessions: Iterable[Session]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sessions": [session_to_dict(s) for s in sessions],
    }


def to_json(sessions: Iterable[Session]) -> str:
    return json.dumps(to_document(sessions), indent=2, ensure_ascii=False) + "\n"
