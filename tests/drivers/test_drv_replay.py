"""`tenslog replay`: a capture file through a profile or a driver's decoder, offline. The built-in
profiles and drivers replay captures of their documented frames; bad captures (cut short, not
JSON, a foreign file, ...) are refused naming the line, never with a traceback."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.capture import CaptureError, Record, read_capture, write_capture
from tenslog.cli.main import cli
from tenslog.model import IntensityScale
from tenslog_ble.decode import encode_field
from tenslog_ble.profile import BUILTIN_DIR, load_profile
from tenslog_serial.lineproto import LineStatus, encode_line

COYOTE = "0000150b-0000-1000-8000-00805f9b34fb"
ZC_DIAL1 = "ac7744c0-0bad-11ef-a9cd-0800200c9b01"
TDCS_MEAS = "a1b2c3d5-1234-5678-abcd-ef0123456789"
TDCS_TIMER = "a1b2c3d6-1234-5678-abcd-ef0123456789"
EM70 = "646687fb-033f-9393-6ca2-0e9401ad2a30"


def replay(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["replay", str(path), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_coyote_capture_replays_through_its_profile(tmp_path: Path) -> None:
    path = tmp_path / "coyote.jsonl"
    write_capture(path, "ble", [
        Record(0.5, COYOTE, bytes.fromhex("b1000000")),
        Record(1.0, mark="on"),
        Record(1.2, COYOTE, bytes.fromhex("b1010500")),
        Record(2.0, mark="level up"),
        Record(2.1, COYOTE, bytes.fromhex("be01")),  # another message on the same characteristic
        Record(2.2, COYOTE, bytes.fromhex("b1020800")),
        Record(3.0, mark="off"),
        Record(3.1, COYOTE, bytes.fromhex("b1030000")),
    ])
    code, output = replay(path, "--profile", "coyote-v3")
    assert code == 0, output
    assert output.splitlines() == [
        "     0.50 s  off",
        "     1.00 s  -- you marked: on",
        "     1.20 s  on, level 5",
        "     2.00 s  -- you marked: level up",
        "     2.20 s  level 8",
        "     3.00 s  -- you marked: off",
        "     3.10 s  off",
        "4 event(s) from 5 record(s) of ble data",
    ]


def test_the_zc95_and_open_tdcs_profiles_replay_their_documented_frames(tmp_path: Path) -> None:
    zc95 = load_profile(BUILTIN_DIR / "zc95.toml")
    path = tmp_path / "zc95.jsonl"
    write_capture(path, "ble", [Record(t, ZC_DIAL1, encode_field(zc95.intensity, v))
                                for t, v in [(0.1, 0), (0.2, 250), (0.3, 1000), (0.4, 0)]])
    assert replay(path, "--profile", "zc95")[1].splitlines()[:4] == [
        "     0.10 s  off", "     0.20 s  on, level 250", "     0.30 s  level 1000", "     0.40 s  off"]

    tdcs = load_profile(BUILTIN_DIR / "open-tdcs.toml")
    path = tmp_path / "tdcs.jsonl"
    records = []
    for t, ua, remaining in [(0.5, 50, 0), (1.0, 1500, 600), (1.5, 2000, 599), (2.0, 50, 0)]:
        records.append(Record(t, TDCS_MEAS, encode_field(tdcs.intensity, ua / 1000, 12)))
        records.append(Record(t, TDCS_TIMER, encode_field(tdcs.on_off, remaining)))
    write_capture(path, "ble", records)
    assert replay(path, "--driver", "opentdcs-ble")[1].splitlines()[:4] == [
        "     0.50 s  off", "     1.00 s  on, level 1.5", "     1.50 s  level 2", "     2.00 s  off"]


def test_the_documented_em70_capture_replays_through_its_driver(tmp_path: Path) -> None:
    received = ["5a0c07000901001e3e000000d3", "5a0501030063", "5a0c07010901031d3b3b00010e",
                "5a0501040064", "5a0c07010901041d3a3a00010d"]
    path = tmp_path / "em70.jsonl"
    write_capture(path, "ble", [Record(float(i), EM70, bytes.fromhex(h)) for i, h in enumerate(received)])
    code, output = replay(path, "--driver", "beurer-em70")
    assert code == 0, output
    assert output.splitlines() == [
        "     0.00 s  note: program 9",
        "     0.00 s  off",
        "     1.00 s  on, level 3",
        "     3.00 s  level 4",
        "4 event(s) from 5 record(s) of ble data",
    ]


def test_a_serial_capture_replays_through_line_serial_across_split_reads(tmp_path: Path) -> None:
    scale = IntensityScale(kind="level", maximum=20)
    raw = b"boot\r\n" + encode_line(LineStatus(True, 4, scale)) + encode_line(LineStatus(False, 0, scale))
    path = tmp_path / "serial.jsonl"
    write_capture(path, "serial", [Record(0.1, "serial", raw[:9]), Record(0.2, "serial", raw[9:30]),
                                   Record(0.3, "serial", raw[30:])])
    code, output = replay(path, "--driver", "line-serial")
    assert code == 0, output
    assert output.splitlines()[:2] == ["     0.20 s  on, level 4", "     0.30 s  off"]


def _line(path: Path, *lines: str, end: str = "\n") -> Path:
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


HEADER = json.dumps({"format": "tenslog-capture", "version": 1, "transport": "ble"})
GOOD = json.dumps({"t": 1, "source": COYOTE, "hex": "b1000300"})


@pytest.mark.parametrize(
    ("lines", "end", "said"),
    [
        ([HEADER, GOOD, '{"t": 2, "source": "serial", "he'], "", "line 3: cut short (was the capture interrupted?)"),
        ([HEADER, GOOD, "hello", GOOD], "\n", "line 3: not JSON"),
        (["id,kind,start", "1,tens,2025-01-01"], "\n", "line 1: not JSON: not a tenslog capture"),
        (['{"format": "tenslog", "version": 1}'], "\n", 'line 1: not a tenslog capture (no "format": "tenslog-capture")'),
        ([], "", "line 1: empty: not a tenslog capture"),
        ([HEADER.replace('"version": 1', '"version": 9')], "\n", "line 1: capture version 9; this tenslog reads version 1"),
        ([HEADER, GOOD, json.dumps({"t": 0.5, "source": COYOTE, "hex": "00"})], "\n", "line 3: time 0.5 s is before the line above (1 s)"),
        ([HEADER, json.dumps({"t": 1, "source": COYOTE, "hex": "zz"})], "\n", 'line 2: "hex" is not hex bytes'),
        ([HEADER, json.dumps({"t": 1, "source": "\x1b[31m", "hex": "00"})], "\n", 'line 2: "source" must be "serial" or a characteristic UUID'),
        ([HEADER, json.dumps({"t": -1, "mark": "on"})], "\n", 'line 2: "t" must be seconds since the start (a number ≥ 0)'),
        ([HEADER, json.dumps({"t": 1, "mark": "boom"})], "\n", "line 2: mark must be one of on, level up, level down, off"),
    ],
)
def test_a_bad_capture_is_refused_naming_the_line(tmp_path: Path, lines, end, said) -> None:
    path = _line(tmp_path / "bad.jsonl", *lines, end=end) if lines else _line(tmp_path / "bad.jsonl", end="")
    code, output = replay(path, "--profile", "coyote-v3")
    assert code == 1
    assert output.strip() == f"Error: {path}, {said}"


def test_replay_needs_a_profile_or_a_driver_that_can_replay(tmp_path: Path) -> None:
    path = _line(tmp_path / "ok.jsonl", HEADER, GOOD)
    code, output = replay(path)
    assert code == 2 and "give one of --profile ID or --driver NAME" in output
    code, output = replay(path, "--driver", "simulator")
    assert (code, output.strip()) == (1, "Error: driver 'simulator' cannot replay captures")
    code, output = replay(path, "--driver", "ble-profile")
    assert code == 1 and "choose the profile to replay with: --profile ID (known: " in output
    code, output = replay(tmp_path / "missing.jsonl", "--profile", "zc95")
    assert code == 1 and "missing.jsonl: cannot be read: No such file or directory" in output


_records = st.lists(
    st.one_of(
        st.builds(Record, st.floats(0, 1e6), st.sampled_from(["serial", COYOTE]), st.binary(max_size=20)),
        st.builds(lambda t, m: Record(t, mark=m), st.floats(0, 1e6), st.sampled_from(["on", "off", "level up"])),
    ),
    max_size=20,
).map(lambda rs: sorted(rs, key=lambda r: r.t))


@settings(deadline=None)
@given(_records)
def test_a_written_capture_reads_back_the_same(tmp_path_factory, records) -> None:
    path = tmp_path_factory.mktemp("cap") / "c.jsonl"
    write_capture(path, "ble", records)
    back = read_capture(path).records
    assert [(r.source, r.data, r.mark) for r in back] == [(r.source, r.data, r.mark) for r in records]
    assert all(math.isclose(a.t, round(b.t, 4), abs_tol=1e-9) for a, b in zip(back, records, strict=True))


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_as_a_capture_or_a_capture_error(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("cap") / "c.jsonl"
    path.write_text(HEADER + "\n" + text, encoding="utf-8", errors="surrogatepass")
    try:
        read_capture(path)
    except CaptureError as exc:
        assert str(exc).startswith(f"{path}, line ")


def test_the_worked_example_profile_in_hardware_notes_replays_its_capture(tmp_path: Path) -> None:
    notes = (Path(__file__).resolve().parents[2] / "hardware-notes.md").read_text(encoding="utf-8")
    example = notes.split("### Worked example", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    profile = tmp_path / "my-unit.toml"
    profile.write_text(example, encoding="utf-8")
    ffe1 = "0000ffe1-0000-1000-8000-00805f9b34fb"

    def frame(command: int, level: int) -> bytes:
        body = bytes([0x5A, 0x05, command, level, 0x00])
        return body + bytes([sum(body) & 0xFF])

    path = tmp_path / "unit.jsonl"
    write_capture(path, "ble", [
        Record(1.0, mark="level up"), Record(1.1, ffe1, frame(1, 3)),
        Record(2.0, mark="level up"), Record(2.1, ffe1, frame(1, 4)),
        Record(3.0, mark="off"), Record(3.1, ffe1, bytes.fromhex("5a050c00006b")), Record(3.2, ffe1, frame(1, 0)),
    ])
    code, output = replay(path, "--profile", str(profile))
    assert code == 0, output
    assert [line.split("s  ", 1)[1] for line in output.splitlines()[:-1]] == [
        "-- you marked: level up", "on, level 3", "-- you marked: level up", "level 4",
        "-- you marked: off", "off",
    ]
