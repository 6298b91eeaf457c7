"""Splits a byte stream into lines with a length cap. Serial buffers grow until a terminator
arrives, so a unit that never sends one (or noise on the line) must not eat memory: a line
longer than the cap is discarded up to its terminator and counted."""

from __future__ import annotations


class LineFramer:
    def __init__(self, max_length: int = 256) -> None:
        self.max_length = max_length
        self.overlong = 0  # lines discarded for length
        self._buffer = bytearray()
        self._discarding = False  # inside an over-long line: drop bytes until its end

    def feed(self, data: bytes) -> list[bytes]:
        """Complete lines (without CR/LF, empty ones skipped) found so far."""
        *complete, rest = data.split(b"\n")  # split in C: a chunk holds dozens of lines
        lines: list[bytes] = []
        for part in complete:
            if self._discarding:  # this terminator ends the over-long line
                self._discarding = False
                continue
            if self._buffer:
                part = bytes(self._buffer + part)
                self._buffer.clear()
            if len(part) > self.max_length:
                self.overlong += 1
                continue
            line = part.rstrip(b"\r")
            if line:
                lines.append(line)
        if not self._discarding:
            self._buffer += rest
            if len(self._buffer) > self.max_length:
                self._buffer.clear()
                self._discarding = True
                self.overlong += 1
        return lines

    def reset(self) -> None:
        """Forget a partial line, e.g. after a reconnect (it belonged to the old link)."""
        self._buffer.clear()
        self._discarding = False
