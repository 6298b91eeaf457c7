"""Capture files: what a unit sent, as JSON lines, so a profile or a driver's decoder can be
written and tested without the unit (`tenslog replay`). Line 1 says what the file is::

    {"format": "tenslog-capture", "version": 1, "transport": "ble"}
    {"t": 0.52, "source": "0000150b-0000-1000-8000-00805f9b34fb", "hex": "b1000300"}
    {"t": 3.10, "mark": "level up"}

``t`` is seconds since the capture began (steady clock), ``source`` the characteristic a BLE
notification or read came from ("serial" for a port's raw bytes), ``hex`` the bytes. A ``mark``
is a moment the person noted while capturing. ``read_capture`` checks the whole file first and
names the line of the first problem (cut short, not JSON, a foreign file); nothing else is read."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

FORMAT = "tenslog-capture"
VERSION = 1
MARKS = ("on", "level up", "level down", "off")
MAX_BYTES = 64 * 1024 * 1024  # a day of notifications at 10 per second fits many times over
SERIAL = "serial"
_SOURCE = re.compile(r"^(serial|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


class CaptureError(ValueError):
    """A capture file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Record:
    """One thing the unit sent (``data``), or a mark the person made (``mark``)."""

    t: float
    source: str = ""
    data: bytes = b""
    mark: str = ""


@dataclass(frozen=True, slots=True)
class Capture:
    transport: Literal["ble", "serial"]
    records: tuple[Record, ...]


def header(transport: Literal["ble", "serial"]) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "transport": transport})


def record_line(record: Record) -> str:
    if record.mark:
        return json.dumps({"t": round(record.t, 4), "mark": record.mark})
    return json.dumps({"t": round(record.t, 4), "source": record.source, "hex": record.data.hex()})


def write_capture(path: Path, transport: Literal["ble", "serial"], records: Iterable[Record]) -> None:
    """The whole capture at once (for tests and tools); `tenslog capture` writes as it goes."""
    lines = [header(transport), *(record_line(r) for r in records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_capture(path: Path) -> Capture:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CaptureError(f"{path}: {size} bytes is too large for a capture (at most {MAX_BYTES})")
        raw = path.read_bytes()
    except OSError as exc:
        raise CaptureError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at_line = raw[: exc.start].count(b"\n") + 1
        raise CaptureError(f"{path}, line {at_line}: not UTF-8 text: not a tenslog capture") from None
    lines = text.split("\n")
    cut_short = not text.endswith("\n")  # the writer ends every line; a cut file does not
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise CaptureError(f"{path}, line 1: empty: not a tenslog capture")
    transport = _header(path, lines[0])
    records: list[Record] = []
    last = 0.0
    for number, line in enumerate(lines[1:], start=2):
        where = f"{path}, line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            if cut_short and number == len(lines):
                raise CaptureError(f"{where}: cut short (was the capture interrupted?)") from None
            raise CaptureError(f"{where}: not JSON") from None
        record = _record(where, item)
        if record.t < last:
            raise CaptureError(f"{where}: time {record.t:g} s is before the line above ({last:g} s)")
        last = record.t
        records.append(record)
    return Capture(transport, tuple(records))


def _header(path: Path, line: str) -> Literal["ble", "serial"]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        raise CaptureError(f"{path}, line 1: not JSON: not a tenslog capture") from None
    if not isinstance(item, dict) or item.get("format") != FORMAT:
        raise CaptureError(f"{path}, line 1: not a tenslog capture (no \"format\": \"{FORMAT}\")")
    if item.get("version") != VERSION:
        raise CaptureError(f"{path}, line 1: capture version {item.get('version')!r}; this tenslog reads version {VERSION}")
    transport = item.get("transport")
    if transport not in ("ble", "serial"):
        raise CaptureError(f"{path}, line 1: transport must be \"ble\" or \"serial\", not {transport!r}")
    return "ble" if transport == "ble" else "serial"


def _record(where: str, item: Any) -> Record:
    if not isinstance(item, dict):
        raise CaptureError(f"{where}: not a record (an object with \"t\")")
    t = item.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t < 0:
        raise CaptureError(f"{where}: \"t\" must be seconds since the start (a number ≥ 0)")
    if "mark" in item:
        if item["mark"] not in MARKS:
            raise CaptureError(f"{where}: mark must be one of {', '.join(MARKS)}")
        return Record(float(t), mark=item["mark"])
    source, hexed = item.get("source"), item.get("hex")
    if not isinstance(source, str) or not _SOURCE.match(source):
        raise CaptureError(f"{where}: \"source\" must be \"serial\" or a characteristic UUID")
    if not isinstance(hexed, str):
        raise CaptureError(f"{where}: \"hex\" must be the bytes as hex text")
    try:
        data = bytes.fromhex(hexed)
    except ValueError:
        raise CaptureError(f"{where}: \"hex\" is not hex bytes") from None
    return Record(float(t), source, data)
