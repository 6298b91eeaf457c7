"""Desktop notifications from the service, through desktop-notifier (org.freedesktop.Notifications
over D-Bus on Linux; macOS and Windows have their own backends there).

Notifications are a help, never a condition: with no session bus or no notification server
(a server machine, a service started before the desktop) the log says so once and recording
goes on. Texts never hold a pain rating or a note: they show on a locked screen. Clicking one
(where the server offers actions) opens the dashboard on that session's rating, in a terminal."""

from __future__ import annotations

import asyncio
import logging
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_notifier import DesktopNotifier, Notification

from tenslog.service.journal import Journal

# Imported with this module, before the service starts its loop: an import (~0.2 s) inside the
# loop would hold up its signal handlers and the first session's events.
if sys.platform == "linux":
    from dbus_fast.aio import MessageBus

PROBE_SECONDS = 5.0  # a bus that accepts and never answers must not hold the reminders forever
BUS_NAME = "org.freedesktop.Notifications"
BUS_PATH = "/org/freedesktop/Notifications"

# desktop-notifier logs a failed send with its traceback; the service says it in one line.
logging.getLogger("desktop_notifier").addHandler(logging.NullHandler())
logging.getLogger("desktop_notifier").propagate = False


@dataclass(frozen=True, slots=True)
class Reminder:
    """One notification; ``session_id``/``moment``: the rating a click opens (None: a click
    opens the dashboard as it is)."""

    title: str
    body: str
    session_id: int | None = None
    moment: str | None = None


class NotificationsUnavailable(Exception):
    """No way to show a notification here; the message says why, in a few words."""


async def probe() -> str:
    """The notification server's name, or NotificationsUnavailable saying why there is none.
    Elsewhere than Linux desktop-notifier speaks to the system itself: nothing to look for."""
    if sys.platform != "linux":
        return "the system's notifications"
    # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancel that lands as the
    # inner call finishes, and the service's reminder task then never stops.
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            bus = await MessageBus().connect()
    except Exception as exc:  # noqa: BLE001 - any failure to reach a bus means the same here
        raise NotificationsUnavailable(f"no session bus ({_why(exc)})") from None
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            introspection = await bus.introspect(BUS_NAME, BUS_PATH)
        proxy = bus.get_proxy_object(BUS_NAME, BUS_PATH, introspection).get_interface(BUS_NAME)
        async with asyncio.timeout(PROBE_SECONDS):
            info = await proxy.call_get_server_information()  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - no server, a slow one, or an odd one: all "none"
        raise NotificationsUnavailable(f"no notification server on the session bus ({_why(exc)})") from None
    finally:
        bus.disconnect()
    return str(info[0])


def _why(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def default_terminal() -> list[str] | None:
    """A command that runs the rest of its words in a new terminal window, or None."""
    if found := shutil.which("xdg-terminal-exec"):  # the freedesktop way: the user's terminal
        return [found]
    if found := shutil.which("x-terminal-emulator"):  # Debian's alternatives: takes -e
        return [found, "-e"]
    return None


def terminal_from(setting: str) -> list[str] | None:
    """TENSLOG_TERMINAL_COMMAND (e.g. "gnome-terminal --") as words; empty: the default."""
    return shlex.split(setting) if setting.strip() else default_terminal()


def dashboard_command(terminal: list[str], database: Path, session_id: int | None = None,
                      moment: str | None = None) -> list[str]:
    """The dashboard in a terminal, opened on one session's rating if given: it only asks, and
    saves only what is answered."""
    from tenslog.service.systemd import tenslog_command

    rate = [] if session_id is None else ["--rate", f"{session_id}:{moment}"]
    return [*terminal, *tenslog_command(), "--db", str(Path(database).absolute()), *rate]


class Notifier:
    """Shows reminders one at a time, in order; says once if it cannot, then keeps trying
    quietly at each reminder (a notification server may start after the service)."""

    def __init__(self, journal: Journal, database: Path, terminal: list[str] | None) -> None:
        self.journal = journal
        self.database = database
        self.terminal = terminal
        self.server: str | None = None
        self._desktop: DesktopNotifier | None = None  # made once a server answers
        self._said_none = False
        self._said_failed = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> bool:
        """Look for a notification server and say in the log what was found."""
        return await self._ready()

    async def _ready(self) -> bool:
        if self.server is not None:
            return True
        try:
            self.server = await probe()
        except NotificationsUnavailable as exc:
            if not self._said_none:
                self.journal.notice(f"desktop notifications: none here, {exc}; recording goes on "
                                    "without them (rate in the dashboard or with `tenslog rate`)")
                self._said_none = True
            return False
        self._desktop = DesktopNotifier(app_name="tenslog", app_icon=None)
        self._said_none = self._said_failed = False
        self.journal.info(f"desktop notifications: on ({self.server})")
        return True

    async def show(self, reminder: Reminder) -> bool:
        """Show ``reminder``; False (after one line in the log) if it could not be shown."""
        if not await self._ready():
            return False
        shown: list[bool] = []
        note = Notification(
            reminder.title, reminder.body, on_dispatched=lambda: shown.append(True),
            on_clicked=lambda: self.clicked(reminder))
        assert self._desktop is not None
        await self._desktop.send_notification(note)  # never raises: a failure is not dispatched
        if not shown:
            if not self._said_failed:
                self.journal.warning(f"a desktop notification could not be shown ({self.server} "
                                     "stopped answering); recording goes on")
                self._said_failed = True
            self.server = self._desktop = None  # look for a server again next time
            return False
        return True

    def clicked(self, reminder: Reminder) -> None:
        """A click on a reminder: open the dashboard (on its rating, if it asks for one); the
        work goes on in a task, since this runs inside the bus's message handler."""
        task = asyncio.get_running_loop().create_task(self._open_rating(reminder))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _open_rating(self, reminder: Reminder) -> None:
        what = "the trial" if reminder.session_id is None else f"session {reminder.session_id}"
        if self.terminal is None:
            self.journal.warning(f"cannot open the dashboard to rate {what}: no terminal found; "
                                 'set TENSLOG_TERMINAL_COMMAND, e.g. "gnome-terminal --"')
            return
        command = dashboard_command(self.terminal, self.database, reminder.session_id, reminder.moment)
        try:
            process = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self.journal.warning(f"cannot open the dashboard to rate {what}: {exc}")
            return
        self.journal.info(f"opening the dashboard to rate {what}")
        await process.wait()  # reaped, so no zombie stays behind for as long as the service runs
