"""line-serial decodes each distinct line once and then finds it again (a unit repeats its few
lines many times a second; issue 16): the readings stay exact however many distinct lines a
unit with fine steps sends, the memory for them stays bounded, and a line of another scale is
refused every time, also when it was seen before."""

from __future__ import annotations

from tenslog.driver.tracking import Reading
from tenslog.model import IntensityScale
from tenslog_serial.line import DECODED_KEPT, LineSerialDriver
from tenslog_serial.lineproto import LineStatus, encode_line

MA80 = IntensityScale(kind="mA", maximum=80)
LEVEL20 = IntensityScale(kind="level", maximum=20)


def test_many_distinct_lines_decode_exactly_twice_over_in_bounded_memory() -> None:
    driver = LineSerialDriver()
    steps = [(i % 7 != 0, i / 100) for i in range(2 * DECODED_KEPT + 100)]  # 0.00 .. 11.23 mA
    for round_ in range(2):
        for i, (on, milliamps) in enumerate(steps):
            at = 1_760_000_000.0 + round_ * 10_000 + i
            assert driver.decode(encode_line(LineStatus(on, milliamps, MA80)), at) == Reading(at, on, milliamps)
            assert len(driver._decoded) <= DECODED_KEPT
    assert driver.declared == MA80


def test_a_line_of_another_scale_is_refused_each_time_it_comes() -> None:
    driver = LineSerialDriver()
    ours, other = encode_line(LineStatus(True, 12.0, LEVEL20)), encode_line(LineStatus(True, 12.0, MA80))
    assert driver.decode(ours, 1.0) == Reading(1.0, True, 12.0)
    assert [driver.decode(other, at) for at in (2.0, 3.0)] == [None, None]
    assert driver.decode(ours, 4.0) == Reading(4.0, True, 12.0)
    assert driver.decode(b"$TENS,ON,12,L20*0000", 5.0) is None  # a bad checksum is never kept
    assert driver.decode(b"$TENS,ON,12,L20*0000", 6.0) is None
