"""A serial unit's dial as the line protocol reports it, for the driver, link and fault tests."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.model import IntensityScale
from tenslog_serial.lineproto import LineStatus, encode_line

LEVELS = IntensityScale(kind="level", maximum=20)


@dataclass
class Dial:
    on: bool = False
    level: int = 0

    def line(self) -> bytes:
        return encode_line(LineStatus(self.on, float(self.level), LEVELS))
