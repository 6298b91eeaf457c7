"""Property tests on every decoder: garbage never raises, valid frames round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.model import IntensityScale
from tenslog_ble.decode import ProfileDecoder, decode_field, encode_field
from tenslog_ble.profile import BUILTIN_DIR, FieldSpec, load_profile
from tenslog_serial.framing import LineFramer
from tenslog_serial.lineproto import MAX_LINE, LineStatus, decode_line, encode_line
from tenslog_serial.opentdcs_decode import (
    CURRENT_MAX_UA,
    TdcsStatus,
    decode_status_line,
    encode_status_line,
)

FAST = settings(max_examples=150, deadline=None)


@st.composite
def line_statuses(draw) -> LineStatus:
    if draw(st.booleans()):
        top = draw(st.integers(1, 9999))
        value = draw(st.integers(0, top))
        scale = IntensityScale(kind="level", maximum=top)
    else:
        top = draw(st.integers(1, 9_999_999)) / 1000
        value = draw(st.integers(0, int(top * 1000))) / 1000
        scale = IntensityScale(kind="mA", maximum=top)
    return LineStatus(draw(st.booleans()), float(value), scale)


@FAST
@given(st.binary(max_size=120))
def test_line_decoder_never_raises_on_garbage(data: bytes) -> None:
    """Garbage is skipped (None); random bytes never carry a line with a matching CRC."""
    assert decode_line(data) is None
    assert decode_line(b"$TENS,ON,5,L20*" + data) is None


@FAST
@given(line_statuses())
def test_line_protocol_round_trips(status: LineStatus) -> None:
    line = encode_line(status)
    assert len(line) <= MAX_LINE + 1
    assert decode_line(line) == status


@FAST
@given(line_statuses(), st.integers(0, 200), st.integers(0, 7))
def test_line_protocol_rejects_any_single_bit_flip(
    status: LineStatus, index: int, bit: int
) -> None:
    line = bytearray(encode_line(status))
    index %= len(line) - 1  # keep the terminator
    line[index] ^= 1 << bit
    assert decode_line(bytes(line)) is None


@FAST
@given(st.lists(st.binary(max_size=80), max_size=20), st.data())
def test_framer_splits_anywhere_and_caps_length(lines: list[bytes], data) -> None:
    clean = [ln.replace(b"\n", b"").replace(b"\r", b"") for ln in lines]
    stream = b"".join(ln + b"\n" for ln in clean)
    framer = LineFramer(max_length=40)
    out: list[bytes] = []
    pos = 0
    while pos < len(stream):
        step = data.draw(st.integers(1, 30))
        out += framer.feed(stream[pos : pos + step])
        pos += step
    assert out == [ln for ln in clean if ln and len(ln) <= 40]
    assert framer.overlong == sum(len(ln) > 40 for ln in clean)


@FAST
@given(st.binary(max_size=200))
def test_opentdcs_line_decoder_never_raises(data: bytes) -> None:
    """Anything but a status line or one of the two end lines is skipped (None)."""
    text = data.rstrip(b"\r\n")
    if text in (b"Session COMPLETE", b"Session STOP"):
        assert decode_status_line(data) == TdcsStatus(on=False, set_ma=None)
    elif not text.startswith(b"Set:"):
        assert decode_status_line(data) is None
    else:
        status = decode_status_line(data)
        assert status is None or (status.set_ma is not None and 0 <= status.set_ma <= CURRENT_MAX_UA / 1000)


@FAST
@given(
    st.integers(0, CURRENT_MAX_UA),
    st.one_of(st.none(), st.integers(0, 65535)),
    st.integers(0, 65535),
    st.integers(0, 65535),
)
def test_opentdcs_line_round_trips(set_ua: int, remaining: int | None, z: int, vbat: int) -> None:
    status = decode_status_line(encode_status_line(set_ua, remaining, impedance=z, vbat=vbat))
    assert status is not None
    assert status.on is (remaining is not None)
    assert status.set_ma == set_ua / 1000


@st.composite
def field_specs(draw) -> FieldSpec:
    header = draw(st.binary(max_size=2))
    width = draw(st.sampled_from([1, 2, 3, 4]))
    offset = len(header) + draw(st.integers(0, 6))
    return FieldSpec(
        service="fff0",
        characteristic="fff1",
        offset=offset,
        width=width,
        endian=draw(st.sampled_from(["little", "big"])),
        header=header.hex(),
        factor=draw(st.sampled_from([1.0, 0.001, 0.5, 10.0])),
    )


@FAST
@given(field_specs(), st.binary(max_size=40))
def test_profile_field_decoder_never_raises(spec: FieldSpec, data: bytes) -> None:
    """Garbage gives the number at the spec's place when the frame is ours and long enough,
    else None: worked out here independently, byte by byte."""
    frame = spec.header + data
    end = spec.offset + spec.width
    if len(frame) < end:
        assert decode_field(spec, frame) is None
    else:
        raw = frame[spec.offset : end]
        raw = raw if spec.endian == "big" else raw[::-1]
        expected = sum(byte << (8 * (len(raw) - 1 - i)) for i, byte in enumerate(raw)) * spec.factor
        assert decode_field(spec, frame) == round(expected, 6)
    if data and not data.startswith(spec.header) and spec.header:
        assert decode_field(spec, data) is None


@FAST
@given(field_specs(), st.data())
def test_profile_field_round_trips(spec: FieldSpec, data) -> None:
    raw = data.draw(st.integers(0, 2 ** (8 * spec.width) - 1))
    value = round(raw * spec.factor, 6)
    assert decode_field(spec, encode_field(spec, value)) == value


@FAST
@given(
    st.lists(
        st.tuples(st.sampled_from(["meas", "timer", "other"]), st.binary(max_size=16)), max_size=30
    )
)
def test_profile_decoder_never_raises_and_stays_in_scale(frames) -> None:
    profile = load_profile(BUILTIN_DIR / "open-tdcs.toml")
    uuids = {
        "meas": profile.intensity.characteristic,
        "timer": profile.on_off.characteristic,
        "other": "00002a19-0000-1000-8000-00805f9b34fb",
    }
    decoder = ProfileDecoder(profile)
    for kind, frame in frames:
        reading = decoder.feed(uuids[kind], frame, 0.0)
        if reading is not None and reading.intensity is not None:
            assert 0 <= reading.intensity <= 4
