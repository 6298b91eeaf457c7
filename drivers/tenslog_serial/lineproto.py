"""The tenslog line protocol (TLP), spoken by bridges and open units; hardware-notes.md
specifies it. One status line, ASCII, CRC-16 checked so noise is never taken for data:

    $TENS,<ON|OFF>,<intensity>,<scale>*<CRC16 as 4 upper-case hex digits>\\n

Pure functions only: ``decode_line`` never raises, it returns None for anything invalid."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from functools import lru_cache

from tenslog.model import IntensityScale

MAX_LINE = 64  # bytes, terminator excluded; a longer line is noise

_LINE = re.compile(
    rb"\$(TENS,(ON|OFF),(\d{1,4}(?:\.\d{1,3})?),(L|MA)(\d{1,4}(?:\.\d{1,3})?))\*([0-9A-F]{4})"
)


@dataclass(frozen=True, slots=True)
class LineStatus:
    on: bool
    intensity: float
    scale: IntensityScale


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), the checksum of TLP lines."""
    return binascii.crc_hqx(data, 0xFFFF)


@lru_cache(maxsize=32)
def _scale(kind: bytes, maximum: float) -> IntensityScale:
    return IntensityScale(kind="level" if kind == b"L" else "mA", maximum=maximum)


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def encode_line(status: LineStatus) -> bytes:
    """The line a unit sends for ``status``, terminator included."""
    kind = "L" if status.scale.kind == "level" else "MA"
    maximum = status.scale.maximum if status.scale.maximum is not None else 0
    body = (
        f"TENS,{'ON' if status.on else 'OFF'},{_number(status.intensity)},{kind}{_number(maximum)}"
    ).encode("ascii")
    return b"$" + body + b"*" + f"{crc16(body):04X}".encode("ascii") + b"\n"


def decode_line(line: bytes) -> LineStatus | None:
    """A status from one line (terminator optional), or None if it is not a valid TLP line."""
    if len(line) > MAX_LINE + 2:
        return None
    match = _LINE.fullmatch(line.rstrip(b"\r\n"))
    if match is None:
        return None
    body, state, intensity_text, kind, max_text, crc_text = match.groups()
    if crc16(body) != int(crc_text, 16):
        return None
    intensity, maximum = float(intensity_text), float(max_text)
    if maximum <= 0 or intensity > maximum:
        return None
    if kind == b"L" and intensity != int(intensity):
        return None  # a level is a whole number
    return LineStatus(on=state == b"ON", intensity=intensity, scale=_scale(kind, maximum))
