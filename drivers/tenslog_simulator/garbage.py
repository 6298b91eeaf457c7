"""Garbage frames like a noisy link produces: random bytes, cut-off lines, flipped bits."""

from __future__ import annotations

import random


def garbage_frame(rng: random.Random, valid: bytes) -> bytes:
    kind = rng.randrange(3)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
    if kind == 1:
        return valid[: rng.randint(1, max(1, len(valid) - 2))]  # a line cut short
    corrupted = bytearray(valid)
    corrupted[rng.randrange(len(corrupted) - 1)] ^= 1 << rng.randrange(8)
    return bytes(corrupted)
