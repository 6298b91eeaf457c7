"""SQLite persistence for sessions."""

from tenslog.store.errors import (
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseUnwritable,
    DiskFull,
    NotATenslogDatabase,
    RecordingLocked,
    SessionNotFound,
    StoreError,
    UnitConflict,
    UnitNotFound,
    UnusablePath,
)
from tenslog.store.store import Store, StoredUnit

__all__ = [
    "DatabaseDamaged",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "DatabaseUnwritable",
    "DiskFull",
    "NotATenslogDatabase",
    "RecordingLocked",
    "SessionNotFound",
    "Store",
    "StoreError",
    "StoredUnit",
    "UnitConflict",
    "UnitNotFound",
    "UnusablePath",
]
