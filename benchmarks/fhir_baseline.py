"""The FHIR export's baseline (issue 16): the same Bundle built as plain dicts by the least code
that can, in a fresh Python with only sqlite3, json and uuid: every row read at once, the whole
Bundle held in memory and written with one json.dumps (indent 2, as tenslog writes it).
It knows only what the benchmark's history holds (TENS sessions with a unit, rest periods,
their peak intensity and pain ratings; no context, no trials); bench_fhir checks that it
writes the same text as ``tenslog export --format fhir``.

    python benchmarks/fhir_baseline.py DB OUT"""

import json
import sqlite3
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone

NS = uuid.UUID("6f1c1c8e-4b8e-4c2a-9d0e-74656e736c6f")
SURVEY = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}]
PAIN = {"coding": [{"system": "http://loinc.org", "code": "72514-3",
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}], "text": "Pain (0-10)"}
TENS = {"text": "Transcutaneous electrical nerve stimulation (TENS), self-applied at home"}
MOMENT = {"before": "before", "after": "right after", "follow_up": "at the follow-up after"}
ORDER = {"before": 0, "after": 1, "follow_up": 2}
STATUS = {"complete": "completed", "interrupted": "stopped", "recording": "in-progress"}


def urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NS, '/'.join(str(p) for p in parts))}"


def fhir(at: datetime) -> str:
    seconds = int(at.utcoffset().total_seconds())  # type: ignore[union-attr]
    hours, minutes = divmod(abs(seconds) // 60, 60)
    zone = "Z" if seconds == 0 else f"{'-' if seconds < 0 else '+'}{hours:02d}:{minutes:02d}"
    return at.replace(tzinfo=None).isoformat() + zone


def main(db: str, out: str) -> None:
    c = sqlite3.connect(db)
    peaks = dict(c.execute("SELECT session_id, max(value) FROM intensity GROUP BY session_id"))
    ratings: dict[int, list[tuple]] = {}
    for sid, moment, value, at, off in c.execute("SELECT session_id, moment, value, at, utc_offset FROM ratings"):
        ratings.setdefault(sid, []).append((moment, value, at, off))
    patient = urn("patient")
    entries = [{"fullUrl": patient, "resource": {"resourceType": "Patient"}}]
    rows = c.execute('SELECT s.id, s.kind, s.source, s.start, s."end", s.state, s.utc_offset, u.name,'
                     " u.scale_max FROM sessions s LEFT JOIN units u ON u.id = s.unit_id ORDER BY s.start, s.id")
    for index, (sid, kind, source, start, end, state, off, unit, top) in enumerate(rows):
        tz = timezone(timedelta(seconds=off))
        began, ended = datetime.fromtimestamp(start, tz), datetime.fromtimestamp(end, tz)
        key = f"{began.isoformat()}/{kind}/{unit if unit is not None else 'rest (no unit)'}/{index}"
        part_of = None
        if kind == "tens":
            ref = urn("session", key)
            part_of = [{"reference": ref}]
            notes = [{"text": f"Recorded by: {'typed in by the patient' if source == 'manual' else source}."}]
            if sid in peaks:  # the history's unit has a level scale
                peak, label = (f"{peaks[sid]:g}/{top:g}", f"level 1-{top:g}") if top else (f"{peaks[sid]:g}", "level")
                notes.append({"text": f"Peak intensity {peak} on the unit's own scale ({label})."})
            entries.append({"fullUrl": ref, "resource": {
                "resourceType": "Procedure", "status": STATUS[state], "code": TENS, "subject": {"reference": patient},
                "performedPeriod": {"start": fhir(began), "end": fhir(ended)}, "note": notes,
                "usedCode": [{"text": f"TENS unit: {unit}"}]}})
        what = "TENS session" if kind == "tens" else "rest period without TENS (comparison)"
        rated = sorted(ratings.get(sid, ()), key=lambda r: ORDER[r[0]])
        for moment, value, at, at_off in sorted(rated, key=lambda r: r[2]):
            observation = {"resourceType": "Observation", **({"partOf": part_of} if part_of else {}),
                           "status": "final", "category": SURVEY, "code": PAIN, "subject": {"reference": patient},
                           "effectiveDateTime": fhir(datetime.fromtimestamp(at, tz if at_off is None else timezone(timedelta(seconds=at_off)))),
                           "valueInteger": value,
                           "note": [{"text": f"Rated {MOMENT[moment]} a {what} starting {began.isoformat(timespec='minutes')}."}]}
            entries.append({"fullUrl": urn("rating", key, moment), "resource": observation})
    bundle = {"resourceType": "Bundle", "type": "collection", "timestamp": fhir(datetime.now(UTC)), "entry": entries}
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
