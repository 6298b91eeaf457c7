"""Opening an import as a bounded byte stream: a regular file over the size limit is refused
from its size alone, and any stream (a pipe, /dev/zero, a file still growing) is refused as soon
as more than the limit has been read, so an import never takes memory without bound."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

from tenslog.imports.errors import file_problem
from tenslog.imports.limits import Limits, too_many_bytes


class BoundedReader(io.RawIOBase):
    """Reads ``inner`` and raises ImportFailed once more than ``limits.max_bytes`` were read."""

    def __init__(self, inner: BinaryIO, limits: Limits) -> None:
        super().__init__()
        self._inner = inner
        self._limits = limits
        self._left = limits.max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(min(len(buffer), self._left + 1))
        if len(chunk) > self._left:
            raise too_many_bytes(self._limits)
        buffer[: len(chunk)] = chunk
        self._left -= len(chunk)
        return len(chunk)

    def close(self) -> None:
        self._inner.close()
        super().close()


def bounded(stream: BinaryIO, limits: Limits) -> io.BufferedReader:
    return io.BufferedReader(BoundedReader(stream, limits))


def from_bytes(data: bytes, limits: Limits) -> io.BufferedReader:
    if len(data) > limits.max_bytes:
        raise too_many_bytes(limits, len(data))
    return bounded(io.BytesIO(data), limits)


def open_source(path: Path, limits: Limits) -> io.BufferedReader:
    """The file at ``path`` as a bounded stream, or ImportFailed saying why it cannot be read."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise file_problem(f"{path} does not exist") from None
    except IsADirectoryError:
        raise file_problem(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise file_problem(f"{path} cannot be read (permission denied)") from None
    except OSError as exc:
        raise file_problem(f"{path} cannot be read ({exc.strerror or exc})") from None
    found = os.fstat(handle.fileno())
    if stat.S_ISREG(found.st_mode) and found.st_size > limits.max_bytes:
        handle.close()
        raise too_many_bytes(limits, found.st_size)
    return bounded(handle, limits)
