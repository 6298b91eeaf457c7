"""Decoder behaviour that mutation testing showed no test pinned (see docs/mutation.md): exact
firmware lines, exact frames, a framer that forgets a discarded line on reconnect, profile
matching and loading. Each test names what a user (or a driver author) would notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenslog.model import IntensityScale
from tenslog_ble.decode import decode_field, encode_field
from tenslog_ble.profile import BUILTIN_DIR, FieldSpec, Match, load_profiles, user_profile_dir
from tenslog_serial.framing import LineFramer
from tenslog_serial.opentdcs_decode import TdcsStatus, decode_status_line, encode_status_line

SERVICE = "0000180c-0000-1000-8000-00805f9b34fb"
CHAR = "0000fff1-0000-1000-8000-00805f9b34fb"


def test_the_emulated_opentdcs_prints_the_firmwares_exact_line() -> None:
    # The emulated unit (tests, simulator) must print what the firmware prints, byte for byte.
    assert encode_status_line(1500, 120) == (
        "Set:1500uA I:0uA Z:65535Ω Vbat:3700mV Vout:1000mV Vlipo:4000mV T-120s\r\n".encode()
    )
    assert encode_status_line(0, None, measured_ua=7, impedance=812, vbat=3650, vout=20, vlipo=3900) == (
        "Set:0uA I:7uA Z:812Ω Vbat:3650mV Vout:20mV Vlipo:3900mV\r\n".encode()
    )


def test_opentdcs_lines_decode_to_exact_values_and_nothing_near_them() -> None:
    line = b"Set:1500uA I:1499uA Z:812\xce\xa9 Vbat:3700mV Vout:1000mV Vlipo:4000mV T-120s\r\n"
    assert decode_status_line(line) == TdcsStatus(on=True, set_ma=1.5)
    assert decode_status_line(line.replace(b" T-120s", b"")) == TdcsStatus(on=False, set_ma=1.5)
    assert decode_status_line(b"Session COMPLETE\r\n") == TdcsStatus(on=False, set_ma=None)
    assert decode_status_line(b"Session STOP\n") == TdcsStatus(on=False, set_ma=None)
    # Only CR/LF end a line: other trailing bytes make it a different line, refused.
    assert decode_status_line(b"Session STOP \r\n") is None
    assert decode_status_line(b"Session STOPX\r\n") is None
    assert decode_status_line(line.replace(b"\r\n", b" \r\n")) is None
    assert decode_status_line(line.replace(b"1500uA I", b"4000uA I")) == TdcsStatus(True, 4.0)
    assert decode_status_line(line.replace(b"1500uA I", b"4001uA I")) is None


def test_a_reset_framer_reads_the_next_line_whole() -> None:
    framer = LineFramer(max_length=8)
    framer.reset()
    assert framer.feed(b"A1\n") == [b"A1"]
    assert framer.feed(b"x" * 20) == []  # an over-long line, discarded up to its end...
    framer.reset()  # ...but the link was re-opened: the next bytes start a new line
    assert framer.feed(b"B2\r\n") == [b"B2"]
    assert framer.overlong == 1


def test_a_profile_frame_is_built_exactly_where_the_spec_says() -> None:
    spec = FieldSpec(service=SERVICE, characteristic=CHAR, offset=1, width=2, endian="big",
                     factor=0.5, header="B1", lengths=(5, 6))
    frame = encode_field(spec, 10.0)
    assert frame == b"\xb1\x00\x14\x00\x00"  # the first accepted length, 20 raw = 10.0 x 2
    assert encode_field(spec, 10.0, length=6) == b"\xb1\x00\x14\x00\x00\x00"
    assert decode_field(spec, frame) == 10.0
    signed = FieldSpec(service=SERVICE, characteristic=CHAR, width=2, signed=True)
    assert encode_field(signed, -2) == b"\xfe\xff"
    assert decode_field(signed, b"\xfe\xff") == -2


def test_unit_names_match_exactly_or_by_a_starred_prefix_and_services_in_any_case() -> None:
    exact = Match(names=("ZC95",))
    assert exact.accepts("ZC95", [])
    assert not exact.accepts("ZC9X", [])  # no star: not a prefix
    assert not exact.accepts("ZC9", [])
    starred = Match(names=("ZC*",))
    assert starred.accepts("ZC95", []) and starred.accepts("ZC", [])
    assert not starred.accepts("Z", []) and not starred.accepts("XZC95", [])
    longer = Match(names=("47L1*",))
    assert longer.accepts("47L121000", []) and not longer.accepts("47L0", [])
    by_service = Match(services=("180C",))
    assert by_service.accepts(None, [SERVICE.upper()])
    assert by_service.accepts("anything", [SERVICE])
    assert not by_service.accepts(None, ["0000180d-0000-1000-8000-00805f9b34fb"])


def test_user_profiles_live_in_the_tenslog_config_folder(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_profile_dir() == tmp_path / "tenslog" / "profiles"


PROFILE = """
name = "My unit"
match = {{ names = ["MY*"] }}
scale = {{ kind = "level", maximum = {top} }}
intensity = {{ service = "180c", characteristic = "fff1" }}
"""


def test_bad_profile_files_are_each_named_and_the_good_ones_still_load(tmp_path: Path) -> None:
    builtin, none = load_profiles()
    assert none == [] and set(builtin) == {p.stem for p in BUILTIN_DIR.glob("*.toml")}
    (tmp_path / "a-broken.toml").write_text("name = ")
    (tmp_path / "b-mine.toml").write_text(PROFILE.format(top=20))
    (tmp_path / "c-bad-scale.toml").write_text(PROFILE.format(top=-1))
    (tmp_path / "zc95.toml").write_text(PROFILE.format(top=30))  # overrides the built-in
    profiles, problems = load_profiles(tmp_path / "missing", tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith(f"profile {tmp_path / 'a-broken.toml'}: not valid TOML")
    assert problems[1].startswith(f"profile {tmp_path / 'c-bad-scale.toml'}: ")
    assert profiles["b-mine"].scale == IntensityScale(kind="level", maximum=20)
    assert profiles["zc95"].name == "My unit" and profiles["zc95"].scale.maximum == 30
    assert set(profiles) == set(builtin) | {"b-mine"}


def test_a_profile_with_several_mistakes_names_each_one_separated(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(PROFILE.format(top=-1).replace('characteristic = "fff1"',
                                                   'characteristic = "fff1", width = 9'))
    _, (problem,) = load_profiles(tmp_path)
    assert problem == (f"profile {path}: scale.maximum: input should be greater than 0 (got -1); "
                       "intensity.width: input should be 1, 2, 3 or 4 (got 9)")


def test_profile_mistakes_a_writer_makes_are_explained_in_words(tmp_path: Path) -> None:
    bad = PROFILE.format(top=2).replace('characteristic = "fff1"', 'characteristic = "zz", header = "QQ"')
    (tmp_path / "bad.toml").write_text(bad)
    (tmp_path / "folder.toml").mkdir()
    _, problems = load_profiles(tmp_path)
    assert problems == [
        (f"profile {tmp_path / 'bad.toml'}: intensity.characteristic: is not a Bluetooth UUID "
        "(16-bit like '180c' or 128-bit) (got 'zz'); intensity.header: is not hex bytes such as "
        "'B1' or 'B1 00' (got 'QQ')"),
        f"profile {tmp_path / 'folder.toml'}: cannot be read: Is a directory",
    ]


def test_profile_uuids_and_headers_may_be_written_with_0x_and_spaces(tmp_path: Path) -> None:
    text = PROFILE.format(top=20).replace(
        'characteristic = "fff1"', 'characteristic = "0xFFF1", header = "0xB1 0x00", offset = 2')
    (tmp_path / "mine.toml").write_text(text)
    profiles, problems = load_profiles(tmp_path)
    assert problems == []
    spec = profiles["mine"].intensity
    assert spec.characteristic == CHAR and spec.header == b"\xb1\x00"


def test_field_values_keep_six_decimals() -> None:
    fine = FieldSpec(service=SERVICE, characteristic=CHAR, factor=0.0000001)
    assert decode_field(fine, b"\x03") == 0.0  # 3e-7 is below the sixth decimal
    assert decode_field(FieldSpec(service=SERVICE, characteristic=CHAR, factor=0.1), b"\x03") == 0.3


def test_a_profile_with_an_on_off_field_reports_the_state_with_the_level() -> None:
    from tenslog_ble.decode import ProfileDecoder
    from tenslog_ble.profile import parse_profile

    text = PROFILE.format(top=20) + 'on_off = { service = "180c", characteristic = "fff2" }\n'
    profile = parse_profile(text, origin="test", default_id="mine")
    assert profile.on_off is not None
    decoder = ProfileDecoder(profile)
    assert decoder.feed(profile.intensity.characteristic, b"\x07", 1.0) is None  # on/off not known yet
    on = decoder.feed(profile.on_off.characteristic, b"\x01", 2.0)
    assert on is not None and (on.at, on.on, on.intensity) == (2.0, True, 7)
    off = decoder.feed(profile.on_off.characteristic, b"\x00", 3.0)
    assert off is not None and (off.at, off.on, off.intensity) == (3.0, False, None)


def tlp(body: bytes) -> bytes:
    """A TLP line with its checksum worked out here (CRC-16/CCITT-FALSE, hardware-notes.md)."""
    import binascii

    return b"$" + body + b"*" + f"{binascii.crc_hqx(body, 0xFFFF):04X}".encode() + b"\n"


def test_the_emulated_line_unit_sends_the_documented_lines_byte_for_byte() -> None:
    from tenslog_serial.lineproto import LineStatus, encode_line

    level20 = IntensityScale(kind="level", maximum=20)
    assert encode_line(LineStatus(False, 0, level20)) == b"$TENS,OFF,0,L20*6360\n"
    assert encode_line(LineStatus(True, 12, level20)) == b"$TENS,ON,12,L20*2DAA\n"
    assert encode_line(LineStatus(True, 1.5, IntensityScale(kind="mA", maximum=4))) == b"$TENS,ON,1.5,MA4*02DA\n"
    assert encode_line(LineStatus(True, 10.25, IntensityScale(kind="mA", maximum=80))) == tlp(b"TENS,ON,10.25,MA80")
    assert encode_line(LineStatus(False, 0, IntensityScale(kind="level"))) == tlp(b"TENS,OFF,0,L0")


def test_tlp_lines_near_valid_ones_are_refused() -> None:
    from tenslog_serial.lineproto import LineStatus, decode_line

    assert decode_line(tlp(b"TENS,ON,20,L20")) == LineStatus(True, 20, IntensityScale(kind="level", maximum=20))
    assert decode_line(tlp(b"TENS,ON,20,L20").replace(b"\n", b"\r\n")) is not None
    assert decode_line(tlp(b"TENS,ON,20,L20").replace(b"\n", b" \n")) is None  # only CR/LF end it
    assert decode_line(tlp(b"TENS,ON,20,L20").replace(b"\n", b"X\n")) is None
    assert decode_line(tlp(b"TENS,OFF,0,L0")) is None  # a scale needs a maximum above 0
    assert decode_line(tlp(b"TENS,ON,1.5,L20")) is None  # a level is a whole number
    assert decode_line(tlp(b"TENS,ON,1.5,MA20")) == LineStatus(True, 1.5, IntensityScale(kind="mA", maximum=20))


def test_a_profile_reading_at_the_scales_top_is_kept() -> None:
    from tenslog_ble.decode import ProfileDecoder
    from tenslog_ble.profile import parse_profile

    profile = parse_profile(PROFILE.format(top=20), origin="test", default_id="mine")
    decoder = ProfileDecoder(profile)
    frame = encode_field(profile.intensity, 20)
    reading = decoder.feed(profile.intensity.characteristic, frame, 5.0)
    assert reading is not None and (reading.at, reading.on, reading.intensity) == (5.0, None, 20)
    assert decoder.feed(profile.intensity.characteristic, encode_field(profile.intensity, 21), 6.0) is None
    assert (decoder.frames, decoder.skipped) == (1, 1)
