"""`tenslog capture`: record what an unknown unit sends into a JSON-lines file, read-only, with
the moments you mark by key presses (see tenslog.capturing and hardware-notes.md)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from tenslog.text import shown

KEYS = {"o": "on", "+": "level up", "-": "level down", "f": "off"}


@click.command("capture")
@click.option("--ble", "address", metavar="ADDRESS", help="The Bluetooth address of the unit (from tenslog scan).")
@click.option("--port", metavar="PATH", help="The serial port of the unit.")
@click.option("--baudrate", type=click.IntRange(300, 4_000_000), default=115200, show_default=True, help="The serial port's speed.")
@click.option("--seconds", type=click.FloatRange(0.1, 86400), help="Stop after this long (default: when you press q).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The new capture file (never overwritten).")
def capture_command(address: str | None, port: str | None, baudrate: int, seconds: float | None, output: Path) -> None:
    """Record what a unit sends, changing nothing on it. Press o when you switch it on, + and -
    as you change the level, f when you switch it off, q to stop (piped input: one mark a
    line: on, level up, level down, off, q)."""
    from tenslog.capturing import CaptureWriter, capture_ble, capture_serial

    if (address is None) == (port is None):
        raise click.UsageError("give one of --ble ADDRESS or --port PATH")
    try:
        out = CaptureWriter(output, "ble" if address else "serial")
    except FileExistsError:
        raise click.ClickException(shown(f"{output} already exists: give a new file name")) from None
    except OSError as exc:
        raise click.ClickException(shown(f"{output}: cannot be written: {exc.strerror or exc}")) from None

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, stop.set)
        if seconds is not None:
            loop.call_later(seconds, stop.set)
        with _marks(out.mark, stop):
            click.echo("capturing; o on, + / - level, f off, q stop", err=True)
            if address:
                await capture_ble(address, out, stop)
            else:
                assert port is not None
                await capture_serial(port, baudrate, out, stop)

    try:
        with out:
            asyncio.run(run())
    except Exception as exc:  # noqa: BLE001 - no adapter, no such port: one line, the file kept
        if address and isinstance(exc, OSError) and not str(exc).startswith("no Bluetooth device"):
            exc = OSError("Bluetooth is not available")  # not an errno: see tenslog scan
        raise click.ClickException(shown(f"capture stopped: {exc or type(exc).__name__} ({out.records} record(s) kept in {output})")) from None
    click.echo(shown(f"{out.records} record(s) captured into {output}"))


@contextlib.contextmanager
def _marks(mark: Callable[[str], None], stop: asyncio.Event) -> Iterator[None]:
    """Key presses (a terminal) or lines (piped input) on stdin become marks."""
    fd = sys.stdin.fileno() if sys.stdin is not None else -1
    if fd < 0:
        yield
        return
    is_tty = os.isatty(fd)
    saved = termios.tcgetattr(fd) if is_tty else None
    if is_tty:
        tty.setcbreak(fd)
    buffer = bytearray()

    def readable() -> None:
        try:
            data = os.read(fd, 1024)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(fd)  # end of input: marks end, capturing goes on
            return
        if is_tty:
            for key in data.decode(errors="replace"):
                if key == "q":
                    stop.set()
                elif key in KEYS:
                    mark(KEYS[key])
                    click.echo(f"marked: {KEYS[key]}", err=True)
            return
        buffer.extend(data)
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            word = line.decode(errors="replace").strip()
            if word in ("q", "quit"):
                stop.set()
            else:
                mark(word)

    loop = asyncio.get_running_loop()
    try:
        loop.add_reader(fd, readable)
    except OSError:  # /dev/null or a file cannot be watched: no marks, the capture goes on
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        yield
        return
    try:
        yield
    finally:
        loop.remove_reader(fd)
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
