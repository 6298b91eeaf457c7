"""`tenslog capture`: what an unknown unit sends, recorded read-only into a capture file that
`tenslog replay` reads: over a real pty (the command itself, marks piped in) and over bleak's
own client against a fake peripheral (every notifying characteristic, reads, no writes)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from tenslog.capture import read_capture
from tenslog.capturing import CaptureWriter, capture_ble
from tenslog.cli.main import cli
from tenslog.model import IntensityScale
from tenslog.testing import Airspace, FakePeripheral, fake_serial_port
from tenslog_serial.lineproto import LineStatus, encode_line

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
SCALE = IntensityScale(kind="level", maximum=20)


async def test_a_serial_capture_keeps_the_bytes_and_marks_and_sends_nothing(tmp_path: Path) -> None:
    out = tmp_path / "unit.jsonl"
    with fake_serial_port(period=0.05) as unit:
        level = {"on": False, "value": 0}
        unit.talk(lambda: encode_line(LineStatus(level["on"], level["value"], SCALE)))
        proc = await asyncio.create_subprocess_exec(
            TENSLOG, "capture", "--port", unit.port, "--seconds", "60", "-o", str(out),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        assert proc.stdin is not None
        await _until(lambda: out.exists() and out.read_text().count("\n") > 3)
        level.update(on=True, value=4)
        proc.stdin.write(b"on\n")
        await proc.stdin.drain()
        await _until(lambda: '"mark": "on"' in out.read_text() and "ON,4" in _bytes(out))
        level.update(value=6)
        proc.stdin.write(b"level up\n")
        await _until(lambda: "ON,6" in _bytes(out))
        level.update(on=False, value=0)
        proc.stdin.write(b"off\n")
        await _until(lambda: '"mark": "off"' in out.read_text())
        await _until(lambda: _bytes(out).rstrip().endswith(encode_line(LineStatus(False, 0, SCALE)).decode().rstrip()))
        proc.stdin.write(b"q\n")
        await proc.stdin.drain()
        async with asyncio.timeout(60):
            stdout, stderr = await proc.communicate()
        assert proc.returncode == 0, stderr.decode()
        assert unit.received == b""  # read-only: not one byte went to the unit
    capture = read_capture(out)
    assert capture.transport == "serial"
    assert [r.mark for r in capture.records if r.mark] == ["on", "level up", "off"]
    assert f"{sum(1 for r in capture.records if not r.mark)} record(s) captured into {out}" in stdout.decode()
    replayed = CliRunner().invoke(cli, ["replay", str(out), "--driver", "line-serial"])
    lines = [line.split("s  ", 1)[1] for line in replayed.output.splitlines() if " s  " in line]
    assert [x for x in lines if not x.startswith("-- ")] == ["off", "on, level 4", "level 6", "off"]
    assert lines.index("-- you marked: on") < lines.index("on, level 4")


def _bytes(path: Path) -> str:
    return b"".join(r.data for r in read_capture(path).records if not r.mark).decode(errors="replace") if path.exists() else ""


async def _until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_ble_capture_subscribes_to_everything_reads_and_writes_nothing(tmp_path: Path) -> None:
    air = Airspace()
    unit = air.add(FakePeripheral(
        "C0:FF:EE:00:00:09", "NoName TENS", ["ffe0"],
        {"ffe0": {"ffe1": ["notify"], "ffe2": ["read"], "ffe3": ["read", "notify", "write"]}},
        values={"ffe2": b"\x01", "ffe3": b"\x00"},
    ))
    out = tmp_path / "ble.jsonl"
    stop = asyncio.Event()
    with CaptureWriter(out, "ble") as writer:
        task = asyncio.create_task(capture_ble(unit.address, writer, stop, scan_seconds=2, read_every=0.05,
                                               backends=(air.scanner_backend, air.client_backend)))
        await _until(lambda: len(unit.subscribers) == 2)
        writer.mark("on")
        unit.notify("ffe1", bytes.fromhex("5a0501030063"))
        unit.notify("ffe3", b"\x07")
        await _until(lambda: len(unit.reads) >= 4)
        stop.set()
        watched = await task
    records = read_capture(out).records
    ffe1, ffe2, ffe3 = (f"0000ffe{i}-0000-1000-8000-00805f9b34fb" for i in (1, 2, 3))
    assert sorted(watched) == [ffe1, ffe2, ffe3]
    assert (ffe1, bytes.fromhex("5a0501030063")) in [(r.source, r.data) for r in records]
    assert (ffe3, b"\x07") in [(r.source, r.data) for r in records]
    assert (ffe2, b"\x01") in [(r.source, r.data) for r in records]  # read, not notified
    assert [r.mark for r in records if r.mark] == ["on"]
    assert unit.writes == [] and sorted(unit.cccd_writes) == [ffe1, ffe3]


def test_capture_never_writes_over_a_file_and_needs_one_source(tmp_path: Path) -> None:
    existing = tmp_path / "tenslog.db"
    existing.write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["capture", "--port", "/dev/null", "-o", str(existing)])
    assert (result.exit_code, result.output.strip()) == (1, f"Error: {existing} already exists: give a new file name")
    assert existing.read_bytes() == b"precious"
    result = CliRunner().invoke(cli, ["capture", "-o", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2 and "give one of --ble ADDRESS or --port PATH" in result.output


def test_a_port_that_is_not_there_is_one_line_and_the_file_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    result = CliRunner().invoke(cli, ["capture", "--port", str(tmp_path / "ttyNONE"), "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: capture stopped: ")
    assert f"(0 record(s) kept in {out})" in result.output
    assert read_capture(out).records == ()  # a valid, empty capture
