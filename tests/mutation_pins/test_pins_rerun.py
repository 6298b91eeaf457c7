"""Pins added when the recorder and the line framer were mutation-tested again after the ingest
change (the framer splits in C, the recorder hands queued rows to ``add_intensities``); see
docs/mutation.md. Each test names what a user or driver author would notice."""

from __future__ import annotations

from tenslog.driver.events import Connected, StimulationStarted, UnitInfo, UnitNote
from tenslog.model import IntensityScale
from tenslog.recorder import Recorder
from tenslog.store import Store
from tenslog_serial.framing import LineFramer

T0 = 1_760_000_000.0


def test_a_line_exactly_at_the_cap_is_kept_and_one_byte_more_is_dropped() -> None:
    framer = LineFramer(max_length=4)
    # Whole lines in one chunk: 4 bytes (the CR counts) are kept, 5 are dropped and counted.
    assert framer.feed(b"abcd\nab\r\nabcde\nabc\r\n") == [b"abcd", b"ab", b"abc"]
    assert framer.overlong == 1
    # The same across chunks: a partial line of exactly the cap waits for its end...
    assert framer.feed(b"wxyz") == []
    assert framer.feed(b"\n") == [b"wxyz"]
    # ...and a partial line joined with the rest of it is measured whole.
    assert framer.feed(b"ab") == []
    assert framer.feed(b"cd\nef") == [b"abcd"]
    assert framer.feed(b"ghi\nok\n") == [b"ok"]  # "efghi": 5 bytes, dropped
    assert framer.overlong == 2


def test_an_over_long_partial_line_is_dropped_up_to_its_end_only() -> None:
    framer = LineFramer(max_length=4)
    assert framer.feed(b"12345") == []  # over the cap before its end: dropped now, counted once
    assert framer.overlong == 1
    assert framer.feed(b"678") == []  # still the same line
    assert framer.feed(b"9\nA1\n\r\n\nB\r\r\n") == [b"A1", b"B"]  # its end; empty lines skipped
    assert framer.overlong == 1
    assert framer.feed(b"C2\n") == [b"C2"]


def test_a_framer_made_without_a_cap_keeps_lines_of_256_bytes_and_drops_longer() -> None:
    framer = LineFramer()  # a driver author's default
    assert framer.max_length == 256
    assert framer.feed(b"x" * 256 + b"\n" + b"y" * 257 + b"\n") == [b"x" * 256]
    assert framer.overlong == 1


def test_the_units_notes_replace_by_topic_clear_when_empty_and_are_made_inert(store: Store) -> None:
    rec = Recorder(store, clock=lambda: T0)
    rec.handle(Connected(T0, UnitInfo("simulator", "sim-1", "Sim", IntensityScale(kind="level", maximum=20))))
    assert rec.unit_notes == ""
    rec.handle(UnitNote(T0, "program", "program 2"))
    rec.handle(UnitNote(T0, "battery", "low battery"))
    rec.handle(UnitNote(T0, "program", "program 9\x1b[31m"))  # replaces program 2, made inert
    assert rec.notes == {"program": "program 9\ufffd[31m", "battery": "low battery"}
    assert rec.unit_notes == "program 9\ufffd[31m · low battery"
    rec.handle(UnitNote(T0, "overload", ""))  # clearing a note never given changes nothing
    rec.handle(UnitNote(T0, "program", ""))  # cleared
    assert rec.unit_notes == "low battery"
    rec.handle(StimulationStarted(T0, 4))  # a session starting keeps what the unit said
    assert rec.unit_notes == "low battery"
