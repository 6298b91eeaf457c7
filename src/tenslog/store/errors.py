"""Store errors carry a message written for the person at the keyboard."""


class StoreError(Exception):
    """Base class: the database could not be used; nothing was changed."""


class NotATenslogDatabase(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class DatabaseTooNew(StoreError):
    pass


class RecordingLocked(StoreError):
    pass


class DatabaseUnwritable(StoreError):
    pass


class SessionNotFound(StoreError, LookupError):
    pass


class UnitConflict(StoreError):
    """A session names a stored unit but another intensity scale."""
