"""Beurer EM 70 Wireless frames, decoded without I/O. Sources: Trojan13/ma-ems (a master's
thesis): ``first_ble_log_documented.txt`` (a capture), ``BLE_Emulator_JAVA`` (the vendor app's
classes, decompiled) and ``BLE_Emulator_Python/EM70.py``.

A frame is ``0x5A, length, command, info..., checksum``. The capture and the app's
``BaseBean`` agree: ``length`` = info bytes + 4, the frame is ``length + 1`` bytes and ends in a
two-byte big-endian sum of every byte before it (``5a 05 07 00 | 00 66``). ``EM70.py`` reads a
one-byte checksum (the last byte) instead; such frames are accepted too, with one info byte more.
``decode`` never raises: anything else is None, and the caller counts it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal, TypeAlias

START = 0x5A


class Command(IntEnum):
    """The command byte (``EM70.py`` ``Command``, the Java beans' ``COMMAND``)."""

    INTENSITY_ADD = 1  # changes stimulation: never sent by tenslog
    INTENSITY_CUT = 2  # changes stimulation
    INTENSITY_SET = 3  # changes stimulation
    PROGRAM_SET = 4  # changes stimulation
    INTENSITY_LOCK = 5  # changes the unit's lock
    PROGRAM_PAUSE = 6  # changes stimulation
    STATE_READ = 7  # harmless: asks for the full state
    VERSION_READ = 8  # harmless: asks for the hardware and software version
    INTENSITY_NOTICE = 11
    SESSION_STOPPED = 12
    SHUTDOWN = 13  # switches the unit off
    OVERLOAD = 14
    LOW_BATTERY = 15


@dataclass(frozen=True, slots=True)
class Frame:
    command: int
    info: bytes
    checksum: Literal[1, 2]  # bytes of checksum: 2 as captured, 1 as EM70.py reads


def encode(command: int, info: bytes) -> bytes:
    """A frame as the vendor app builds it (two-byte checksum)."""
    body = bytes([START, len(info) + 4, command, *info])
    return body + (sum(body) & 0xFFFF).to_bytes(2, "big")


def parse(data: bytes) -> Frame | None:
    if len(data) < 5 or data[0] != START or len(data) != data[1] + 1:
        return None
    if data[-2:] == (sum(data[:-2]) & 0xFFFF).to_bytes(2, "big"):
        return Frame(data[2], bytes(data[3:-2]), 2)
    if data[-1] == sum(data[:-1]) & 0xFF:
        return Frame(data[2], bytes(data[3:-1]), 1)
    return None


# The only writes tenslog ever sends (hardware-notes.md): both ask, neither changes anything.
STATE_QUERY = encode(Command.STATE_READ, b"\x00")  # 5a0507000066, as in the capture
VERSION_QUERY = encode(Command.VERSION_READ, b"\x00")  # 5a0508000067
ALLOWED_WRITES = frozenset({STATE_QUERY, VERSION_QUERY})


@dataclass(frozen=True, slots=True)
class State:
    """The reply to the state query. Verified from the capture: ``intensity`` (info 3: 0, 3, 4
    as the level was raised), ``program`` (info 1), ``minutes_left`` (info 4: 30, then 29)."""

    intensity: int
    program: int
    minutes_left: int


@dataclass(frozen=True, slots=True)
class Intensity:
    """The level now (command 11, and the unit's answer to commands 1-3, as captured)."""

    intensity: int


@dataclass(frozen=True, slots=True)
class Program:
    program: int


@dataclass(frozen=True, slots=True)
class SessionStopped:
    pass


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to tell the person (overload, low battery); never stored."""

    text: str


@dataclass(frozen=True, slots=True)
class Version:
    hardware: int
    software: int


Message: TypeAlias = State | Intensity | Program | SessionStopped | Notice | Version

OVERLOAD_TEXT = "the unit reports an overload (check the electrodes)"
LOW_BATTERY_TEXT = "the unit reports a low battery"
MAX_LEVEL = 127  # the app reads levels as signed bytes: above 127 is no level (refused)


def decode(data: bytes) -> Message | None:
    frame = parse(data)
    if frame is None:
        return None
    info = frame.info
    match frame.command:
        case Command.STATE_READ if len(info) >= 8:
            if info[3] > MAX_LEVEL:
                return None
            return State(intensity=info[3], program=info[1], minutes_left=info[4])
        case (
            Command.INTENSITY_NOTICE
            | Command.INTENSITY_ADD
            | Command.INTENSITY_CUT
            | Command.INTENSITY_SET
        ) if info:
            return Intensity(info[0]) if info[0] <= MAX_LEVEL else None
        case Command.PROGRAM_SET if info:
            return Program(info[0])
        case Command.SESSION_STOPPED:
            return SessionStopped()
        case Command.OVERLOAD:
            return Notice(OVERLOAD_TEXT)
        case Command.LOW_BATTERY:
            return Notice(LOW_BATTERY_TEXT)
        case Command.VERSION_READ if len(info) >= 2:
            return Version(info[0], info[1])
    return None
