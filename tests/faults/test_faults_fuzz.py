"""Fuzz drills with hypothesis: every decoder and both importers, fed garbage and near-misses.

A decoder answers anything with a valid reading or "skip" (None, counted), never an exception,
and never a reading outside its unit's scale; what reaches the Recorder and the Store from a
decoder is a valid session. An importer answers anything with a result or ``ImportFailed``
naming line and field, nothing else; a refused file leaves the database as it was, and every
session it accepts passes the pydantic model and the database's CHECK constraints.

Examples per test, from the environment (more when run by hand):

    TENSLOG_FUZZ_EXAMPLES     decoder tests, pure and cheap        (default 1500)
    TENSLOG_FUZZ_DB_EXAMPLES  tests that write to SQLite           (default 300)

    TENSLOG_FUZZ_EXAMPLES=50000 TENSLOG_FUZZ_DB_EXAMPLES=5000 \\
        pytest tests/faults/test_faults_fuzz.py

Runs are derandomized (the same examples every run), so CI is deterministic; a failure prints
the falsifying example. The bugs this drill found are pinned as regression tests at the end.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import event as tally
from hypothesis import given, settings
from hypothesis import strategies as st

from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    StimulationStarted,
    UnitInfo,
)
from tenslog.driver.tracking import ReadingTracker
from tenslog.imports import ImportFailed, check_sessions, import_bytes
from tenslog.model import Capabilities, IntensityScale, Session, SessionState, Unit
from tenslog.recorder import Recorder
from tenslog.settings import Settings
from tenslog.store import Store
from tenslog_ble.decode import ProfileDecoder, decode_field
from tenslog_ble.profile import BUILTIN_DIR, FieldSpec, Profile, load_profile
from tenslog_serial.framing import LineFramer
from tenslog_serial.line import LineSerialDriver
from tenslog_serial.lineproto import MAX_LINE, LineStatus, crc16, decode_line, encode_line
from tenslog_serial.opentdcs import OpenTdcsSerialDriver
from tenslog_serial.opentdcs_decode import CURRENT_MAX_UA, decode_status_line

FUZZ_EXAMPLES = int(os.environ.get("TENSLOG_FUZZ_EXAMPLES", "1500"))
DB_EXAMPLES = int(os.environ.get("TENSLOG_FUZZ_DB_EXAMPLES", "300"))

DECODER = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None)
WITH_DB = settings(max_examples=DB_EXAMPLES, deadline=None, derandomize=True, database=None)

SETTINGS = Settings(db="/nonexistent/never-opened.db")
PROFILES = {n: load_profile(BUILTIN_DIR / f"{n}.toml") for n in ("open-tdcs", "zc95", "coyote-v3")}
OTHER_CHAR = "00002a19-0000-1000-8000-00805f9b34fb"  # battery level: not any profile's


# -- shared strategies ----------------------------------------------------------------------
def damaged(data: bytes, ops: bytes) -> bytes:
    """``data`` with bytes replaced, inserted, deleted, or cut short, as ``ops`` says (three
    bytes an operation: what, where, which byte). One draw, and hypothesis can shrink it."""
    out = bytearray(data)
    for k in range(0, len(ops) - 2, 3):
        op, at, byte = ops[k] % 4, ops[k + 1] % (len(out) + 1), ops[k + 2]
        if op == 0 and at < len(out):
            out[at] = byte
        elif op == 1:
            out.insert(at, byte)
        elif op == 2 and at < len(out):
            del out[at]
        elif op == 3:
            del out[at:]
    return bytes(out)


def near(strategy: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Almost-valid input, sometimes damaged, mixed with plain random bytes."""
    return st.one_of(
        st.binary(max_size=120),
        strategy,
        st.tuples(strategy, st.binary(min_size=3, max_size=9)).map(lambda t: damaged(*t)),
    )


# Near-misses are drawn from pools built once by a seeded generator: hypothesis then spends
# its time choosing, combining and damaging them (about 1 ms an example), not building them.
_rng = random.Random(20261123)
_NUMBERS = [
    "", "-1", "1e3", "0x10", ".5", "5.", "00000", "9999.999", "10000", "nan", "inf", "٣", "１２",
    "0", "0.0", "1.2345", "99999", "12.5.1", " 5", "+3",
]  # fmt: skip


def _number() -> str:
    pick = _rng.random()
    if pick < 0.25:
        return _rng.choice(_NUMBERS)
    if pick < 0.6:
        return str(_rng.randint(0, 20))
    if pick < 0.85:
        return f"{_rng.randint(0, 9999)}.{_rng.randint(0, 999):0{_rng.randint(1, 3)}d}"
    return str(_rng.randint(0, 99999))


def _ending() -> bytes:
    return _rng.choice([b"", b"\n", b"\r\n", b"\r", b"\n\n", b"\r\r\n"])


def _tlp_line() -> bytes:
    state = _rng.choice(["ON", "OFF"] * 6 + ["on", "", "ONN"])
    kind = _rng.choice(["L", "MA"] * 6 + ["ma", "", "LL"])
    if _rng.random() < 0.5:  # in range, up to the edge of the format
        top = _rng.choice([1, 9, 10, 20, 80, 200, 9999, 9999.999, 0.001])
        value = _rng.choice([0, top, _rng.uniform(0, top), _rng.randint(0, int(top))])
        value = round(value, 3) if kind == "MA" else int(value)
        intensity, maximum = f"{value:g}" if value < 1e4 else str(value), f"{top:g}"
    else:
        intensity, maximum = _number(), _number()
    body = f"TENS,{state},{intensity},{kind}{maximum}".encode()
    crc = crc16(body) if _rng.random() < 0.85 else _rng.randint(0, 0xFFFF)  # mostly the right CRC
    crc_text = _rng.choice(["{:04X}"] * 6 + ["{:04x}", "{:X}"]).format(crc)
    return b"$" + body + b"*" + crc_text.encode() + _ending()


def _tdcs_line() -> bytes:
    n = lambda: str(_rng.randint(0, 5000)) if _rng.random() < 0.7 else _number()  # noqa: E731
    ohm = _rng.choice(["Ω", "Ω", "ohm", "", "ΩΩΩ", "Ohms", "kΩ"])
    tail = _rng.choice(["", f" T-{n()}s", f" T-{n()}s", " T-s", " T--1s", f" T-{n()}"])
    text = f"Set:{n()}uA I:{n()}uA Z:{n()}{ohm} Vbat:{n()}mV Vout:{n()}mV Vlipo:{n()}mV{tail}"
    if _rng.random() < 0.15:
        text = _rng.choice(
            ["Session COMPLETE", "Session STOP", "Session START: 1000uA", "session stop"]
        )
    encoding = _rng.choice(["utf-8", "utf-8", "latin-1"])
    return text.encode(encoding, errors="replace") + _ending()


TLP_POOL = [_tlp_line() for _ in range(800)]
TDCS_POOL = [_tdcs_line() for _ in range(800)]
JUNK_POOL = [b"\n", b"\r\n", b"\r", b"x" * 64, b"x" * 65, b"y" * 300, b"$TENS,", b"\x00\xff"]


def tlp_lines() -> st.SearchStrategy[bytes]:
    return st.sampled_from(TLP_POOL)


def tdcs_lines() -> st.SearchStrategy[bytes]:
    return st.sampled_from(TDCS_POOL)


# -- the line protocol (TLP) ---------------------------------------------------------------
def assert_sane_line_status(status) -> None:
    scale = status.scale
    IntensityScale.model_validate(scale.model_dump())
    assert scale.maximum is not None and 0 < scale.maximum < 10_000
    assert math.isfinite(status.intensity) and 0 <= status.intensity <= scale.maximum
    if scale.kind == "level":
        assert status.intensity == int(status.intensity), "a level is a whole number"
    assert decode_line(encode_line(status)) == status, "what is accepted is a line a unit sends"


@DECODER
@given(near(tlp_lines()))
def test_tlp_decoder_skips_garbage_and_accepts_only_readings_within_the_scale(line: bytes) -> None:
    status = decode_line(line)
    if status is not None:
        assert_sane_line_status(status)


@DECODER
@given(st.lists(near(tlp_lines()), max_size=12))
def test_line_serial_driver_keeps_one_scale_and_never_raises(lines: list[bytes]) -> None:
    """The driver locks onto the first scale it sees; a line with another scale is not ours."""
    driver = LineSerialDriver()
    first: IntensityScale | None = None
    for i, line in enumerate(lines):
        reading = driver.decode(line, float(i))
        status = decode_line(line)
        if status is None:
            assert reading is None
            continue
        first = first or status.scale
        assert (reading is not None) is (status.scale == first), "only the first scale is ours"
        if reading is not None:
            assert reading.intensity == status.intensity and reading.on is status.on
    if first is not None:
        info = driver.unit_info("/dev/ttyTENS")
        assert info is not None and info.scale == first


# -- Open-tDCS serial status lines ---------------------------------------------------------
@DECODER
@given(near(tdcs_lines()))
def test_opentdcs_serial_decoder_skips_garbage_and_stays_within_4_ma(line: bytes) -> None:
    status = decode_status_line(line)
    reading = OpenTdcsSerialDriver().decode(line, 0.0)
    if status is None:
        assert reading is None
        return
    assert isinstance(status.on, bool)
    assert status.set_ma is None or 0 <= status.set_ma <= CURRENT_MAX_UA / 1000
    assert reading is not None and reading.on is status.on
    if reading.on:
        assert reading.intensity is not None and 0 <= reading.intensity <= 4
    else:
        assert reading.intensity is None


# -- line framing and its length cap -------------------------------------------------------
def stream_from(blob: bytes) -> bytes:
    """A serial byte stream cut from a blob, two bytes a piece: a TLP line, an Open-tDCS line,
    a run of junk (CR, LF, over-long), or raw bytes taken from the blob itself."""
    out, i = bytearray(), 0
    while i + 2 <= len(blob):
        kind, index = blob[i] % 4, blob[i + 1]
        i += 2
        if kind == 0:
            out += TLP_POOL[(index * 3 + blob[i - 2]) % len(TLP_POOL)]
        elif kind == 1:
            out += TDCS_POOL[(index * 3 + blob[i - 2]) % len(TDCS_POOL)]
        elif kind == 2:
            out += JUNK_POOL[index % len(JUNK_POOL)]
        else:
            out += blob[i : i + index % 16]
            i += index % 16
    return bytes(out)


def byte_streams() -> st.SearchStrategy[bytes]:
    return st.binary(min_size=8, max_size=64).map(stream_from)


@DECODER
@given(byte_streams(), st.integers(1, 80), st.lists(st.integers(1, 64), min_size=1, max_size=8))
def test_framer_caps_line_length_and_loses_nothing_however_the_bytes_arrive(
    stream: bytes, cap: int, cuts: list[int]
) -> None:
    """Whatever the chunking, the same lines come out: each complete, without CR/LF, no
    longer than the cap; over-long ones are counted, and the buffer never outgrows the cap."""
    framer = LineFramer(max_length=cap)
    out: list[bytes] = []
    pos = i = 0
    while pos < len(stream):
        step = cuts[i % len(cuts)]
        out += framer.feed(stream[pos : pos + step])
        assert len(framer._buffer) <= cap  # memory stays bounded by the cap
        pos += step
        i += 1
    *complete, partial = stream.split(b"\n")
    expected = [p.rstrip(b"\r") for p in complete if len(p) <= cap and p.rstrip(b"\r")]
    assert out == expected
    assert framer.overlong == sum(len(p) > cap for p in complete) + (len(partial) > cap)
    assert all(b"\n" not in line and not line.endswith(b"\r") for line in out)


@DECODER
@given(byte_streams(), st.lists(st.integers(1, 64), min_size=1, max_size=8))
def test_line_driver_framing_and_decoding_never_raise(stream: bytes, cuts: list[int]) -> None:
    """The TLP driver's own cap (MAX_LINE) in front of its decoder: only sane readings."""
    driver = LineSerialDriver()
    framer = LineFramer(driver.max_line)
    pos = i = 0
    while pos < len(stream):
        for line in framer.feed(stream[pos : pos + cuts[i % len(cuts)]]):
            assert len(line) <= MAX_LINE
            reading = driver.decode(line, 0.0)
            if reading is not None:
                assert driver.declared is not None and driver.declared.maximum is not None
                assert reading.intensity is not None
                assert 0 <= reading.intensity <= driver.declared.maximum
        pos += cuts[i % len(cuts)]
        i += 1


# -- BLE profile fields and decoders -------------------------------------------------------
@st.composite
def field_specs(draw: st.DrawFn, characteristic: str = "fff1") -> FieldSpec:
    header = draw(st.binary(max_size=2))
    width = draw(st.sampled_from([1, 2, 3, 4]))
    offset = len(header) + draw(st.integers(0, 6))
    end = offset + width
    lengths = draw(st.lists(st.integers(end, end + 4), max_size=2, unique=True))
    return FieldSpec(
        service="fff0",
        characteristic=characteristic,
        offset=offset,
        width=width,
        endian=draw(st.sampled_from(["little", "big"])),
        signed=draw(st.booleans()),
        header=header.hex(),
        factor=draw(st.sampled_from([1.0, 0.001, 0.5, 10.0, 1e-6, 3.3])),
        lengths=tuple(lengths),
    )


def shaped(spec: FieldSpec, data: bytes, how: int) -> bytes:
    """``data`` made to fit ``spec`` (its header and one of its accepted lengths): a frame the
    decoder reads, carrying arbitrary bytes."""
    n = spec.lengths[how % len(spec.lengths)] if spec.lengths else spec.offset + spec.width + how % 4
    return spec.header + (data + bytes(n))[len(spec.header) : n]


def frames_from(blob: bytes, specs: list[FieldSpec]) -> list[tuple[str, bytes]]:
    """Cuts a byte blob into notifications, cheaply (one hypothesis draw, still shrinkable):
    each frame is [selector][length][bytes]. Most frames fit one of ``specs``; some arrive raw
    on its characteristic, some on a characteristic no profile uses."""
    frames, i = [], 0
    while i + 2 <= len(blob):
        selector, size = blob[i], blob[i + 1] % 16
        data = blob[i + 2 : i + 2 + size]
        i += 2 + size
        spec = specs[selector % len(specs)]
        if selector < 176:
            if selector & 16:  # small numbers: mostly within the unit's scale
                data = bytes(b & 0x0F for b in data)
            frames.append((spec.characteristic, shaped(spec, data, selector // 32)))
        elif selector < 224:
            frames.append((spec.characteristic, data))
        else:
            frames.append((OTHER_CHAR, data))
    return frames


@DECODER
@given(field_specs(), st.binary(max_size=24), st.integers(0, 11))
def test_profile_field_decoder_never_raises_and_reads_only_fitting_frames(
    spec: FieldSpec, data: bytes, how: int
) -> None:
    frame = data if how >= 8 else shaped(spec, data, how)
    value = decode_field(spec, frame)
    if value is None:
        assert how >= 8, "a frame that fits the field is read"
        return
    assert frame.startswith(spec.header)
    assert not spec.lengths or len(frame) in spec.lengths
    bits = 8 * spec.width
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if spec.signed else (0, 2**bits - 1)
    assert math.isfinite(value)
    assert low * spec.factor - 1e-6 <= value <= high * spec.factor + 1e-6


def assert_events_in_scale(events: list[DeviceEvent], scale: IntensityScale) -> None:
    for event in events:
        level = getattr(event, "intensity", None)
        if isinstance(event, IntensityChanged):
            assert level is not None
        if level is not None:
            assert math.isfinite(level) and level >= 0
            assert scale.maximum is None or level <= scale.maximum


def feed_profile(profile: Profile, frames: list[tuple[str, bytes]], t0: float = 0.0) -> list[DeviceEvent]:
    decoder = ProfileDecoder(profile)
    tracker = ReadingTracker()
    events: list[DeviceEvent] = []
    for i, (characteristic, frame) in enumerate(frames):
        reading = decoder.feed(characteristic, frame, t0 + i)
        if reading is None:
            continue
        assert reading.on is None or isinstance(reading.on, bool)
        if reading.on is False:
            assert reading.intensity is None
        events += tracker.feed(reading)
    assert decoder.frames + decoder.skipped == len(frames), "every frame is used or counted"
    assert_events_in_scale(events, profile.scale)
    return events


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_builtin_profile_decoders_skip_garbage_and_stay_in_scale(name: str) -> None:
    """ZC95 dial, Coyote V3 B1 (and other) messages, Open-tDCS Measurement (10 or 12 bytes)
    and Timer frames: any sequence, fitting, raw or foreign."""
    profile = PROFILES[name]

    @DECODER
    @given(st.binary(min_size=24, max_size=200))
    def run(blob: bytes) -> None:
        feed_profile(profile, frames_from(blob, profile.fields))

    run()


@st.composite
def user_profiles(draw: st.DrawFn) -> Profile:
    """Any profile a user could write: odd widths, signed fields, tiny factors, no maximum."""
    intensity = draw(field_specs("fff1"))
    on_off = draw(st.one_of(st.none(), field_specs("fff2"), field_specs("fff1")))
    maximum = draw(st.one_of(st.none(), st.sampled_from([1.0, 4.0, 20.0, 200.0, 1000.0])))
    return Profile(
        id="fuzz",
        name="Fuzz",
        match={"names": ["F*"]},
        scale=IntensityScale(kind=draw(st.sampled_from(["level", "mA"])), maximum=maximum),
        intensity=intensity,
        on_off=on_off,
        report_on=draw(st.sampled_from(["every_frame", "on_off_frame"])) if on_off else "every_frame",
    )


@DECODER
@given(user_profiles(), st.binary(min_size=24, max_size=160))
def test_user_profile_decoders_never_report_outside_the_scale(profile: Profile, blob: bytes) -> None:
    feed_profile(profile, frames_from(blob, profile.fields))


# -- decoders into the Recorder and the Store -----------------------------------------------
@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One database file reused by every example of the module (cheap); durability does not
    matter here, so commits skip fsync."""
    store = Store.open(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    store.conn.execute("PRAGMA synchronous = OFF")
    yield store
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def new_sessions(store: Store, before: int) -> list[Session]:
    """The sessions stored after id ``before``, each read back through the store."""
    ids = store.conn.execute("SELECT id FROM sessions WHERE id > ? ORDER BY id", (before,)).fetchall()
    return [store.get(sid) for (sid,) in ids]


def last_id(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(id), 0) FROM sessions").fetchone()[0])


def record(store: Store, events: list[DeviceEvent], unit: UnitInfo | None, t0: float) -> list[Session]:
    """The real Recorder writing the events into the store; returns the sessions it made."""
    before = last_id(store)
    recorder = Recorder(store, clock=lambda: t0 + len(events))
    if unit is not None:
        recorder.handle(Connected(t0, unit))
    for i, event in enumerate(events):
        recorder.handle(event)
        if i % 5 == 4:
            recorder.tick(event.at)
    recorder.stop(SessionState.COMPLETE)
    assert recorder.problem is None
    made = new_sessions(store, before)
    tally(f"sessions stored: {min(len(made), 3)}")
    assert len(made) == sum(isinstance(e, StimulationStarted) for e in events), "one per start"
    changes = sum(isinstance(e, (StimulationStarted, IntensityChanged)) for e in events)
    assert sum(len(s.intensity) for s in made) <= changes
    for s in made:
        Session.model_validate(s.model_dump())  # the stored session passes the model
        assert s.state is SessionState.COMPLETE and s.end is not None
    return made


def tlp_events(stream: bytes, t0: float) -> tuple[list[DeviceEvent], UnitInfo | None]:
    driver = LineSerialDriver()
    framer, tracker = LineFramer(driver.max_line), ReadingTracker()
    events: list[DeviceEvent] = []
    for i, line in enumerate(framer.feed(stream)):
        reading = driver.decode(line, t0 + i)
        if reading is not None:
            events += tracker.feed(reading)
    return events, driver.unit_info("/dev/ttyTENS")


UNIT_SCALES = [IntensityScale(kind="level", maximum=20), IntensityScale(kind="level", maximum=9999),
               IntensityScale(kind="mA", maximum=80), IntensityScale(kind="mA", maximum=0.001)]  # fmt: skip


def unit_stream(blob: bytes) -> bytes:
    """One unit's status lines (switched on and off, turned up and down) amid line noise, pool
    lines of other units, and raw bytes: two bytes of the blob a piece."""
    scale = UNIT_SCALES[blob[0] % len(UNIT_SCALES)] if blob else UNIT_SCALES[0]
    top = scale.maximum or 1
    out, i = bytearray(), 1
    while i + 2 <= len(blob):
        kind, value = blob[i] % 8, blob[i + 1]
        i += 2
        if kind < 5:
            level = round(top * value / 255) if scale.kind == "level" else round(top * value / 255, 3)
            out += encode_line(LineStatus(kind % 2 == 0, float(level), scale))
        elif kind == 5:
            out += TLP_POOL[value * 3 % len(TLP_POOL)] + b"\n"
        elif kind == 6:
            out += JUNK_POOL[value % len(JUNK_POOL)]
        else:
            out += blob[i : i + value % 12]
            i += value % 12
    return bytes(out)


@WITH_DB
@given(st.binary(min_size=20, max_size=160).map(unit_stream))
def test_line_serial_garbage_never_stores_a_bad_session(fuzz_store: Store, stream: bytes) -> None:
    t0 = time.time() - 3600
    events, unit = tlp_events(stream, t0)
    made = record(fuzz_store, events, unit, t0)
    if unit is not None:
        assert_events_in_scale(events, unit.scale)
        for s in made:
            assert s.unit is not None and s.unit.scale == unit.scale


@WITH_DB
@given(st.binary(min_size=60, max_size=400))
def test_opentdcs_ble_garbage_never_stores_a_bad_session(fuzz_store: Store, blob: bytes) -> None:
    profile, t0 = PROFILES["open-tdcs"], time.time() - 3600
    events = feed_profile(profile, frames_from(blob, profile.fields), t0)
    unit = UnitInfo(
        "opentdcs-ble", "open-tdcs@C0:FF:EE:00:00:01", profile.name, profile.scale, Capabilities()
    )
    for s in record(fuzz_store, events, unit, t0):
        assert all(0 <= p.value <= 4 for p in s.intensity)


# -- importers -----------------------------------------------------------------------------
# Any year datetime can hold, including ones whose UTC instant leaves its range once the
# offset is applied (a bug this drill found: test_import_refuses_times_outside_the_calendar).
YEARS = st.integers(1, 9999)
OFFSETS = st.sampled_from(
    ["", "Z", "+00:00", "+01:00", "-05:00", "+05:45", "+14:00", "-12:00", "+24:00", "+0100"]
)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    year = draw(st.one_of(st.integers(2015, 2025), YEARS))
    day = datetime(year, 1, 1) + timedelta(minutes=draw(st.integers(0, 365 * 24 * 60 - 1)))
    sep = draw(st.sampled_from(["T", " "]))
    text = day.strftime(f"%Y-%m-%d{sep}%H:%M") + draw(st.sampled_from(["", ":00", ":30.5"]))
    return text + draw(OFFSETS)


BAD_TIME = st.sampled_from(
    ["", "yesterday", "2025-13-01 09:00", "2025-02-30", "25:00", "2025/03/03 09:00", "0", "NaT"]
)
RATING = st.one_of(
    st.integers(0, 10).map(str),
    st.sampled_from(["", "11", "-1", "+3", " 7 ", "5.0", "٣", "10.", "1e1"]),
)
NUMBER = st.one_of(
    st.integers(0, 2000).map(str),
    st.floats(0, 2000, allow_nan=False).map(lambda f: f"{f:g}"),
    st.sampled_from(["", "-5", "nan", "inf", "1e400", "12,5", "abc", "1441", "1440", "0"]),
)
SCALES = st.sampled_from(
    ["", "level", "levels", "level 1-10", "level 1-0", "Level/20", "mA", "mA (max 80)",
     "mA (max 0)", "volts", "level 1-1e3"]
)  # fmt: skip
CSV_CELLS: dict[str, st.SearchStrategy[str]] = {
    "start": st.one_of(timestamps(), BAD_TIME),
    "end": st.one_of(timestamps(), BAD_TIME),
    "date": st.one_of(timestamps().map(lambda t: t[:10]), timestamps(), BAD_TIME),
    "time": st.sampled_from(["09:00", "23:59:59", "9:00", "24:00", "", "noon", "09:00+01:00"]),
    "duration_min": NUMBER,
    "before": RATING,
    "after": RATING,
    "follow_up": RATING,
    "kind": st.sampled_from(["", "tens", "rest", "REST", " Tens ", "walk"]),
    "unit": st.one_of(st.sampled_from(["", "TENS 7000", "Clinic mA"]), st.text(max_size=90)),
    "scale": SCALES,
    "intensity": NUMBER,
    "state": st.sampled_from(["", "complete", "interrupted", "recording", "done"]),
    "source": st.one_of(st.just(""), st.text(max_size=8)),
}
HEADER_NAMES = {
    "start": ["start", "Start", "start time", "START_TIME"],
    "date": ["date"],
    "time": ["time"],
    "end": ["end"],
    "duration_min": ["duration_min", "duration", "Minutes"],
    "before": ["before", "pain before", "Pain_Before"],
    "after": ["after", "pain_after"],
    "follow_up": ["follow_up", "followup"],
    "kind": ["kind", "type"],
    "unit": ["unit"],
    "scale": ["scale"],
    "intensity": ["intensity", "peak_intensity"],
    "state": ["state"],
    "source": ["source"],
}


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in ``n`` draws (a middle value: hypothesis favours the ends)."""
    return draw(st.integers(0, n - 1)) == n // 2


PAST_MINUTES = st.integers(0, 9 * 365 * 24 * 60)  # 2015-2023: never in the future
GOOD_OFFSETS = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)),
                timezone(timedelta(hours=5, minutes=45)), timezone(timedelta(hours=14))]  # fmt: skip
UNIT_NAMES = st.sampled_from(["TENS 7000", "Clinic mA", 'Ünïcødé, "quoted"', "x" * 80, "a;b,c"])
GOOD_SCALES = [
    ("", None), ("level", None), ("level 1-10", 10), ("Level/20", 20), ("mA", None),
    ("mA (max 80)", 80),
]  # fmt: skip


@st.composite
def csv_row(draw: st.DrawFn, columns: list[str]) -> list[str]:
    """A row a careful person would type; one time in four, one cell swapped for anything."""
    start = datetime(2015, 1, 1) + timedelta(minutes=draw(PAST_MINUTES))
    minutes = draw(st.integers(0, 240))
    sep = draw(st.sampled_from(["T", " "]))
    offset = draw(st.sampled_from(["", "Z", "+01:00", "-05:00", "+05:45"]))
    if "start" not in columns:
        offset = ""  # date + time columns are local time: so is the end
    kind = draw(st.sampled_from(["tens", "tens", "rest", ""]))
    scale, top = draw(st.sampled_from(GOOD_SCALES))
    tens = kind != "rest"
    rating = lambda: draw(st.sampled_from(["", *map(str, range(11))]))  # noqa: E731
    values = {
        "start": start.strftime(f"%Y-%m-%d{sep}%H:%M") + offset,
        "date": start.strftime("%Y-%m-%d"),
        "time": start.strftime("%H:%M"),
        "end": (start + timedelta(minutes=minutes)).strftime(f"%Y-%m-%d{sep}%H:%M") + offset,
        "duration_min": draw(st.sampled_from([str(minutes), f"{minutes}.5", f"{minutes},25"])),
        "before": rating(),
        "after": rating(),
        "follow_up": rating(),
        "kind": kind,
        "unit": draw(UNIT_NAMES) if tens and draw(st.booleans()) else "",
        "scale": scale if tens else "",
        "intensity": str(draw(st.integers(0, int(top or 100)))) if tens and draw(st.booleans())
        else "",
        "state": draw(st.sampled_from(["", "complete", "interrupted"])),
        "source": draw(st.sampled_from(["", "manual", "paper diary"])),
    }
    cells = [values[c] for c in columns]
    if cells and one_in(draw, 4):
        i = draw(st.integers(0, len(cells) - 1))
        cells[i] = draw(CSV_CELLS[columns[i]])
    return cells


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    # Mostly a usable header; one time in ten a column is missing or unknown.
    when = draw(st.sampled_from([["start"], ["date", "time"]]))
    if one_in(draw, 10):
        when = draw(st.sampled_from([["date"], []]))
    length = draw(st.sampled_from([["duration_min"], ["end"], ["duration_min", "end"]]))
    if one_in(draw, 10):
        length = []
    rated = ["before"] if one_in(draw, 10) else ["before", "after"]
    optional = sorted(set(CSV_CELLS) - {"start", "date", "time", "end"})
    extra = draw(st.lists(st.sampled_from(optional), max_size=5, unique=True))
    columns = list(dict.fromkeys(when + length + rated + extra))
    header = [draw(st.sampled_from(HEADER_NAMES[c])) for c in columns]
    ignored = draw(st.sampled_from([[], ["id", "change"], ["responder"], [""]]))
    if one_in(draw, 10):
        ignored = ["befor"]  # a misspelt column: refused, never silently dropped
    rows = []
    for _ in range(draw(st.integers(1, 5)) if not one_in(draw, 10) else 0):
        cells = draw(csv_row(columns)) + ["" for _ in ignored]
        if one_in(draw, 20):  # a row with too many or too few cells
            cells = cells[: draw(st.integers(0, len(cells) + 1))] + ["x"] * draw(st.integers(0, 2))
        rows.append(cells)
    out = io.StringIO()
    delimiter, newline = draw(st.sampled_from([",", ";"])), draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header + ignored)
    writer.writerows(rows)
    text = draw(st.sampled_from(["", "\ufeff"])) + out.getvalue()
    text += "\n\n,,\n" if one_in(draw, 10) else ""
    return text.encode("latin-1" if one_in(draw, 10) else "utf-8", errors="replace")


JSON_TIME = st.one_of(timestamps(), BAD_TIME, st.none(), st.integers(0, 2_000_000_000), st.just(True))
VALUE = st.one_of(
    st.integers(-2, 12),
    st.floats(-1, 1000, allow_nan=False),
    st.text(max_size=3),
    st.none(),
    st.booleans(),
)
JSON_SPOILERS: dict[str, st.SearchStrategy[object]] = {
    "kind": st.sampled_from(["TENS", "walk", None, 1]),
    "source": st.sampled_from([None, 5, ""]),
    "start": JSON_TIME,
    "end": JSON_TIME,
    "state": st.sampled_from(["recording", "done", None]),
    "unit": st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "driver": st.sampled_from(["", "manual"]),
                "identity": st.just("fuzz|x"),
                "name": st.one_of(st.just(""), st.text(max_size=90)),
                "scale": st.fixed_dictionaries(
                    {
                        "kind": st.sampled_from(["level", "mA", "volts"]),
                        "maximum": st.sampled_from([None, 0, -1, "5", 1e308]),
                    }
                ),
            }
        ),
    ),
    "intensity": st.lists(st.fixed_dictionaries({"at": JSON_TIME, "value": VALUE}), max_size=3),
    "ratings": st.lists(
        st.fixed_dictionaries(
            {
                "moment": st.sampled_from(["before", "after", "follow_up", "later"]),
                "value": VALUE,
                "at": JSON_TIME,
            }
        ),
        max_size=3,
    ),
    "gaps": st.lists(st.fixed_dictionaries({"lost_at": JSON_TIME, "restored_at": JSON_TIME}), max_size=2),
}


@st.composite
def json_sessions(draw: st.DrawFn) -> object:
    """A session as tenslog exports it, then (one time in three) one field spoilt, dropped,
    or a field added that the format does not have."""
    if one_in(draw, 20):
        return draw(st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just([1])))
    tz = draw(st.sampled_from(GOOD_OFFSETS))
    start = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(PAST_MINUTES))
    start = (start + timedelta(seconds=draw(st.integers(0, 59)))).astimezone(tz)
    end = start + timedelta(minutes=draw(st.integers(0, 240)))
    at = lambda: (start + (end - start) * draw(st.floats(0, 1))).isoformat()  # noqa: E731, PLW0108 (draws anew at each call)
    kind = draw(st.sampled_from(["tens", "tens", "rest"]))
    session: dict[str, object] = {
        "id": draw(st.integers(0, 99)),
        "kind": kind,
        "source": draw(st.sampled_from(["manual", "simulator", "line-serial"])),
        "unit": None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "state": draw(st.sampled_from(["complete", "interrupted"])),
        "intensity": [],
        "ratings": [],
        "gaps": [],
    }
    if kind == "tens" and draw(st.booleans()):
        scale_kind, top = draw(st.sampled_from([("level", 10), ("level", None), ("mA", 80), ("mA", 4.5)]))
        # Sometimes one identity under several scales (refused: test_import_keeps_a_unit_...).
        identity = draw(st.sampled_from([f"fuzz|{scale_kind}|{top}", "fuzz|shared"]))
        session["unit"] = {"driver": draw(st.sampled_from(["simulator", "manual", "ble-profile"])),
                           "identity": identity, "name": draw(UNIT_NAMES),
                           "scale": {"kind": scale_kind, "maximum": top}}  # fmt: skip
        # Infinity included (refused: test_json_import_refuses_infinite_intensity).
        values = draw(st.lists(st.one_of(st.floats(0, top or 100), st.just(math.inf)), max_size=3))
        session["intensity"] = [{"at": at(), "value": v} for v in values]
    moments = draw(st.lists(st.sampled_from(["before", "after", "follow_up"]), max_size=3, unique=True))
    when = {"before": start.isoformat(), "after": end.isoformat(), "follow_up": end.isoformat()}
    session["ratings"] = [{"moment": m, "value": draw(st.integers(0, 10)), "at": when[m]} for m in moments]
    if draw(st.booleans()):
        session["gaps"] = [{"lost_at": start.isoformat(), "restored_at": draw(st.sampled_from([None, at()]))}]
    spoil = draw(st.integers(0, 8))
    if spoil == 4:
        del session[draw(st.sampled_from(sorted(session)))]
    elif spoil == 5:
        session["colour"] = "red"
    elif spoil == 6:
        key = draw(st.sampled_from(sorted(JSON_SPOILERS)))
        session[key] = draw(JSON_SPOILERS[key])
    return session


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    doc: dict[str, object] = {
        "format": "tenslog" if not one_in(draw, 20) else "other",
        "version": 1 if not one_in(draw, 10) else draw(st.sampled_from([0, 2, "1", True, None])),
        "exported_at": "2025-03-10T18:00:00+00:00",
        "sessions": draw(st.lists(json_sessions(), min_size=1, max_size=4))
        if not one_in(draw, 10)
        else draw(st.sampled_from([{}, [], None])),
    }
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()))
    if one_in(draw, 20):
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode()


def import_checked(store: Store, data: bytes, fmt: str, skip_bad: bool, dry_run: bool) -> None:
    before_count, before_id = store.count(), last_id(store)
    lines = data.count(b"\n") + 1
    try:
        result = import_bytes(store, data, fmt, SETTINGS, skip_bad=skip_bad, dry_run=dry_run)  # type: ignore[arg-type]  # fmt: skip
    except ImportFailed as failed:
        tally("refused")
        assert store.count() == before_count and last_id(store) == before_id, "refused: nothing written"
        assert failed.problems, "a refusal says why"
        for problem in failed.problems:
            assert problem.field and problem.reason
            assert problem.line is None or 1 <= problem.line <= lines
            if problem.line is not None:
                assert str(problem).startswith(f"line {problem.line}, field {problem.field}: ")
        return
    tally("dry run" if dry_run else f"imported {result.imported}")
    assert result.valid >= 1 and result.imported == len(result.ids)
    assert store.count() == before_count + result.imported
    if dry_run:
        assert result.imported == 0
    stored = new_sessions(store, before_id)  # readable, all of it
    assert sorted(s.id for s in stored) == sorted(result.ids)
    good, _ = check_sessions(data, fmt, SETTINGS)  # type: ignore[arg-type]
    wanted = {_identity(s) for _, s in good}
    for s in stored:
        Session.model_validate(s.model_dump())  # passes the model as stored
        assert _identity(s) in wanted, "stored as it was in the file"
    for sid in result.ids:  # examples stay independent: replays and shrinking see the same DB
        store.delete_session(sid)


def _identity(s: Session) -> tuple:
    """Start, kind, state, unit (an import never renames a stored unit, so not its name),
    intensity values and ratings."""
    unit = None if s.unit is None else (s.unit.driver, s.unit.identity, s.unit.scale)
    ratings = tuple(sorted((r.moment.value, r.value) for r in s.ratings))
    intensity = tuple(sorted(p.value for p in s.intensity))  # stored in time order
    return (round(s.start.timestamp(), 3), s.kind, s.state, unit, intensity, ratings)


@WITH_DB
@given(
    st.one_of(csv_files(), csv_files(), st.binary(max_size=200), st.text(max_size=200).map(str.encode)),
    st.booleans(),
    st.integers(0, 5),
)
def test_csv_import_refuses_cleanly_and_stores_only_valid_sessions(
    fuzz_store: Store, data: bytes, skip_bad: bool, dry: int
) -> None:
    import_checked(fuzz_store, data, "csv", skip_bad, dry == 0)


@WITH_DB
@given(st.one_of(json_files(), json_files(), st.binary(max_size=200)), st.booleans(), st.integers(0, 5))
def test_json_import_refuses_cleanly_and_stores_only_valid_sessions(
    fuzz_store: Store, data: bytes, skip_bad: bool, dry: int
) -> None:
    import_checked(fuzz_store, data, "json", skip_bad, dry == 0)


# -- regressions: bugs this drill found, fixed -----------------------------------------------
def _json(*sessions: dict) -> bytes:
    return json.dumps({"format": "tenslog", "version": 1, "sessions": list(sessions)}).encode()


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("json", _json({"kind": "rest", "start": "0001-01-01T00:30+01:00", "end": "0001-01-01T01:30+01:00"})),
        ("json", _json({"kind": "rest", "start": "2025-01-01T00:00Z", "end": "9999-12-31T23:00-05:00"})),
        ("csv", b"start,duration_min,before,after\n0001-01-01T00:30+01:00,10,5,4\n"),
    ],
    ids=["json-start-year-0", "json-end-year-10000", "csv-start-year-0"],
)
def test_import_refuses_times_outside_the_calendar(store: Store, fmt: str, data: bytes) -> None:
    with pytest.raises(ImportFailed):
        import_bytes(store, data, fmt, SETTINGS)  # type: ignore[arg-type]
    assert store.count() == 0
    store.sessions()  # the history stays readable


def test_import_keeps_a_unit_of_another_scale_apart(store: Store) -> None:
    t = datetime(2025, 3, 3, 9, tzinfo=UTC)
    levels_1_5 = IntensityScale(kind="level", maximum=5)
    small = Unit(driver="line-serial", identity="COM3", name="Small", scale=levels_1_5)
    end = t + timedelta(minutes=30)
    store.add_session(Session(unit=small, start=t, end=end, intensity=[{"at": t, "value": 4}]))
    clinic = {"driver": "line-serial", "identity": "COM3", "name": "Clinic",
              "scale": {"kind": "mA", "maximum": 80}}  # fmt: skip
    data = _json(
        {"start": "2025-03-04T09:00Z", "end": "2025-03-04T09:30Z", "unit": clinic,
         "intensity": [{"at": "2025-03-04T09:00Z", "value": 50}]}
    )  # fmt: skip
    try:
        import_bytes(store, data, "json", SETTINGS)
    except ImportFailed:
        assert store.count() == 1  # refused, with the unit named
    for s in store.sessions():
        Session.model_validate(s.model_dump())
        top = s.unit.scale.maximum if s.unit is not None else None
        assert all(p.value <= (top or math.inf) for p in s.intensity)


def test_json_import_refuses_infinite_intensity(store: Store) -> None:
    unit = {"driver": "manual", "identity": "x", "name": "Inf", "scale": {"kind": "level", "maximum": None}}
    data = _json(
        {"start": "2025-03-05T09:00Z", "end": "2025-03-05T09:30Z", "unit": unit,
         "intensity": [{"at": "2025-03-05T09:00Z", "value": float("inf")}]}
    )  # fmt: skip
    with pytest.raises(ImportFailed, match="intensity"):
        import_bytes(store, data, "json", SETTINGS)
    assert store.count() == 0
