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
      ],
      "trials": [ ... ]               # personal trials with their deviations (optional; see
                                      # tenslog.trial.exchange); a reader that does not know
                                      # this key imports the sessions alone
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from tenslog.model import RatingMoment, Session
from tenslog.trial.exchange import trial_to_dict
from tenslog.trial.plan import StoredTrial

FORMAT = "tenslog"
VERSION = 2
_ORDER = {RatingMoment.BEFORE: 0, RatingMoment.AFTER: 1, RatingMoment.FOLLOW_UP: 2}


def session_to_dict(s: Session) -> dict[str, Any]:
    data = s.model_dump(mode="json")
    ordered = sorted(s.ratings, key=lambda r: _ORDER[r.moment])
    data["ratings"] = [r.model_dump(mode="json") for r in ordered]
    return data


def to_document(sessions: Iterable[Session], trials: Iterable[StoredTrial] = ()) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sessions": [session_to_dict(s) for s in sessions],
    }
    if plans := [trial_to_dict(t) for t in trials]:
        document["trials"] = plans
    return document


def to_json(sessions: Iterable[Session], trials: Iterable[StoredTrial] = ()) -> str:
    return "".join(json_chunks(sessions, trials))


def json_chunks(sessions: Iterable[Session], trials: Iterable[StoredTrial] = ()) -> Iterator[str]:
    """The export as text, a session at a time: the same characters as ``json.dumps`` of the
    whole document with indent=2 (each session is dumped alone and indented two levels), but
    never the whole document in memory."""
    frame = json.dumps(to_document((), trials), indent=2, ensure_ascii=False) + "\n"
    head, tail = frame.split('"sessions": []', 1)
    yield head + '"sessions": ['
    separator = "\n    "
    for s in sessions:
        yield separator + json.dumps(session_to_dict(s), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        separator = ",\n    "
    yield ("]" if separator == "\n    " else "\n  ]") + tail
