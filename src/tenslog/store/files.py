"""The database file before SQLite touches it: what is at the path (refused unless a regular
file), a new database created whole, owner-only permissions, and a refusal (with the file left
as it was) when it is not ours or is damaged."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from tenslog.store.diagnosis import WriteProblem, from_os_error, from_sqlite_error, read_only
from tenslog.store.errors import DatabaseDamaged, DatabaseTooNew, NotATenslogDatabase, UnusablePath
from tenslog.store.migrations import APPLICATION_ID, LATEST_VERSION, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
OWNER_ONLY = 0o600
PRIVATE_FOLDER = 0o700

_NOT_REGULAR = {
    stat.S_IFIFO: "named pipe (FIFO)",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFSOCK: "socket",
}


def examine(path: Path) -> bool:
    """True if ``path`` is a regular file, False if nothing is there. Anything else is refused
    without opening it: opening a FIFO for reading blocks, and SQLite would put a -journal
    beside a device. Only lstat/stat are used here."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise from_os_error(path, exc) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise UnusablePath(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist. Remove the "
                "link, or give --db the real database file."
            ) from None
        except OSError as exc:
            raise from_os_error(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnusablePath(
            f"{path} is a folder, not a database file. Give --db a file, e.g. {path / 'tenslog.db'}."
        )
    if not stat.S_ISREG(info.st_mode):
        kind = _NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "special file")
        raise UnusablePath(
            f"{path} is a {kind}, not a regular file; tenslog keeps your data only in a regular "
            "file and left this one alone. Give --db another path."
        )
    return True


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and each missing folder above it, each exactly 0700: mkdir's mode is
    cut by the umask and pathlib's parents=True gives the upper levels 0777 & ~umask."""
    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, PRIVATE_FOLDER)
        except FileExistsError:
            if not level.is_dir():
                raise UnusablePath(
                    f"{level} is in the way: it is not a folder. Give --db another path."
                ) from None
            continue  # another tenslog made it a moment ago
        except OSError as exc:
            raise from_os_error(folder, exc, "create the folder") from None
        os.chmod(level, PRIVATE_FOLDER)  # whatever the umask took away


def create_database(path: Path) -> None:
    """Create a new database at ``path`` whole: built in a hidden file beside it and linked into
    place with its schema written. So an empty file at the path is never tenslog's (a crash
    while creating leaves only the hidden file, and the next run starts afresh), and an empty
    file found there is refused rather than adopted."""
    import tempfile  # here: only a new database needs it, not every open

    make_private_folders(path.parent)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)  # 0600
    except OSError as exc:
        raise from_os_error(path, exc, "create") from None
    os.close(handle)
    temporary = Path(name)
    try:
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        finally:
            conn.close()  # checkpoints: everything is in the file itself, no -wal left
        _sync(temporary)
        try:
            os.link(temporary, path)  # never replaces: another tenslog's new database wins
        except FileExistsError:
            pass
        except OSError:
            # No hard links here (some USB sticks, network shares): rename, which would replace,
            # so only while the path is still free.
            if not os.path.lexists(path):
                os.replace(temporary, path)
        _sync(path.parent)
    except sqlite3.Error as exc:
        raise from_sqlite_error(path, exc) from None
    except OSError as exc:
        raise from_os_error(path, exc, "create") from None
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def restrict_to_owner(path: Path) -> None:
    """Tighten the database and its -wal/-shm companions to 0600 where they are looser."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & 0o077:
                candidate.chmod(OWNER_ONLY)
        except OSError:
            pass


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. In WAL mode SQLite needs a -shm beside the database;
    where none can be made (a read-only folder or mount) the file is read as immutable,
    which is right only when no -wal holds changes not yet in the file."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise read_only(path, WriteProblem(
            f"its latest changes are in {wal.name}, which SQLite reads only where it may write",
            "open it once with write access, or copy its folder somewhere writable",
        ))
    return sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False
    )


def wal_left_over(path: Path) -> bool:
    """A -wal with changes beside the database: its last writer did not close it (a crash, a
    kill, a power cut), or another tenslog has it open now. A clean close empties and removes it."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def check_existing(path: Path, *, whole_file: bool = False) -> None:
    """Refuse a file that is not a tenslog database, is damaged, or is from a newer tenslog.
    Reads only: the file is opened read-only and never written here. ``whole_file``: also
    read every page (PRAGMA quick_check: ~0.4 s at fifty years of history), which the caller
    asks for after an unclean shutdown or on request; otherwise damage deeper in the file is
    named when a read meets it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise from_os_error(path, exc, "read") from None
    if not header:
        # tenslog creates its databases whole (create_database), so an empty file is not ours.
        # (Nor can it be an unfinished one of an older tenslog: SQLite writes the file's first
        # page when it switches to WAL, before anything goes into the -wal.)
        raise UnusablePath(
            f"{path} is an empty file, not a tenslog database; left untouched. Delete it if it "
            "is yours, or give --db another path."
        )
    if header != SQLITE_HEADER:
        raise NotATenslogDatabase(f"{path} is not a tenslog database (not an SQLite file); left untouched.")
    try:
        conn = connect_read_only(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            problems = conn.execute("PRAGMA quick_check(1)").fetchone()[0] if whole_file else "ok"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        diagnosed = from_sqlite_error(path, exc)
        if isinstance(diagnosed, DatabaseDamaged):
            raise DatabaseDamaged(f"{path} is damaged and cannot be read ({exc}); left untouched.") from None
        raise diagnosed from None
    if problems != "ok":
        raise DatabaseDamaged(f"{path} is damaged ({problems}); left untouched. Restore a backup.")
    if app_id != APPLICATION_ID and (tables or version):
        raise NotATenslogDatabase(
            f"{path} is an SQLite database of another program, not tenslog's; left untouched."
        )
    if version > LATEST_VERSION:
        raise DatabaseTooNew(
            f"{path} was written by a newer tenslog (schema {version}, this one knows "
            f"{LATEST_VERSION}); update tenslog. The file was left untouched."
        )


def hand_to_database_owner(made: Path, database: Path) -> None:
    """Run as root (``sudo tenslog``), give a file we made beside the database to the
    database's owner, as SQLite does with its -wal and -shm: else that user's next run could
    not open it."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    with contextlib.suppress(OSError):
        owner = database.stat()
        if os.stat(made).st_uid != owner.st_uid:
            os.chown(made, owner.st_uid, owner.st_gid)
