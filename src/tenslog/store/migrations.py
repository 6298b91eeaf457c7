"""Forward-only schema migrations, versioned by PRAGMA user_version.
Each step runs in one transaction together with its version bump, so it applies whole or not at all."""

from __future__ import annotations

import sqlite3
from enum import StrEnum

from tenslog.localtime import local_offset
from tenslog.vocabulary import DEFAULT_TREATMENTS, BodyRegion, SideEffect


def _quoted(values: type[StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


# PRAGMA application_id marks our files, so a foreign SQLite file is never mistaken for ours.
APPLICATION_ID = 0x54454E53  # "TENS"

MIGRATIONS: list[list[str]] = [
    # v1: units, sessions, intensity change points, pain ratings
    [
        """CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            driver TEXT NOT NULL,
            identity TEXT NOT NULL,
            name TEXT NOT NULL,
            scale_kind TEXT NOT NULL CHECK (scale_kind IN ('level', 'mA')),
            scale_max REAL CHECK (scale_max IS NULL OR scale_max > 0),
            UNIQUE (driver, identity)
        )""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('tens', 'rest')),
            source TEXT NOT NULL,
            unit_id INTEGER REFERENCES units (id),
            start REAL NOT NULL,
            "end" REAL CHECK ("end" IS NULL OR "end" >= start),
            state TEXT NOT NULL CHECK (state IN ('recording', 'complete', 'interrupted')),
            heartbeat REAL
        )""",
        "CREATE INDEX sessions_by_start ON sessions (start)",
        """CREATE TABLE intensity (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            at REAL NOT NULL,
            value REAL NOT NULL CHECK (value >= 0)
        )""",
        "CREATE INDEX intensity_by_session ON intensity (session_id, at)",
        """CREATE TABLE ratings (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            moment TEXT NOT NULL CHECK (moment IN ('before', 'after', 'follow_up')),
            value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
            at REAL NOT NULL,
            PRIMARY KEY (session_id, moment)
        )""",
    ],
    # v2: link gaps within a session, and the local UTC offset at the start (for time-of-day)
    [
        """CREATE TABLE link_gaps (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            lost_at REAL NOT NULL,
            restored_at REAL CHECK (restored_at IS NULL OR restored_at >= lost_at)
        )""",
        "CREATE INDEX link_gaps_by_session ON link_gaps (session_id)",
        "ALTER TABLE sessions ADD COLUMN utc_offset INTEGER NOT NULL DEFAULT 0",
    ],
    # v3: every time carries its own UTC offset (a session may cross a daylight-saving change);
    # NULL reads as the start's offset. Rows stored before: a session whose start offset is this
    # zone's offset at its start was recorded or typed here, so its other times take this zone's
    # offset at their own instants; any other session's times keep its start's offset.
    [
        'ALTER TABLE sessions ADD COLUMN end_offset INTEGER',
        "ALTER TABLE intensity ADD COLUMN utc_offset INTEGER",
        "ALTER TABLE ratings ADD COLUMN utc_offset INTEGER",
        "ALTER TABLE link_gaps ADD COLUMN lost_offset INTEGER",
        "ALTER TABLE link_gaps ADD COLUMN restored_offset INTEGER",
        """CREATE TEMP TABLE here AS SELECT id FROM sessions WHERE utc_offset = local_offset(start)""",
        """UPDATE sessions SET end_offset = local_offset(coalesce("end", heartbeat, start))
           WHERE id IN (SELECT id FROM here)""",
        "UPDATE intensity SET utc_offset = local_offset(at) WHERE session_id IN (SELECT id FROM here)",
        "UPDATE ratings SET utc_offset = local_offset(at) WHERE session_id IN (SELECT id FROM here)",
        """UPDATE link_gaps SET lost_offset = local_offset(lost_at),
             restored_offset = CASE WHEN restored_at IS NULL THEN NULL ELSE local_offset(restored_at) END
           WHERE session_id IN (SELECT id FROM here)""",
        "DROP TABLE temp.here",
    ],
    # v4: the context of a session (issue 12): a note (optionally for the doctor), other
    # treatments at the same time, where it hurt, side effects, extra 0-10 ratings; and the
    # lists the person edits: the treatments offered and the extra ratings defined.
    [
        "ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN for_doctor INTEGER NOT NULL DEFAULT 0 CHECK (for_doctor IN (0, 1))",
        """CREATE TABLE co_treatments (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            dose TEXT NOT NULL DEFAULT '',
            medication INTEGER NOT NULL DEFAULT 0 CHECK (medication IN (0, 1)),
            PRIMARY KEY (session_id, position)
        )""",
        f"""CREATE TABLE session_marks (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('region', 'side_effect')),
            value TEXT NOT NULL CHECK (
                (kind = 'region' AND value IN ({_quoted(BodyRegion)}))
                OR (kind = 'side_effect' AND value IN ({_quoted(SideEffect)}))),
            PRIMARY KEY (session_id, kind, value)
        )""",
        """CREATE TABLE extra_ratings (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            moment TEXT NOT NULL CHECK (moment IN ('before', 'after', 'follow_up')),
            value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
            at REAL NOT NULL,
            utc_offset INTEGER,
            PRIMARY KEY (session_id, name, moment)
        )""",
        """CREATE TABLE treatment_choices (
            position INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            dose TEXT NOT NULL DEFAULT '',
            medication INTEGER NOT NULL DEFAULT 0 CHECK (medication IN (0, 1))
        )""",
        *(
            f"INSERT INTO treatment_choices (name, medication) VALUES ('{name}', {int(medicine)})"
            for name, medicine in DEFAULT_TREATMENTS
        ),
        """CREATE TABLE rating_scales (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            asked INTEGER NOT NULL DEFAULT 0 CHECK (asked IN (0, 1)),
            position INTEGER NOT NULL DEFAULT 0
        )""",
    ],
    # v5: a personal (N-of-1) trial: the plan with its seed and the schedule drawn from it
    # (order: one letter per pair, T = TENS first, R = rest first), and recorded deviations.
    # Plans are never edited: stopping early sets `stopped` and adds a deviation.
    [
        """CREATE TABLE trial_plans (
            id INTEGER PRIMARY KEY,
            created REAL NOT NULL,
            created_offset INTEGER NOT NULL,
            start_day TEXT NOT NULL,
            period_days INTEGER NOT NULL CHECK (period_days BETWEEN 1 AND 7),
            washout_days INTEGER NOT NULL CHECK (washout_days BETWEEN 0 AND 7),
            seed INTEGER NOT NULL CHECK (seed >= 0),
            "order" TEXT NOT NULL CHECK (length("order") >= 3 AND "order" NOT GLOB '*[^TR]*'),
            tens_means TEXT NOT NULL,
            rest_means TEXT NOT NULL,
            stopped REAL,
            stopped_offset INTEGER
        )""",
        """CREATE TABLE trial_deviations (
            plan_id INTEGER NOT NULL REFERENCES trial_plans (id) ON DELETE CASCADE,
            at REAL NOT NULL,
            utc_offset INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('stopped', 'changed')),
            reason TEXT NOT NULL
        )""",
        "CREATE INDEX trial_deviations_by_plan ON trial_deviations (plan_id, at)",
    ],
]

LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def add_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the schema's statements use: local_offset(posix seconds)."""
    conn.create_function("local_offset", 1, _sql_local_offset)


def _sql_local_offset(at: float | None) -> int | None:
    return None if at is None else local_offset(at)


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the schema up to ``target``; returns the version reached."""
    add_functions(conn)
    version = schema_version(conn)
    if version >= target:
        return version
    # All steps in one transaction: a step that fails (a full disk halfway) leaves the file
    # exactly as it was, so "nothing was changed" is true, not just true of the sessions.
    conn.execute("BEGIN IMMEDIATE")
    try:
        while version < target:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version
