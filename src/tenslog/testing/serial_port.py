"""A fake serial unit: the far end of a real pseudo-terminal. The driver under test opens
``unit.port`` with pyserial exactly as it would open /dev/ttyUSB0; the test writes what the unit
prints and reads what the driver sent (a read-only driver sends nothing).

``port`` is a symlink, as /dev/serial/by-id/... is: ``unplug`` closes the pty (the driver sees
the cable pulled) and ``plug`` puts a fresh pty behind the same path (plugged back in). POSIX
only (``os.openpty``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import tty
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

Line = Callable[[], bytes]


class FakeSerialUnit:
    """A unit behind a pty. ``talk(line)`` makes it print ``line()`` every ``period`` seconds,
    as units that report their state periodically do; ``write`` prints once."""

    def __init__(self, port: str | Path | None = None, *, period: float = 0.05) -> None:
        self._own_dir: str | None = None
        if port is None:
            self._own_dir = tempfile.mkdtemp(prefix="tenslog-fake-serial-")
            port = Path(self._own_dir) / "ttyFAKE"
        self.link = Path(port)
        self.period = period
        self.received = bytearray()  # every byte the driver sent to the unit
        self.master = self.slave = -1
        self._line: Line | None = None
        self._talker: asyncio.Task[None] | None = None

    @property
    def port(self) -> str:
        """The path to give the driver (what pyserial opens)."""
        return str(self.link)

    @property
    def plugged(self) -> bool:
        return self.master >= 0

    # -- the cable -------------------------------------------------------------------------
    def plug(self) -> None:
        """A fresh pty behind ``port``; the unit resumes talking if it was."""
        if self.plugged:
            return
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)  # no echo: every byte on the master came from the driver
        os.set_blocking(self.master, False)
        fresh = self.link.with_name(self.link.name + ".new")
        fresh.unlink(missing_ok=True)
        os.symlink(os.ttyname(self.slave), fresh)
        os.replace(fresh, self.link)  # atomically, so the driver never sees no port mid-replug
        if self._line is not None:
            self._start_talking()

    def unplug(self) -> None:
        """The cable is pulled: the driver's open port fails (and reopening finds no unit)."""
        if not self.plugged:
            return
        self._stop_talking()
        self.read()
        # As udev removes /dev/serial/by-id/... when the cable goes. Left in place, the link
        # would name a /dev/pts number the system may hand to another program's terminal,
        # which the driver would then open as if the unit were back.
        self.link.unlink(missing_ok=True)
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = -1

    def close(self) -> None:
        """Unplug for good and remove the port's path (if the unit made it)."""
        self.unplug()
        self._line = None
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    # -- what the unit says and hears ------------------------------------------------------
    def write(self, data: bytes) -> None:
        """The unit prints ``data`` once (it reaches the driver if its port is open)."""
        if not self.plugged:
            raise OSError("the fake serial unit is unplugged")
        os.write(self.master, data)
        self.read()

    def read(self) -> bytes:
        """What the driver sent since the last read (also kept in ``received``)."""
        got = bytearray()
        with contextlib.suppress(BlockingIOError, OSError):  # nothing (more) to read
            while self.plugged and (chunk := os.read(self.master, 4096)):
                got += chunk
        self.received += got
        return bytes(got)

    def talk(self, line: Line, period: float | None = None) -> None:
        """Print ``line()`` every ``period`` seconds from now on (needs a running event loop);
        ``line`` is called each time, so a test changes what the unit reports by changing
        what it returns."""
        self._stop_talking()
        self._line = line
        if period is not None:
            self.period = period
        if self.plugged:
            self._start_talking()

    def hush(self) -> None:
        """The unit stops printing; the port stays open (a quiet unit, not a pulled cable)."""
        self._stop_talking()
        self._line = None

    @property
    def talking(self) -> bool:
        return self._talker is not None

    def _start_talking(self) -> None:
        self._talker = asyncio.get_running_loop().create_task(self._talk())

    def _stop_talking(self) -> None:
        if self._talker is not None:
            self._talker.cancel()
            self._talker = None

    async def _talk(self) -> None:
        while self._line is not None and self.plugged:
            # Nobody has read for a while and the buffer is full: a UART drops it too.
            with contextlib.suppress(BlockingIOError):
                self.write(self._line())
            await asyncio.sleep(self.period)

    # -- as a context manager --------------------------------------------------------------
    def __enter__(self) -> Self:
        self.plug()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@contextlib.contextmanager
def fake_serial_port(
    port: str | Path | None = None, *, period: float = 0.05
) -> Iterator[FakeSerialUnit]:
    """A plugged-in fake unit for the length of the block::

        with fake_serial_port() as unit:
            unit.talk(lambda: b"ON 3\\r\\n")
            ...  # run the driver on unit.port
            assert unit.received == b""  # read-only: nothing was sent to the unit

    ``port``: where the symlink goes (default: a private temporary folder)."""
    with FakeSerialUnit(port, period=period) as unit:
        yield unit
