"""Finding a replugged port again, and the back-off shared by every reconnecting driver."""

from __future__ import annotations

import random
from pathlib import Path

from serial.tools.list_ports_common import ListPortInfo

from tenslog.driver.backoff import Backoff
from tenslog_serial.ports import UsbIdentity, find_port_again, usb_identity_of


def usb_port(device: str, vid: int, pid: int, serial: str | None) -> ListPortInfo:
    port = ListPortInfo(device, skip_link_detection=True)
    port.vid, port.pid, port.serial_number = vid, pid, serial
    return port


def test_replugged_unit_is_found_under_its_new_name(tmp_path: Path) -> None:
    old = tmp_path / "ttyUSB0"
    old.touch()
    before = [usb_port(str(old), 0x239A, 0x8029, "ABC123")]
    usb = usb_identity_of(str(old), before)
    assert usb == UsbIdentity(0x239A, 0x8029, "ABC123")
    assert find_port_again(str(old), usb, before) == str(old)
    old.unlink()  # unplugged; it comes back as ttyUSB1, next to another unit of the same model
    after = [
        usb_port(str(tmp_path / "ttyUSB1"), 0x239A, 0x8029, "OTHER"),
        usb_port(str(tmp_path / "ttyUSB2"), 0x239A, 0x8029, "ABC123"),
    ]
    assert find_port_again(str(old), usb, after) == str(tmp_path / "ttyUSB2")
    assert find_port_again(str(old), usb, []) is None
    assert find_port_again(str(old), None, after) is None  # no USB identity: wait for the path


def test_backoff_grows_to_its_cap_and_resets_only_on_success() -> None:
    backoff = Backoff(first=0.5, cap=8.0, jitter=0.1, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(12)]
    assert delays[0] >= 0.5 and delays[1] > delays[0] and delays[2] > delays[1]
    assert max(delays) <= 8.0 and delays[-1] > 7.0
    backoff.succeeded()
    assert backoff.next_delay() < 0.6
