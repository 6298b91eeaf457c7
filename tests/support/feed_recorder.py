"""A recording process for crash tests: device events arrive as lines on stdin
("start 4", "level 6", "stop", "lost", "back"), stamped with the wall clock as they arrive,
and go through the real Recorder into the database named by argv[1]."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator

from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitInfo,
)
from tenslog.model import IntensityScale
from tenslog.recorder import Recorder, run_recorder
from tenslog.store import Store

UNIT = UnitInfo("crash-test", "unit-1", "Crash test unit", IntensityScale(kind="level", maximum=20))


def parse(line: str, at: float) -> DeviceEvent | None:
    word, _, arg = line.strip().partition(" ")
    match word:
        case "start":
            return StimulationStarted(at, float(arg) if arg else None)
        case "level":
            return IntensityChanged(at, float(arg))
        case "stop":
            return StimulationStopped(at)
        case "lost":
            return LinkLost(at)
        case "back":
            return LinkRestored(at)
    return None


async def stdin_events() -> AsyncIterator[DeviceEvent]:
    loop = asyncio.get_running_loop()
    yield Connected(time.time(), UNIT)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        event = parse(line, time.time())
        if event is not None:
            yield event


def main() -> None:
    store = Store.open(sys.argv[1])
    store.acquire_recording()
    recorder = Recorder(store, grace_seconds=float(sys.argv[2]) if len(sys.argv) > 2 else 120)
    recorder.on_started.append(lambda sid: print(f"started {sid}", flush=True))
    recorder.on_ended.append(lambda sid, state: print(f"ended {sid}", flush=True))
    print("ready", flush=True)
    asyncio.run(run_recorder(stdin_events(), recorder))


if __name__ == "__main__":
    main()
