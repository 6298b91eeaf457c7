"""Store errors carry a message written for the person at the keyboard."""


class StoreError(Exception):
    """Base class: the database could not be used; nothing was changed."""


class NotATenslogDatabase(StoreError):
    pass


class UnusablePath(StoreError):
    """The database path is not a regular file tenslog may use (a folder, a pipe, a device,
    a dangling link, an empty file); it was not opened."""


class DatabaseDamaged(StoreError):
    pass


class DatabaseTooNew(StoreError):
    pass


class RecordingLocked(StoreError):
    pass


class DatabaseUnwritable(StoreError):
    pass


class DatabaseReadOnly(DatabaseUnwritable):
    """Read-only mount, no write permission, or an immutable file: reading still works."""


class DiskFull(DatabaseUnwritable):
    pass


class SessionNotFound(StoreError, LookupError):
    pass


class UnitNotFound(StoreError, LookupError):
    pass


class UnitConflict(StoreError):
    """A session names a stored unit but another intensity scale."""
