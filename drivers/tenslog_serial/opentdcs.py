"""opentdcs-serial: the Open-tDCS-Stack's USB-serial status lines. Sends nothing at all."""

from __future__ import annotations

from tenslog.driver.events import UnitInfo
from tenslog.driver.tracking import Reading
from tenslog.model import Capabilities, IntensityScale
from tenslog_serial.link import SerialLineDriver
from tenslog_serial.opentdcs_decode import CURRENT_MAX_UA, decode_status_line


class OpenTdcsSerialDriver(SerialLineDriver):
    """Reads the firmware's USB status lines and sends nothing (it takes no serial commands)."""

    name = "opentdcs-serial"
    title = "Open-tDCS-Stack over USB serial"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="mA", maximum=CURRENT_MAX_UA / 1000)
    max_line = 160
    # The firmware prints only while a session runs (or BLE is connected); when the lines stop
    # and no "Session COMPLETE" was read, output has ended.
    silence_means = "stopped"
    silence_seconds = 3.0

    def decode(self, line: bytes, at: float) -> Reading | None:
        status = decode_status_line(line)
        if status is None:
            return None
        return Reading(at, status.on, status.set_ma if status.on else None)

    def unit_info(self, identity: str) -> UnitInfo:
        return UnitInfo(self.name, identity, "Open-tDCS-Stack", self.scale, self.capabilities)
