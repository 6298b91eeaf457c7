"""An ET-312B emulated from the protocol document (buttshock-protocol-docs,
doc/et312-protocol.org) behind a real pty: it answers the handshake, the key exchange and
single-byte reads from its memory, decrypting what it receives once keyed. A memory write
(``0x?d``) is never carried out: it is kept in ``writes`` and the box stops answering, so a
driver that sends one fails its test twice over."""

from __future__ import annotations

import asyncio

from tenslog.testing import FakeSerialUnit


class EmulatedEt312:
    def __init__(self, unit: FakeSerialUnit, box_key: int = 0xEF) -> None:
        self.unit = unit
        self.memory: dict[int, int] = {0x4064: 0, 0x4065: 0, 0x407B: 0x00}
        self.box_key = box_key
        self.key: int | None = None  # the XOR key once exchanged
        self.pending = bytearray()
        self.writes: list[bytes] = []  # memory write commands received (must stay empty)
        self.unknown: list[int] = []  # command bytes the document does not know
        self.broken = False
        self.listening = False

    def listen(self) -> None:
        asyncio.get_running_loop().add_reader(self.unit.master, self._received)
        self.listening = True

    def deafen(self) -> None:
        """Stop answering (call before unplugging the unit)."""
        if self.listening:
            asyncio.get_running_loop().remove_reader(self.unit.master)
            self.listening = False

    def _received(self) -> None:
        data = self.unit.read()
        if self.key is not None:
            data = bytes(b ^ self.key for b in data)
        self.pending += data
        while self.pending and not self.broken:
            if not self._one():
                break

    def _one(self) -> bool:
        """Handles the command at the front of ``pending``; False if it is not complete."""
        p = self.pending
        command = p[0]
        if command == 0x00:
            del p[:1]
            self.unit.write(b"\x07")
        elif command == 0x2F:  # key exchange: [0x2f, host key, checksum]
            if len(p) < 3:
                return False
            host, cs = p[1], p[2]
            del p[:3]
            if cs == (0x2F + host) & 0xFF:
                flipped = ((host & 0x0F) << 4) | (host >> 4)
                self.key = flipped ^ self.box_key ^ 0x55
                self.unit.write(bytes([0x21, self.box_key, (0x21 + self.box_key) & 0xFF]))
        elif command == 0x3C:  # read: [0x3c, high, low, checksum]
            if len(p) < 4:
                return False
            frame = bytes(p[:4])
            del p[:4]
            if frame[3] == sum(frame[:3]) & 0xFF:
                value = self.memory.get(frame[1] << 8 | frame[2], 0)
                self.unit.write(bytes([0x22, value, (0x22 + value) & 0xFF]))
        elif command & 0x0F == 0x0D:  # write: [0xNd, high, low, N-3 values, checksum]
            size = 3 + (command >> 4) - 3 + 1
            if len(p) < size:
                return False
            self.writes.append(bytes(p[:size]))
            del p[:size]
            self.broken = True  # a read-only driver never gets here: fail loudly
        else:
            self.unknown.append(command)
            del p[:1]
        return True
