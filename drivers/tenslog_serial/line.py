"""line-serial: units and bridges speaking the tenslog line protocol (TLP, see lineproto.py
and hardware-notes.md). Passive: the unit reports, we only listen."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from tenslog.driver.events import UnitInfo
from tenslog.driver.tracking import Reading
from tenslog.model import Capabilities, IntensityScale
from tenslog.text import check_name
from tenslog_serial.lineproto import MAX_LINE, LineStatus, decode_line
from tenslog_serial.link import SerialLineDriver

DECODED_KEPT = 512  # distinct valid lines remembered


class LineSerialDriver(SerialLineDriver):
    """A unit or bridge printing tenslog line protocol status lines; each line declares the scale."""

    name = "line-serial"
    title = "Unit or bridge speaking the tenslog line protocol"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level")  # the real scale is declared in every line
    max_line = MAX_LINE
    silence_means = "lost"  # TLP units report at least once a second

    class Options(SerialLineDriver.Options):
        name: Annotated[str, AfterValidator(check_name)] = Field(
            "TENS unit (line protocol)", description="the unit's name, as shown and stored"
        )

    options: Options

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        self.unit_name = self.options.name
        self.declared: IntensityScale | None = None
        self._decoded: dict[bytes, LineStatus] = {}

    def decode(self, line: bytes, at: float) -> Reading | None:
        # A unit sends the same few lines (its state and level) over and over: each valid one
        # is checked once, then found here. Per driver, and bounded for units with fine steps.
        status = self._decoded.get(line)
        if status is None:
            status = decode_line(line)
            if status is None:
                return None
            if len(self._decoded) >= DECODED_KEPT:
                self._decoded.clear()
            self._decoded[line] = status
        if self.declared is None:
            self.declared = status.scale
        # decode_line hands out one object per scale: `is` spares most pydantic comparisons.
        elif status.scale is not self.declared and status.scale != self.declared:
            return None  # a unit cannot change its scale mid-stream: this is not our unit
        return Reading(at, status.on, status.intensity)

    def unit_info(self, identity: str) -> UnitInfo | None:
        if self.declared is None:
            return None
        return UnitInfo(self.name, identity, self.unit_name, self.declared, self.capabilities)
