"""The line protocol's checksum, pinned by the fixed example lines in hardware-notes.md (issue
17: no test decoded them, so any CRC variant passed). The examples are read from the file
itself, so the notes a bridge author follows and the decoder cannot drift apart; each must
decode to what its description says, re-encode to the same bytes, and carry the CRC an
independent bit-by-bit CRC-16/CCITT-FALSE gives, which the common variants do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tenslog.model import IntensityScale
from tenslog_serial.lineproto import LineStatus, decode_line, encode_line

NOTES = Path(__file__).resolve().parents[2] / "hardware-notes.md"
EXAMPLE = re.compile(r"^\s*- `(\$TENS,[^`]*)` → (.+)$", re.MULTILINE)

# What each documented example means, written out by hand from its description.
MEANING = {
    "$TENS,OFF,0,L20*6360": LineStatus(False, 0.0, IntensityScale(kind="level", maximum=20)),
    "$TENS,ON,12,L20*2DAA": LineStatus(True, 12.0, IntensityScale(kind="level", maximum=20)),
    "$TENS,ON,1.5,MA4*02DA": LineStatus(True, 1.5, IntensityScale(kind="mA", maximum=4)),
}


def examples() -> list[str]:
    section = NOTES.read_text(encoding="utf-8").split("## line-serial", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in EXAMPLE.finditer(section)]


def crc16(data: bytes, *, poly: int = 0x1021, init: int = 0xFFFF, reflect: bool = False, xorout: int = 0) -> int:
    """A plain bit-by-bit CRC-16, independent of binascii; the defaults are CCITT-FALSE."""

    def mirror(value: int, bits: int) -> int:
        return int(f"{value:0{bits}b}"[::-1], 2)

    crc = init
    for byte in data:
        crc ^= (mirror(byte, 8) if reflect else byte) << 8
        for _ in range(8):
            crc = ((crc << 1) ^ poly) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return (mirror(crc, 16) if reflect else crc) ^ xorout


VARIANTS = {  # CRC-16s a decoder might use by mistake
    "XMODEM (init 0)": {"init": 0x0000},
    "KERMIT (reflected, init 0)": {"init": 0x0000, "reflect": True},
    "X-25 (reflected, final xor)": {"reflect": True, "xorout": 0xFFFF},
    "GENIBUS (final xor)": {"xorout": 0xFFFF},
    "AUG-CCITT (init 0x1D0F)": {"init": 0x1D0F},
    "ARC (poly 0x8005, reflected, init 0)": {"poly": 0x8005, "init": 0x0000, "reflect": True},
}


def test_the_notes_have_exactly_the_examples_this_test_knows() -> None:
    assert examples() == list(MEANING)


@pytest.mark.parametrize("line", list(MEANING))
def test_each_documented_example_decodes_to_what_it_says(line: str) -> None:
    assert decode_line(line.encode("ascii")) == MEANING[line]
    assert decode_line(line.encode("ascii") + b"\r\n") == MEANING[line]
    assert encode_line(MEANING[line]) == line.encode("ascii") + b"\n"


@pytest.mark.parametrize("line", list(MEANING))
def test_each_examples_crc_is_ccitt_false(line: str) -> None:
    body, crc = line[1:].split("*")
    assert crc16(body.encode("ascii")) == int(crc, 16)
    for name, variant in VARIANTS.items():
        other = crc16(body.encode("ascii"), **variant)
        assert other != int(crc, 16), f"{name} gives the same crc: the example cannot tell them apart"
        assert decode_line(f"${body}*{other:04X}".encode("ascii")) is None, f"a {name} line was accepted"


@pytest.mark.parametrize("line", list(MEANING))
def test_any_other_crc_or_lower_case_hex_is_refused(line: str) -> None:
    body, crc = line[1:].split("*")
    value = int(crc, 16)
    for bit in range(16):
        assert decode_line(f"${body}*{value ^ (1 << bit):04X}".encode("ascii")) is None
    if crc != crc.lower():
        assert decode_line(f"${body}*{crc.lower()}".encode("ascii")) is None


def test_the_reference_crc_gives_the_catalogue_check_values() -> None:
    """The reference itself checked: CRC-16 catalogue check values of b"123456789"."""
    check = {name: crc16(b"123456789", **variant) for name, variant in VARIANTS.items()}
    assert crc16(b"123456789") == 0x29B1
    assert check == {
        "XMODEM (init 0)": 0x31C3, "KERMIT (reflected, init 0)": 0x2189, "X-25 (reflected, final xor)": 0x906E,
        "GENIBUS (final xor)": 0xD64E, "AUG-CCITT (init 0x1D0F)": 0xE5CC, "ARC (poly 0x8005, reflected, init 0)": 0xBB3D,
    }  # fmt: skip
