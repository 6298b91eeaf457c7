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
        lines: list[bytes] = []
        start = 0
        while True:
            end = data.find(b"\n", start)
            chunk = data[start:] if end < 0 else data[start:end]
            if not self._discarding:
                self._buffer += chunk
                if len(self._buffer) > self.max_length:
                    self._buffer.clear()
                    self._discarding = True
                    self.overlong += 1
            if end < 0:
                return lines
            if not self._discarding:
                line = bytes(self._buffer).rstrip(b"\r")
                if line:
                    lines.append(line)
            self._buffer.clear()
            self._discarding = False
            start = end + 1

    def reset(self) -> None:
        """Forget a partial line, e.g. after a reconnect (it belonged to the old link)."""
        self._buffer.clear()
        self._discarding = False
