"""One recorder per database: whoever is refused is told which process records (its pid) and
how to stop it."""

from __future__ import annotations

import stat
from pathlib import Path

from support.service_proc import QUICK_SIMULATOR, Lines, service_env, start, stop
from support.warm_cli import run_tenslog


def refused(db: Path, *args: str) -> str:
    done = run_tenslog(["--db", str(db), *args], env=service_env(), timeout=60)
    assert done.returncode == 1, done
    return done.stderr.strip()


def test_a_second_service_and_tenslog_record_are_told_the_service_pid_and_what_to_do(db_path: Path) -> None:
    service = start(db_path, *QUICK_SIMULATOR)
    Lines(service.stdout).wait_for("recording into")
    told = (f"Error: another tenslog is already recording into {db_path}: the tenslog service (pid {service.pid}); "
            "stop it with `systemctl --user stop tenslog.service` (or Ctrl+C where it runs); "
            "its sessions are in the dashboard and in `tenslog list`.")
    assert refused(db_path, "service", *QUICK_SIMULATOR) == told
    assert refused(db_path, "record", *QUICK_SIMULATOR) == told
    holder = Path(f"{db_path}.recorder")
    assert stat.S_IMODE(holder.stat().st_mode) == 0o600  # owner-only, like the database
    assert stop(service) == 0
    assert not holder.exists()  # stopped: nobody is named


def test_the_service_is_told_the_pid_of_tenslog_record(db_path: Path) -> None:
    record = start(db_path, *QUICK_SIMULATOR, command="record")
    Lines(record.stdout).wait_for("recording from")
    assert refused(db_path, "service", *QUICK_SIMULATOR) == (
        f"Error: another tenslog is already recording into {db_path}: `tenslog record` (pid {record.pid}); "
        "stop it with Ctrl+C in its terminal first.")
    assert stop(record) == 0


def test_a_holder_killed_leaves_no_claim_and_the_next_one_names_itself(db_path: Path) -> None:
    record = start(db_path, *QUICK_SIMULATOR, command="record")
    Lines(record.stdout).wait_for("recording from")
    record.kill()
    record.wait()
    service = start(db_path, *QUICK_SIMULATOR)
    Lines(service.stdout).wait_for("recording into")  # the stale name did not stop it
    assert f"the tenslog service (pid {service.pid})" in refused(db_path, "record", *QUICK_SIMULATOR)
    assert stop(service) == 0
