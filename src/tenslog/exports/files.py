"""Writing export files: owner-only (0600) from the first byte, whole or not at all, and never
over the database itself or one of the files SQLite and the recording lock keep beside it."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

OWNER_ONLY = 0o600
# The database and what lives beside it: SQLite's write-ahead log, shared memory and rollback
# journal, the recording lock (filelock's "<db>.lock") and who holds it ("<db>.recorder").
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock", ".recorder")


class OutputIsDatabase(ValueError):
    """The chosen output file is the database or one of its companions."""

    def __init__(self, output: Path, hit: Path, suffix: str) -> None:
        what = f"a file of the tenslog database ({suffix})" if suffix else "the tenslog database"
        super().__init__(
            f"will not write the export to {output}: it is {hit}, {what}, and writing there would "
            "destroy your history. Choose another file name; nothing was written."
        )
        self.output = output
        self.hit = hit


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()  # follows symlinks, also of a file that does not exist yet
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return Path(os.path.abspath(path))


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)  # follows symlinks: a link to the database is the database
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _name(path: Path) -> str:
    # Case and Unicode form fold so a case-insensitive disk (macOS, Windows) cannot hide a match.
    return unicodedata.normalize("NFC", path.name).casefold()


def database_clash(output: Path | str, database: Path | str) -> tuple[Path, str] | None:
    """The database file or companion (and its suffix) that ``output`` names by any spelling
    (relative, ``..``, symlink, hard link, bind mount), or None. Compares resolved paths,
    (device, inode) of files that exist, and the name within the same folder (by inode) for
    those that do not exist yet."""
    output = Path(output).expanduser()
    database = Path(database).expanduser()
    out_path = _resolved(output)
    out_inode = _inode(output)
    # The folder as the kernel reaches it and as resolved (they differ only where a step is missing).
    out_folders = {_inode(Path(os.path.dirname(output) or ".")), _inode(out_path.parent)} - {None}
    for base in dict.fromkeys((Path(os.path.abspath(database)), _resolved(database))):
        for suffix in DATABASE_COMPANIONS:
            candidate = base.with_name(base.name + suffix)
            real = _resolved(candidate)
            if real == out_path:
                return candidate, suffix
            if out_inode is not None and _inode(candidate) == out_inode:
                return candidate, suffix
            if _inode(real.parent) in out_folders and _name(real) in (_name(out_path), _name(output)):
                return candidate, suffix
    return None


def refuse_database(output: Path | str, database: Path | str | None) -> None:
    """Raise OutputIsDatabase if ``output`` is ``database`` or one of its companions."""
    if database is None:
        return
    hit = database_clash(output, database)
    if hit is not None:
        raise OutputIsDatabase(Path(output), *hit)


def write_private(
    path: Path | str, data: str | bytes | Iterable[str], *, database: Path | str | None = None
) -> Path:
    """Write to a temporary sibling created 0600, then rename over ``path``: a crash or a
    full disk never leaves a half-written export, and the file is never readable by others.
    With ``database`` given, refuse (OutputIsDatabase) a path that is that database or one of
    its companions, checked again just before the rename. ``data`` may come in pieces (a
    streamed export), each written as it comes."""
    path = Path(path).expanduser()
    refuse_database(path, database)
    pieces = [data] if isinstance(data, (str, bytes)) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            handle.flush()
            os.fsync(handle.fileno())
        refuse_database(path, database)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
