"""Which serial ports are worth offering: the built-in UARTs nearly every PC has (/dev/ttyS0,
the Raspberry Pi's ttyAMA0) carry no unit unless someone wired one, so listings leave them out
unless asked for (`tenslog scan --all-ports`, or naming the port)."""

from __future__ import annotations

import re

BUILT_IN_PORT = re.compile(r"^/dev/tty(S|AMA)\d+$")


def is_built_in_port(path: str) -> bool:
    return BUILT_IN_PORT.match(path) is not None
