"""`tenslog scan` without noise: a serial port once, with what each serial driver would make
of it; built-in UARTs (/dev/ttyS0) left out unless asked for; no Bluetooth said in one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tenslog.cli.scanning import NO_BLUETOOTH, Scanned, scan_lines
from tenslog.driver import FoundUnit
from tenslog.driver.ports import is_built_in_port

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
USB = "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0"


def _serial(driver: str, name: str, *ports: str) -> Scanned:
    return Scanned(driver, "serial", tuple(
        FoundUnit(driver, port, name, "FT232R USB UART, USB 0403:6001" if "usb" in port else "")
        for port in ports
    ))


def test_a_serial_port_is_listed_once_with_each_drivers_reading() -> None:
    results = [
        _serial("et312-serial", "ET-312B / MK-312BT", USB, "/dev/ttyS0"),
        _serial("line-serial", "TENS unit (line protocol)", USB, "/dev/ttyS0"),
        Scanned("beurer-em70", "ble", error="BluetoothUnavailable: Bluetooth is not available: [Errno 2] No such file or directory"),
        Scanned("ble-profile", "ble", error="BluetoothUnavailable: Bluetooth is not available: [Errno 2] No such file or directory"),
        Scanned("simulator", "simulated", (FoundUnit("simulator", "sim-1", "Simulated TENS unit"),)),
    ]
    assert scan_lines(results) == [
        "simulator          sim-1                    Simulated TENS unit",
        f"serial port {USB}  FT232R USB UART, USB 0403:6001",
        "    --driver et312-serial     ET-312B / MK-312BT",
        "    --driver line-serial      TENS unit (line protocol)",
        "(built-in serial ports left out: /dev/ttyS0; --all-ports lists them)",
        "Bluetooth is not available (no adapter, switched off, or no permission)",
    ]
    with_all = scan_lines(results, all_ports=True)
    assert "serial port /dev/ttyS0" in with_all
    assert not any("left out" in line for line in with_all)


def test_no_serial_port_and_a_driver_that_fails_otherwise_say_so() -> None:
    results = [
        _serial("line-serial", "TENS unit"),
        Scanned("odd", "other", error="RuntimeError: the plugin broke"),
    ]
    assert scan_lines(results) == [
        "odd: cannot scan (RuntimeError: the plugin broke)",
        "serial ports       (nothing found)",
    ]


def test_tenslog_scan_on_this_machine_says_bluetooth_at_most_once_without_an_errno() -> None:
    result = subprocess.run([TENSLOG, "scan", "--timeout", "0.5"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(NO_BLUETOOTH) <= 1
    assert "Errno" not in result.stdout and "BluetoothUnavailable" not in result.stdout
    ports = [line for line in result.stdout.splitlines() if line.startswith("serial port ")]
    assert len(ports) == len(set(ports))
    assert not any(line.startswith("serial port /dev/ttyS") for line in ports)


async def test_the_dashboard_chooser_leaves_out_built_in_serial_ports() -> None:
    from serial.tools import list_ports

    from tenslog.live.chooser import found_everywhere

    here = [p.device for p in list_ports.comports()]
    choices, _problem = await found_everywhere(0.5)
    offered = {c.found.identity for c in choices if c.found is not None}
    assert not any(is_built_in_port(port) for port in offered)
    # Every other serial port of this machine is still offered.
    assert {p for p in here if not is_built_in_port(p)} <= offered
