"""The service's reminders over a real session bus: a private dbus-daemon started for the test,
with a small notification server on it that records what it is asked to show. The service is
the real one (run_service with the simulator) on a real SQLite file."""

from __future__ import annotations

import asyncio
import io
import json
import re
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import time
from pathlib import Path

import pytest

from support.notification_server import NotificationServer, Shown, serve, session_bus
from tenslog.driver import Driver
from tenslog.localtime import local_time
from tenslog.model import PainRating, SessionContext
from tenslog.presence import attach_dashboard
from tenslog.service.journal import Journal
from tenslog.service.notify import Notifier
from tenslog.service.notify_sessions import ServiceReminders
from tenslog.service.runner import Watch, run_service
from tenslog.store import Store
from tenslog.trial.plan import TrialPlan
from tenslog.vocabulary import RatingMoment
from tenslog_simulator import SimulatorDriver

# One two-minute session, played at once (its times lie in the past, as if it had just ended).
ONE_SESSION = {"speed": "max", "sessions": "1", "session_minutes": "2", "idle_seconds": "0"}
STAMP = re.compile(r"^\d\d:\d\d:\d\d ")


class GatedSimulator(SimulatorDriver):
    """The simulator, holding its stream until ``gate`` is set: the test says when the unit is
    switched on again (a gate never set: a unit that stays away)."""

    gate: asyncio.Event

    async def events(self, identity: str | None = None):  # type: ignore[override]
        await self.gate.wait()
        async for event in super().events(identity):
            yield event


def units(*gates: asyncio.Event) -> Callable[[Watch], Driver]:
    """One simulator run per gate, in turn; then a unit that never comes back."""
    runs = iter(gates)

    def make(watch: Watch) -> Driver:
        driver = GatedSimulator(**ONE_SESSION)
        driver.gate = next(runs, asyncio.Event())
        return driver

    return make


def opened() -> asyncio.Event:
    gate = asyncio.Event()
    gate.set()
    return gate


@pytest.fixture
def bus_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with session_bus(tmp_path) as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
async def server(bus_address: str) -> AsyncIterator[NotificationServer]:
    found, bus = await serve(bus_address)
    yield found
    bus.disconnect()


class Service:
    """The service running in this test's event loop, with its log in memory."""

    def __init__(self, db: Path, tmp_path: Path, *, follow_up_seconds: float = 0.2,
                 trial_time: time = time(23, 59, 59)) -> None:
        self.store = Store.open(db)
        self.out, self.err = io.StringIO(), io.StringIO()
        self.journal = Journal(self.out, self.err)
        # The terminal a click opens the dashboard in: a script that writes down its words.
        self.launched = tmp_path / "launched.json"
        script = tmp_path / "terminal.py"
        script.write_text("import json, sys\nopen(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))\n")
        notifier = Notifier(self.journal, db, [sys.executable, str(script), str(self.launched)])
        self.reminders = ServiceReminders(self.store, notifier, follow_up_seconds=follow_up_seconds,
                                          min_session_seconds=60, trial_time=trial_time)
        self.task: asyncio.Task[None] | None = None

    def start(self, make_driver: Callable[[Watch], Driver]) -> None:
        self.task = asyncio.create_task(run_service(
            self.store, [Watch("simulator")], self.journal, 120.0, make_driver, reminders=self.reminders))

    def lines(self) -> list[str]:
        return [STAMP.sub("", line) for line in (self.out.getvalue() + self.err.getvalue()).splitlines()]

    async def wait_for_line(self, text: str, timeout: float = 20) -> None:
        async def seen() -> None:
            while text not in self.lines():
                await asyncio.sleep(0.02)

        async with asyncio.timeout(timeout):
            await seen()

    async def launched_words(self) -> list[str]:
        """The words the terminal script was started with (it writes them as it starts)."""
        for _ in range(1000):
            if self.launched.exists() and self.launched.read_text():
                break
            await asyncio.sleep(0.02)
        return json.loads(self.launched.read_text())

    async def click(self, server: NotificationServer, shown: Shown, timeout: float = 20) -> None:
        """Click until the service takes it, as a person clicks again. desktop-notifier maps the
        server's id to its notification only once Notify's reply is in, and the test's click can
        come before that; a person's never does."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not any(line.startswith("opening the dashboard to rate") for line in self.lines()):
            assert asyncio.get_running_loop().time() < deadline, f"no click taken; log: {self.lines()}"
            server.click(shown)
            await asyncio.sleep(0.2)

    async def stop(self) -> None:
        assert self.task is not None
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task
        self.store.close()


def texts(server: NotificationServer) -> list[tuple[str, str]]:
    return [(s.title, s.body) for s in server.shown]


def follow_up_text(store: Store, session_id: int) -> tuple[str, str]:
    start = store.get(session_id).start.astimezone(local_time().tzinfo)
    return ("Time to rate again: how is your pain now?",
            f"Later rating for the TENS session of {start:%H:%M}. Click to rate it.")


async def test_a_session_is_announced_at_its_start_end_and_follow_up_time(
        server: NotificationServer, db_path: Path, tmp_path: Path) -> None:
    service = Service(db_path, tmp_path)
    service.start(units(opened()))
    shown = await server.wait_for(3)
    await service.stop()
    with Store.open(db_path) as store:
        later = follow_up_text(store, 1)
    assert texts(server) == [
        ("TENS session started", "How strong is your pain right now? Click to rate it."),
        ("TENS session ended: how is your pain now?", "Click to rate it."),
        later,
    ]
    assert {s.app for s in shown} == {"tenslog"}
    assert all(s.actions[:1] == ["default"] for s in shown)  # a click on the body is an action
    assert "desktop notifications: on (Test notifications)" in service.lines()


async def test_a_click_opens_the_dashboard_on_that_sessions_rating(
        server: NotificationServer, db_path: Path, tmp_path: Path) -> None:
    service = Service(db_path, tmp_path, follow_up_seconds=3600)
    service.start(units(opened()))
    ended = (await server.wait_for(2))[1]
    await service.click(server, ended)
    await service.wait_for_line("opening the dashboard to rate session 1")
    words = await service.launched_words()
    await service.stop()
    assert words[-4:] == ["--db", str(db_path.absolute()), "--rate", "1:after"]
    assert words[:-4][-2:] == ["-m", "tenslog"] or Path(words[0]).name == "tenslog"
    with Store.open(db_path) as store:
        assert store.get(1).ratings == ()  # a click opens the question; it saves nothing


async def test_texts_hold_no_rating_or_note_even_when_the_session_has_them(
        server: NotificationServer, db_path: Path, tmp_path: Path) -> None:
    service = Service(db_path, tmp_path, follow_up_seconds=0.5)
    service.start(units(opened()))
    await server.wait_for(2)
    # Rated and noted after the end (the follow-up is due later): none of it on a locked screen.
    service.store.set_rating(1, PainRating(moment=RatingMoment.AFTER, value=7, at=local_time()))
    service.store.set_context(1, SessionContext(note="Secret: pain at night after the fall"))
    shown = await server.wait_for(3)
    await service.stop()
    with Store.open(db_path) as store:
        assert store.get(1).after == 7
        assert store.get(1).context.note.startswith("Secret")
        assert (shown[2].title, shown[2].body) == follow_up_text(store, 1)
    for s in shown:
        assert "Secret" not in s.title + s.body and "7" not in re.sub(r"\d\d:\d\d", "", s.title + s.body)


async def test_no_reminder_while_a_dashboard_is_open(
        server: NotificationServer, db_path: Path, tmp_path: Path) -> None:
    service = Service(db_path, tmp_path, follow_up_seconds=0.1)
    dashboard = attach_dashboard(db_path)
    second = asyncio.Event()
    service.start(units(opened(), second))
    await service.wait_for_line("Simulated TENS unit (simulator): session 1 ended (complete)")
    dashboard.close()  # closed: the next session is announced again
    second.set()
    await server.wait_for(3)
    await service.stop()
    with Store.open(db_path) as store:
        later = follow_up_text(store, 2)
    # Nothing of session 1 (the open dashboard asked), not even its follow-up.
    assert texts(server) == [
        ("TENS session started", "How strong is your pain right now? Click to rate it."),
        ("TENS session ended: how is your pain now?", "Click to rate it."),
        later,
    ]


async def test_a_trial_day_without_ratings_is_reminded_once(
        server: NotificationServer, db_path: Path, tmp_path: Path) -> None:
    today = local_time().date()
    with Store.open(db_path) as store:
        trial = store.add_trial(TrialPlan.make(start=today, created=local_time(), seed=7), today)
    headline = f"Pair 1 of 6: {trial.plan.periods()[0].arm.label}, day 1 of 1"
    service = Service(db_path, tmp_path, trial_time=time(0, 0))  # due from midnight: due now
    service.start(units())  # a unit that stays away: recording waits, reminders do not
    shown = await server.wait_for(1)
    service.reminders.look_at_trial()  # the next look, a minute later: already reminded today
    assert service.reminders.queue.empty()
    await service.click(server, shown[0])  # opens the dashboard as it is (the trial is rated as usual there)
    words = await service.launched_words()
    await service.stop()
    assert texts(server) == [("Personal trial: today's ratings are missing",
                              f"{headline}. Today has no rated entry yet: rate your pain before and after.")]
    assert words[-2:] == ["--db", str(db_path.absolute())]


async def test_a_bus_without_a_notification_server_is_said_once_and_recording_goes_on(
        bus_address: str, db_path: Path, tmp_path: Path) -> None:
    service = Service(db_path, tmp_path)
    second = asyncio.Event()
    service.start(units(opened(), second))
    await service.wait_for_line("Simulated TENS unit (simulator): session 1 ended (complete)")
    second.set()
    await service.wait_for_line("Simulated TENS unit (simulator): session 2 ended (complete)")
    await service.stop()
    said = [line for line in service.lines() if "notification" in line]
    assert len(said) == 1
    assert said[0].startswith("desktop notifications: none here, no notification server on the session bus (")
    assert said[0].endswith("); recording goes on without them (rate in the dashboard or with `tenslog rate`)")
    with Store.open(db_path) as store:
        assert len(store.sessions()) == 2
