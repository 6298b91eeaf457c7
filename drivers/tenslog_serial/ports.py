"""Finding a serial port, and finding it again after a replug: the kernel may give the unit a
new name (ttyUSB0 -> ttyUSB1), so we remember its USB identity (vid, pid, serial number)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo


@dataclass(frozen=True, slots=True)
class UsbIdentity:
    vid: int
    pid: int
    serial_number: str | None


def list_serial_ports() -> list[ListPortInfo]:
    """USB ports first (a unit is far likelier there than on a built-in UART). Blocking
    (reads sysfs): call it in a thread."""
    return sorted(list_ports.comports(), key=lambda p: (p.vid is None, p.device))


def usb_identity_of(path: str, ports: list[ListPortInfo]) -> UsbIdentity | None:
    real = os.path.realpath(path)
    for port in ports:
        if port.vid is not None and port.pid is not None and os.path.realpath(port.device) == real:
            return UsbIdentity(port.vid, port.pid, port.serial_number)
    return None


def find_port_again(path: str, usb: UsbIdentity | None, ports: list[ListPortInfo]) -> str | None:
    """The path to open now: the known path if it exists, else the port with the same USB
    identity (a replugged unit may come back under another name)."""
    if os.path.exists(path):
        return path
    if usb is None:
        return None
    for port in ports:
        if (port.vid, port.pid) == (usb.vid, usb.pid) and (
            usb.serial_number is None or port.serial_number == usb.serial_number
        ):
            return port.device
    return None


def describe(port: ListPortInfo) -> str:
    parts = [port.description] if port.description and port.description != "n/a" else []
    if port.vid is not None and port.pid is not None:
        parts.append(f"USB {port.vid:04x}:{port.pid:04x}")
    if port.serial_number:
        parts.append(f"serial {port.serial_number}")
    return ", ".join(parts)
