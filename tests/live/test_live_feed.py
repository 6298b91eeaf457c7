"""What the attached dashboard reads from the service's writes: sessions begun and ended, the
level, and the link as the database shows it (an open gap, heartbeats that stopped)."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.sessions import rated_session
from tenslog.driver.events import (
    Connected,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.live.attached import ServiceFeed, service_holder
from tenslog.live.state import Ended, Phase, Started
from tenslog.model import Capabilities, IntensityScale, SessionState
from tenslog.recorder import LinkState, Recorder
from tenslog.store import Store
from tenslog.store.holder import Holder

ALL = Capabilities(reports_on_off=True, reports_intensity=True)
SCALE = IntensityScale(kind="level", maximum=20)


def test_the_feed_follows_a_session_and_reads_the_link_from_gaps_and_heartbeats(db_path: Path) -> None:
    t0 = time.time() - 1000  # the store takes no start in the future
    writer = Store.open(db_path)
    writer.acquire_recording(role="service")
    reader = Store.open(db_path)
    holder = service_holder(reader)
    assert holder is not None and (holder.pid, holder.role) == (os.getpid(), "service")
    now = [50.0]  # the dashboard's steady clock, moved by hand
    feed = ServiceFeed(reader, holder, steady=lambda: now[0])
    assert feed.news() == []

    def shown():  # type: ignore[no-untyped-def]
        return feed.state(Phase.RUNNING, ALL, None, (), None)

    rec = Recorder(writer, grace_seconds=60)
    rec.handle(Connected(t0, UnitInfo("sim", "u-1", "Unit one", SCALE, ALL)))
    rec.handle(StimulationStarted(t0, 4.0))
    [started] = feed.news()
    assert started == Started(1)
    state = shown()
    assert (state.unit_name, state.link, state.intensity, state.elapsed, state.scale) == (
        f"Unit one, recorded by the tenslog service (pid {os.getpid()})", LinkState.CONNECTED,
        4.0, 0.0, SCALE)

    rec.tick(t0 + 5)  # a heartbeat: the session's time runs on from it, a second at most
    assert feed.news() == []
    now[0] += 0.5
    assert shown().elapsed == 5.5
    now[0] += 2.0
    assert shown().elapsed == 6.0

    rec.handle(LinkLost(t0 + 6, "gone"))  # an open gap: reconnecting, for as long as it is open
    now[0] += 0.1
    assert feed.news() == []
    now[0] += 4.0
    state = shown()
    assert (state.link, state.lost_for, state.problem) == (LinkState.RECONNECTING, 4.0, None)

    rec.handle(LinkRestored(t0 + 12))
    rec.handle(StimulationStarted(t0 + 12, 4.0))  # back, and still on
    rec.tick(t0 + 12.5)
    assert feed.news() == []
    assert shown().link is LinkState.CONNECTED
    now[0] += 10.0  # nothing written for ten seconds, no gap open: nobody is writing
    state = shown()
    assert (state.link, state.problem) == (
        LinkState.RECONNECTING, f"No word from the tenslog service (pid {os.getpid()}) for 10 s.")

    rec.handle(StimulationStopped(t0 + 20))
    assert feed.news() == [Ended(1, SessionState.COMPLETE)]
    ended = feed.state(Phase.ENDED, ALL, None, (), None)
    assert (ended.elapsed, ended.intensity, ended.link) == (20.0, None, LinkState.WAITING)

    assert feed.service_alive
    writer.release_recording()
    assert not feed.service_alive
    assert service_holder(reader) is None
    feed.close()
    writer.close()
    reader.close()


def test_a_session_typed_in_meanwhile_is_not_taken_for_the_services(db_path: Path) -> None:
    writer = Store.open(db_path)
    writer.acquire_recording(role="service")
    reader = Store.open(db_path)
    holder = service_holder(reader)
    assert holder is not None
    feed = ServiceFeed(reader, holder)
    t0 = time.time() - 1000
    rec = Recorder(writer, grace_seconds=60)
    rec.handle(Connected(t0, UnitInfo("sim", "u-1", "Unit one", SCALE, ALL)))
    rec.handle(StimulationStarted(t0, 4.0))
    assert feed.news() == [Started(1)]
    # A session typed in by hand (the log's form, `tenslog add`), stored after the service's:
    reader.add_sessions([rated_session(datetime.now(UTC) - timedelta(hours=3), 10, 5, 3)])
    assert feed.news() == []
    assert feed.seen.session_id == 1 and feed.seen.open
    for store in (writer, reader):
        store.close()


def test_a_killed_service_whose_pid_now_belongs_to_another_process_is_not_followed(db_path: Path) -> None:
    """SIGKILL (or a power cut) leaves the holder file naming the service's pid; after a reboot
    that pid often belongs to some other process. The dashboard must not follow a service that
    is gone: nobody holds the recording lock, so the user records here."""
    Store.open(db_path).close()
    ready, told = os.pipe()
    pid = os.fork()
    if pid == 0:  # the service: claims the file, says so, waits for its kill
        try:
            service = Store.open(db_path)
            service.acquire_recording(role="service")
            os.write(told, b"1")
            time.sleep(60)  # holding `service`, and with it the lock, until killed
        finally:
            os._exit(0)
    assert os.read(ready, 1) == b"1"
    reader = Store.open(db_path)
    holder = service_holder(reader)
    assert holder is not None and holder.pid == pid
    feed = ServiceFeed(reader, holder)
    assert feed.service_alive
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    reused = Holder(1, "service")  # init: alive, and certainly not a tenslog service
    Path(f"{db_path}.recorder").write_text(f'{{"pid": {reused.pid}, "role": "service"}}')
    assert service_holder(reader) is None
    assert not ServiceFeed(reader, reused).service_alive
    feed.close()
    reader.close()
