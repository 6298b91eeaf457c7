"""Pure decoding of notifications by a profile. ``decode_field`` never raises: a frame that
does not fit (wrong length, wrong header, out of range) gives None and is counted by the caller."""

from __future__ import annotations

from tenslog.driver.tracking import Reading
from tenslog_ble.profile import FieldSpec, Profile


def decode_field(spec: FieldSpec, data: bytes) -> float | None:
    if spec.lengths and len(data) not in spec.lengths:
        return None
    if not data.startswith(spec.header):
        return None
    end = spec.offset + spec.width
    if len(data) < end:
        return None
    raw = int.from_bytes(data[spec.offset : end], spec.endian, signed=spec.signed)
    return round(raw * spec.factor, 6)


def encode_field(spec: FieldSpec, value: float, length: int | None = None) -> bytes:
    """A frame carrying ``value`` at the spec's place (for tests and emulated units)."""
    size = length or (spec.lengths[0] if spec.lengths else spec.offset + spec.width)
    frame = bytearray(size)
    frame[: len(spec.header)] = spec.header
    raw = round(value / spec.factor)
    frame[spec.offset : spec.offset + spec.width] = raw.to_bytes(
        spec.width, spec.endian, signed=spec.signed
    )
    return bytes(frame)


class ProfileDecoder:
    """Combines the profile's fields, which may come from different characteristics, into
    readings. With an on/off field nothing is reported until both values are known."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.skipped = 0
        self.frames = 0
        self.reset()

    def reset(self) -> None:
        self.intensity: float | None = None
        self.on: bool | None = None

    def feed(self, characteristic: str, data: bytes, at: float) -> Reading | None:
        p = self.profile
        used = on_off_frame = False
        if characteristic == p.intensity.characteristic:
            value = decode_field(p.intensity, data)
            top = p.scale.maximum
            if value is not None and value >= 0 and (top is None or value <= top):
                self.intensity, used = value, True
        if p.on_off is not None and characteristic == p.on_off.characteristic:
            flag = decode_field(p.on_off, data)
            if flag is not None:
                self.on, used, on_off_frame = flag != 0, True, True
        if not used:
            self.skipped += 1
            return None
        self.frames += 1
        if self.intensity is None:
            return None
        if p.report_on == "on_off_frame" and not on_off_frame:
            return None
        if p.on_off is None:
            return Reading(at, None, self.intensity)  # on while the intensity is above zero
        if self.on is None:
            return None
        return Reading(at, self.on, self.intensity if self.on else None)
