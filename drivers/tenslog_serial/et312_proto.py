"""The ErosTek ET-312B / MK-312BT serial protocol, the read-only part, without I/O. Source:
PrincessJillian/buttshock-protocol-docs, doc/et312-protocol.org (19200 8N1); checked against
nannook206/buttshock-py (buttshock/et312/base.py).

Host to box: a command byte, its arguments, and a checksum (the low byte of the sum). tenslog
sends only two commands, ``ALLOWED_COMMANDS``: the handshake (``0x00``, answered ``0x07``) and
the single-byte read (``0x3c hi lo cs``, answered ``0x22 value cs``), and reads only
``READABLE`` addresses. ``checked`` refuses every other frame before it reaches the port, so a
memory write (``0x?d``, e.g. the key reset at $4213) can never be sent."""

from __future__ import annotations

HANDSHAKE = 0x00
HANDSHAKE_REPLY = 0x07
READ = 0x3C
READ_REPLY = 0x22
KEY_EXCHANGE = 0x2F  # allowed by the project (it writes no memory) but not used: see et312.py
ALLOWED_COMMANDS = frozenset({HANDSHAKE, READ})

LEVEL_A = 0x4064  # ADC4: level pot A, 0-255 (a knob position, not a current)
LEVEL_B = 0x4065  # ADC5: level pot B
MODE = 0x407B  # the current mode (program)
READABLE = frozenset({LEVEL_A, LEVEL_B, MODE})
MAX_SYNC = 12  # the longest message is 11 bytes: this many 0x00 resynchronise the box

# $407b, "Box Modes" in the protocol document.
MODES = {
    0x76: "Waves", 0x77: "Stroke", 0x78: "Climb", 0x79: "Combo", 0x7A: "Intense",
    0x7B: "Rhythm", 0x7C: "Audio 1", 0x7D: "Audio 2", 0x7E: "Audio 3", 0x7F: "Split",
    0x80: "Random 1", 0x81: "Random 2", 0x82: "Toggle", 0x83: "Orgasm", 0x84: "Torment",
    0x85: "Phase 1", 0x86: "Phase 2", 0x87: "Phase 3", 0x88: "User 1", 0x89: "User 2",
    0x8A: "User 3", 0x8B: "User 4", 0x8C: "User 5", 0x8D: "User 6", 0x8E: "User 7",
}


class ForbiddenCommand(RuntimeError):
    """A frame off the allow-list reached the sending code: a bug, refused before the port."""


def _sum(data: bytes) -> int:
    return sum(data) & 0xFF


def read_command(address: int) -> bytes:
    body = bytes([READ, address >> 8, address & 0xFF])
    return body + bytes([_sum(body)])


def checked(frame: bytes) -> bytes:
    """``frame`` if tenslog may send it, else ForbiddenCommand."""
    if frame == bytes([HANDSHAKE]):
        return frame
    if (
        len(frame) == 4
        and frame[0] == READ
        and frame[3] == _sum(frame[:3])
        and (frame[1] << 8 | frame[2]) in READABLE
    ):
        return frame
    raise ForbiddenCommand(f"refused to send {frame.hex()}: only the handshake and reads may go")


def read_reply(data: bytes) -> int | None:
    """The value in a read's reply, or None if it is not one (wrong header or checksum)."""
    if len(data) != 3 or data[0] != READ_REPLY or data[2] != _sum(data[:2]):
        return None
    return data[1]


def mode_name(mode: int) -> str | None:
    """The mode's name, or None when no mode runs (power-on menu, unknown)."""
    return MODES.get(mode)
