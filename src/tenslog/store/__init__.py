"""SQLite persistence for sessions."""

from tenslog.store.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnwritable,
    NotATenslogDatabase,
    RecordingLocked,
    SessionNotFound,
    StoreError,
    UnitConflict,
)
from tenslog.store.store import Store

__all__ = [
    "DatabaseDamaged",
    "DatabaseTooNew",
    "DatabaseUnwritable",
    "NotATenslogDatabase",
    "RecordingLocked",
    "SessionNotFound",
    "Store",
    "StoreError",
    "UnitConflict",
]
