"""What `tenslog scan` prints, from what each driver found: a serial port once (with what each
serial driver would make of it) instead of once per driver; the built-in UARTs nearly every PC
has (/dev/ttyS0) left out unless asked for; Bluetooth that is not there said once, plainly."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.driver import FoundUnit
from tenslog.driver.ports import is_built_in_port

NO_BLUETOOTH = "Bluetooth is not available (no adapter, switched off, or no permission)"


@dataclass(frozen=True, slots=True)
class Scanned:
    """One driver's scan: what it found, or why it could not look."""

    driver: str
    transport: str
    found: tuple[FoundUnit, ...] = ()
    error: str | None = None  # why it could not look ("Type: message", tenslog.driver.discovery)


def scan_lines(results: list[Scanned], *, all_ports: bool = False) -> list[str]:
    lines: list[str] = []
    ports: dict[str, list[tuple[str, FoundUnit]]] = {}
    left_out: set[str] = set()
    serial_scanned = no_bluetooth = False
    for result in results:
        if result.error is not None:
            if result.transport == "ble" and not result.error.startswith("no answer within"):
                no_bluetooth = True  # one adapter for all BLE drivers: said once, below
            else:
                lines.append(f"{result.driver}: cannot scan ({result.error})")
            continue
        if result.transport == "serial":
            serial_scanned = True
            for unit in result.found:
                if not all_ports and is_built_in_port(unit.identity):
                    left_out.add(unit.identity)
                else:
                    ports.setdefault(unit.identity, []).append((result.driver, unit))
            continue
        for unit in result.found:
            lines.append(f"{result.driver:18} {unit.identity:24} {unit.name}  {unit.detail}".rstrip())
        if not result.found:
            lines.append(f"{result.driver:18} (nothing found)")
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
