"""A private D-Bus session bus (Debian's dbus-daemon, started for the test) and a small
org.freedesktop.Notifications server on it that records what it is asked to show, and can
click a notification the way a desktop's server does (the ActionInvoked signal).

The D-Bus signatures are dbus-fast's Annotated types: it reads them from the annotations."""

import asyncio
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pytest
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusDict, DBusInt32, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, method, signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def dbus_daemon() -> str:
    """dbus-daemon's path; where it is missing, a skip on a developer's machine and a failure
    under CI (which installs it: .ci/run), so the bus tests can never quietly stop running."""
    found = shutil.which("dbus-daemon")
    if found is None:
        message = "dbus-daemon is missing (Debian: apt-get install dbus)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the notification tests")
        pytest.skip(message)
    return found


@contextmanager
def session_bus(folder: Path) -> Iterator[str]:
    """A session bus of its own, with no services to activate; yields its address."""
    config = folder / "bus.conf"
    config.write_text(CONFIG.format(socket=folder / "bus"), encoding="utf-8")
    daemon = subprocess.Popen([dbus_daemon(), f"--config-file={config}", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()  # printed once it listens
        assert address.startswith("unix:"), address
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@dataclass(frozen=True)
class Shown:
    id: int
    app: str
    title: str
    body: str
    actions: list[str]


Strings = Annotated[list[str], DBusSignature("as")]


class NotificationServer(ServiceInterface):
    def __init__(self) -> None:
        super().__init__(NAME)
        self.shown: list[Shown] = []
        self.closed: list[int] = []
        self._changed = asyncio.Event()

    @method()
    def Notify(self, app_name: DBusStr, replaces_id: DBusUInt32, app_icon: DBusStr,
               summary: DBusStr, body: DBusStr, actions: Strings, hints: DBusDict,
               expire_timeout: DBusInt32) -> DBusUInt32:
        self.shown.append(Shown(len(self.shown) + 1, app_name, summary, body, list(actions)))
        self._changed.set()
        return len(self.shown)

    @method()
    def GetCapabilities(self) -> Strings:
        return ["actions", "body"]

    @method()
    def GetServerInformation(self) -> Annotated[list[str], DBusSignature("ssss")]:
        return ["Test notifications", "tenslog tests", "1.0", "1.2"]

    @method()
    def CloseNotification(self, notification: DBusUInt32) -> None:
        self.closed.append(notification)

    @signal()
    def ActionInvoked(self, notification: DBusUInt32, action_key: DBusStr) -> Annotated[list[object], DBusSignature("us")]:
        return [notification, action_key]

    @signal()
    def NotificationClosed(self, notification: DBusUInt32, reason: DBusUInt32) -> Annotated[list[object], DBusSignature("uu")]:
        return [notification, reason]

    async def wait_for(self, count: int, timeout: float = 20) -> list[Shown]:
        """Wait until ``count`` notifications have come; all of them, in order."""
        async def enough() -> None:
            while len(self.shown) < count:
                self._changed.clear()
                await self._changed.wait()

        try:
            async with asyncio.timeout(timeout):
                await enough()
        except TimeoutError:
            raise AssertionError(f"{count} notifications expected within {timeout} s; got {self.shown}") from None
        return self.shown

    def click(self, shown: Shown) -> None:
        """As a desktop's server does when the notification's body is clicked."""
        self.ActionInvoked(shown.id, "default")


async def serve(address: str) -> tuple[NotificationServer, MessageBus]:
    bus = await MessageBus(bus_address=address).connect()
    server = NotificationServer()
    bus.export(PATH, server)
    await bus.request_name(NAME)
    return server, bus
