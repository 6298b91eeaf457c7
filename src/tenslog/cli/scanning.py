"""What `tenslog scan` prints, from what each driver found: a serial port once (with what each
serial driver would make of it) instead of once per driver; the built-in UARTs nearly every PC
has (/dev/ttyS0) left out unless asked for; Bluetooth that is not there said once, plainly."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.driver import FoundUnit
from tenslog.driver.discovery import NO_BLUETOOTH, bluetooth_missing, by_port

__all__ = ["NO_BLUETOOTH", "Scanned", "scan_lines"]


@dataclass(frozen=True, slots=True)
class Scanned:
    """One driver's scan: what it found, or why it could not look."""

    driver: str
    transport: str
    found: tuple[FoundUnit, ...] = ()
    error: str | None = None  # why it could not look ("Type: message", tenslog.driver.discovery)


def scan_lines(results: list[Scanned], *, all_ports: bool = False) -> list[str]:
    lines: list[str] = []
    serial: list[tuple[str, FoundUnit]] = []
    serial_scanned = no_bluetooth = False
    for result in results:
        if result.error is not None:
            if bluetooth_missing(result.transport, result.error):
                no_bluetooth = True  # one adapter for all BLE drivers: said once, below
            else:
                lines.append(f"{result.driver}: cannot scan ({result.error})")
            continue
        if result.transport == "serial":
            serial_scanned = True
            serial += [(result.driver, unit) for unit in result.found]
            continue
        for unit in result.found:
            lines.append(f"{result.driver:18} {unit.identity:24} {unit.name}  {unit.detail}".rstrip())
        if not result.found:
            lines.append(f"{result.driver:18} (nothing found)")
    ports, left_out = by_port(serial, all_ports=all_ports)
    for port, seen in sorted(ports.items()):
        detail = next((unit.detail for _, unit in seen if unit.detail), "")
        lines.append(f"serial port {port}  {detail}".rstrip())
        lines += [f"    --driver {driver:16} {unit.name}" for driver, unit in seen]
    if serial_scanned and not ports:
        lines.append("serial ports       (nothing found)")
    if left_out:
        names = ", ".join(sorted(left_out))
        lines.append(f"(built-in serial ports left out: {names}; --all-ports lists them)")
    if no_bluetooth:
        lines.append(NO_BLUETOOTH)
    return lines
