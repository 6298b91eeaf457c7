"""Open-tDCS-Stack's serial status line, decoded. Source: unrelatedlabs/Open-tDCS-Stack,
firmware/opentdcs/opentdcs.ino, measurementCallback(): every 500 ms while a session runs or
BLE is connected it prints

    Set:<uA>uA I:<uA>uA Z:<ohm>Ω Vbat:<mV>mV Vout:<mV>mV Vlipo:<mV>mV[ T-<s>s]

where " T-<s>s" is present only while a session is active. It also prints "Session COMPLETE"
and "Session STOP" when output ends. Only the set current and on/off are kept: impedance,
voltages and the measured current never leave this module (data minimisation)."""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENT_MAX_UA = 4000  # the firmware's hardware limit

_STATUS = re.compile(
    rb"Set:(\d{1,5})uA I:\d{1,5}uA Z:\d{1,5}[^ ]{0,4} Vbat:\d{1,5}mV Vout:\d{1,5}mV"
    rb" Vlipo:\d{1,5}mV( T-\d{1,5}s)?"
)
_ENDED = (b"Session COMPLETE", b"Session STOP")


@dataclass(frozen=True, slots=True)
class TdcsStatus:
    on: bool
    set_ma: float | None  # None on an end-of-session line


def decode_status_line(line: bytes) -> TdcsStatus | None:
    """The status a line reports, or None for anything else. Never raises."""
    text = line.rstrip(b"\r\n")
    if text in _ENDED:
        return TdcsStatus(on=False, set_ma=None)
    match = _STATUS.fullmatch(text)
    if match is None:
        return None
    set_ua = int(match.group(1))
    if set_ua > CURRENT_MAX_UA:
        return None
    return TdcsStatus(on=match.group(2) is not None, set_ma=set_ua / 1000)


def encode_status_line(
    set_ua: int,
    remaining_s: int | None,
    *,
    measured_ua: int = 0,
    impedance: int = 0xFFFF,
    vbat: int = 3700,
    vout: int = 1000,
    vlipo: int = 4000,
) -> bytes:
    """The line the firmware prints (for tests and the simulator)."""
    tail = f" T-{remaining_s}s" if remaining_s is not None else ""
    return (
        f"Set:{set_ua}uA I:{measured_ua}uA Z:{impedance}Ω Vbat:{vbat}mV Vout:{vout}mV"
        f" Vlipo:{vlipo}mV{tail}\r\n"
    ).encode()
