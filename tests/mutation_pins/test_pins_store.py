"""The store's write path, pinned value by value (tools/mutation.py store): an edit replaces
everything of a session and nothing of another, a context change touches only the context,
deleting a unit takes exactly its sessions and leaves its name in neither file, undo restores
the very session, and a unit keeps its name and scale unless the unit itself reports them."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tenslog.model import (
    ExtraRating,
    IntensityScale,
    LinkGap,
    PainRating,
    RatingMoment,
    Session,
    SessionContext,
    SessionKind,
    SessionState,
    Treatment,
    Unit,
)
from tenslog.store import SessionNotFound, Store, StoreError
from tenslog.store.errors import UnitConflict, UnitNotFound
from tenslog.store.migrations import LATEST_VERSION, migrate
from tenslog.vocabulary import BodyRegion, SideEffect

NOW = datetime.now(UTC).replace(microsecond=0)
UNIT = Unit(driver="manual", identity="em49", name="Beurer EM49")
OTHER = Unit(driver="manual", identity="zx-7", name="Quiet Unit ZX7")


def full_session(hours_ago: float, unit: Unit = UNIT, before: int = 7, after: int = 4,
                 note: str = "slept badly") -> Session:
    """A session with something in every table the write path fills."""
    start = NOW - timedelta(hours=hours_ago)
    return Session(
        unit=unit, start=start, end=start + timedelta(minutes=30), state=SessionState.INTERRUPTED,
        source="line-serial",
        intensity=({"at": start, "value": 7}, {"at": start + timedelta(minutes=5), "value": 9}),
        ratings=(PainRating(moment=RatingMoment.BEFORE, value=before, at=start),
                 PainRating(moment=RatingMoment.AFTER, value=after, at=start + timedelta(minutes=31))),
        gaps=(LinkGap(lost_at=start + timedelta(minutes=10), restored_at=start + timedelta(minutes=11)),),
        context=SessionContext(
            note=note, for_doctor=True,
            treatments=(Treatment(name="heat pad"), Treatment(name="tizanidine", dose="2 mg", medication=True)),
            regions=(BodyRegion.NECK, BodyRegion.HIPS), side_effects=(SideEffect.DROWSINESS,),
            extra_ratings=(ExtraRating(name="stiffness", moment=RatingMoment.BEFORE, value=6, at=start),)),
    )


def same(stored: Session, given: Session) -> None:
    assert stored.model_dump(exclude={"id"}) == given.model_dump(exclude={"id"})


def test_every_field_of_a_full_session_is_stored_as_given(store: Store) -> None:
    given = full_session(3)
    same(store.add_session(given), given)
    assert store.add_sessions([full_session(2), full_session(1, OTHER)]) == [2, 3]
    same(store.get(3), full_session(1, OTHER))


def test_an_edit_replaces_every_part_of_that_session_and_nothing_of_another(store: Store) -> None:
    first = store.add_session(full_session(3))
    second = store.add_session(full_session(2))
    start = NOW - timedelta(hours=5)
    edited = Session(id=first.id, kind=SessionKind.REST, start=start, end=start + timedelta(minutes=20),
                     ratings=(PainRating(moment=RatingMoment.AFTER, value=2, at=start + timedelta(minutes=21)),),
                     context=SessionContext(note="rest only"))
    replaced = store.replace_session(edited)
    assert replaced.id == first.id
    same(replaced, edited)
    assert replaced.intensity == () and replaced.gaps == () and replaced.before is None
    assert replaced.context.treatments == () and replaced.context.extra_ratings == ()
    same(store.get(second.id or 0), full_session(2))  # untouched
    assert store.count() == 2


def test_an_edit_of_a_missing_or_unnamed_session_is_refused_and_changes_nothing(store: Store) -> None:
    store.add_session(full_session(3))
    with pytest.raises(SessionNotFound):
        store.replace_session(full_session(1).model_copy(update={"id": 99}))
    with pytest.raises(ValueError) as unnamed:
        store.replace_session(full_session(1))
    assert str(unnamed.value) == "replace_session needs a session with an id"
    assert store.count() == 1
    same(store.get(1), full_session(3))


def test_a_context_change_replaces_the_context_only(store: Store) -> None:
    first = store.add_session(full_session(3))
    store.add_session(full_session(2, note="the other one"))
    new = SessionContext(note="better with stretching", treatments=(Treatment(name="stretching"),),
                         side_effects=(SideEffect.SKIN_IRRITATION,))
    changed = store.set_context(first.id or 0, new)
    assert changed.context == new  # for_doctor off, regions and extra ratings gone
    same(changed, full_session(3).model_copy(update={"context": new}))
    assert store.get(2).context == full_session(2, note="the other one").context
    with pytest.raises(SessionNotFound):
        store.set_context(99, new)


def test_deleting_a_unit_takes_exactly_its_sessions_and_its_name_leaves_the_files(
        store: Store, db_path: Path) -> None:
    store.add_sessions([full_session(4), full_session(3, OTHER), full_session(2), full_session(1, OTHER)])
    other = store.ensure_unit(OTHER, update=False)  # its row id
    assert store.delete_unit(other) == 2
    assert store.unit(OTHER.driver, OTHER.identity) is None
    assert [s.unit for s in store.sessions(newest_first=False)] == [UNIT, UNIT]
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists():
            assert b"Quiet Unit ZX7" not in path.read_bytes(), path.name
    with pytest.raises(UnitNotFound) as missing:
        store.delete_unit(99)
    assert str(missing.value) == "there is no unit number 99"


def test_a_unit_being_recorded_cannot_be_deleted(store: Store) -> None:
    store.add_session(full_session(2).model_copy(update={"state": SessionState.RECORDING, "end": None}))
    with pytest.raises(StoreError) as refused:
        store.delete_unit(store.ensure_unit(UNIT, update=False))
    assert str(refused.value) == "a session of this unit is being recorded; delete the unit once it has ended"
    assert store.count() == 1


def test_undo_puts_back_the_very_session_under_its_id(store: Store) -> None:
    store.add_sessions([full_session(3), full_session(2)])
    gone = store.delete_session(1)
    same(gone, full_session(3))
    assert [s.id for s in store.sessions()] == [2]
    back = store.restore_session(gone)
    assert back.id == 1
    same(back, full_session(3))
    assert store.count() == 2


def test_a_unit_keeps_its_name_and_scale_unless_it_reports_them_itself(store: Store) -> None:
    unit_id = store.ensure_unit(UNIT)
    renamed = UNIT.model_copy(update={"name": "Typed differently"})
    assert store.ensure_unit(renamed, update=False) == unit_id
    stored = store.unit(UNIT.driver, UNIT.identity)
    assert stored is not None and stored.name == "Beurer EM49"
    rescaled = UNIT.model_copy(update={"scale": IntensityScale(kind="mA", maximum=80)})
    with pytest.raises(UnitConflict) as refused:
        store.ensure_unit(rescaled, update=False)
    assert str(refused.value) == (f"unit 'Beurer EM49' is already stored with scale {UNIT.scale.label()}, "
                                  "not mA (max 80); nothing was changed")
    assert store.ensure_unit(rescaled.model_copy(update={"name": "EM49 v2"})) == unit_id  # the unit reports
    stored = store.unit(UNIT.driver, UNIT.identity)
    assert stored is not None and (stored.name, stored.scale) == ("EM49 v2", rescaled.scale)
    assert store.ensure_unit(OTHER) == unit_id + 1


# -- the connection: threads, the recording claim, a file this user may not write -------------

def test_the_store_opened_on_one_thread_reads_and_writes_on_another(store: Store) -> None:
    """The dashboard reads and summarises in worker threads with the app's open store."""
    store.add_session(full_session(3))
    seen: list[object] = []

    def work() -> None:
        try:
            seen.append(store.count())
            seen.append(store.add_session(full_session(1)).id)
        except Exception as exc:  # noqa: BLE001 - reported to the test's thread
            seen.append(repr(exc))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == [1, 2]
    same(store.get(2), full_session(1))


def test_giving_up_the_recording_claim_frees_the_file_for_the_next_recorder(db_path: Path) -> None:
    holder = db_path.with_name(db_path.name + ".recorder")
    with Store.open(db_path) as first, Store.open(db_path) as second:
        first.acquire_recording("record")
        assert json.loads(holder.read_text()) == {"pid": os.getpid(), "role": "record"}
        first.release_recording()
        assert not holder.exists() and not first.is_recording_holder
        second.acquire_recording("service")  # the lock is free again
        first.release_recording()  # a second release changes nothing, and says nothing
        assert not first.is_recording_holder and second.is_recording_holder
        assert json.loads(holder.read_text()) == {"pid": os.getpid(), "role": "service"}
    assert not holder.exists()  # closing gives the claim up too


def _in_child(prepare: Callable[[dict[str, object]], Path | None], state: str,
              state_of: Callable[[Store], object]) -> dict[str, object]:
    """In a forked child: ``prepare`` (returning the database to open, or None to stop there),
    then open it, read it and try one write; what happened, as data (the child never returns
    into pytest). ``state``: the key under which ``state_of(store)`` is reported."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        result: dict[str, object] = {}
        try:
            os.close(reader)
            path = prepare(result)
            if path is not None:
                try:
                    with Store.open(path) as store:
                        result[state] = state_of(store)
                        result["befores"] = [s.before for s in store.sessions()]
                        try:
                            store.add_session(full_session(1))
                        except StoreError as exc:
                            result["write"] = [type(exc).__name__, str(exc)]
                except StoreError as exc:
                    result["open"] = [type(exc).__name__, str(exc)]
        except BaseException as exc:  # noqa: BLE001 - anything else is a failure the parent shows
            result["crash"] = repr(exc)
        finally:
            os.write(writer, json.dumps(result).encode())
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _as_someone_else(path: Path) -> dict[str, object]:
    """Open ``path`` in a forked child that may read but not write it (root drops to nobody:
    root ignores file modes); what it read and how its write was refused, as data."""
    def become_nobody(_result: dict[str, object]) -> Path:
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
        return path

    return _in_child(become_nobody, "read_only", lambda store: store.read_only)


def _not_writable_for_them(path: Path) -> str:
    """Make ``path`` (and its folder) read-only for the child; the refusal's cause and fix."""
    path.chmod(0o444)
    path.parent.chmod(0o555)
    if os.geteuid() == 0:
        return (f"the file is not writable for you: owner root, mode 0444); nothing was changed. "
                f"To save, run: sudo chown nobody {path}.")
    return (f"the file is not writable for you: owner {pwd.getpwuid(os.geteuid()).pw_name}, mode 0444); "
            f"nothing was changed. To save, run: chmod u+w {path}.")


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can reach (pytest's tmp_path is root's 0700), given back writable."""
    folder = Path(tempfile.mkdtemp(prefix="tenslog-pins-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_a_file_this_user_may_not_write_is_read_and_each_write_says_why(shared: Path) -> None:
    path = shared / "tenslog.db"
    with Store.open(path) as store:
        store.add_session(full_session(3))
    why = _not_writable_for_them(path)
    assert _as_someone_else(path) == {
        "read_only": True, "befores": [7],
        "write": ["DatabaseReadOnly", f"{path} is read-only ({why}"],
    }
    assert sorted(p.name for p in shared.iterdir()) == ["tenslog.db"]  # nothing beside it either


def test_a_wal_another_user_owns_is_named_with_its_owner_and_the_fix(shared: Path) -> None:
    """The user's file with a -wal and -shm beside it that another user owns (e.g. restored by
    root; SQLite run as root gives them to the file's owner itself): the file opens read-only,
    reads all that is saved, and each write names those files and the fix."""
    if os.geteuid() != 0:
        pytest.skip("making another user's -wal needs root (CI runs as root)")
    path = shared / "tenslog.db"
    with Store.open(path) as store:
        store.add_session(full_session(3))
    nobody = pwd.getpwnam("nobody")
    for own in (shared, path):  # the user's folder and file
        os.chown(own, nobody.pw_uid, nobody.pw_gid)
    wal, shm = shared / "tenslog.db-wal", shared / "tenslog.db-shm"
    root = sqlite3.connect(path, isolation_level=None)  # still open: its -wal and -shm stay
    try:
        root.execute("PRAGMA wal_autocheckpoint=0")
        root.execute("UPDATE ratings SET value = 5 WHERE moment = 'before'")  # in the -wal only
        for companion in (wal, shm):
            os.chown(companion, 0, 0)
            companion.chmod(0o644)
        seen = _as_someone_else(path)
    finally:
        root.close()
    assert seen == {
        "read_only": True, "befores": [5],
        "write": ["DatabaseReadOnly", (
            f"{path} is read-only (the file tenslog.db-wal beside it is not writable for you: "
            f"owner root, mode 0644); nothing was changed. To save, run: sudo chown nobody {wal} {shm}.")],
    }


def test_an_old_file_others_may_not_write_is_refused_until_its_owner_opens_it_once(shared: Path) -> None:
    path = shared / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    why = _not_writable_for_them(path)
    cause, fix = why.split("; nothing was changed. To save, ")
    assert _as_someone_else(path) == {"open": [
        "DatabaseReadOnly",
        (f"{path} is read-only ({cause}; nothing was changed. To save, "
         f"{fix.removesuffix('.')} (once: it needs updating to this tenslog's format)."),
    ]}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest

    path.chmod(0o600)
    with Store.open(path) as store:  # its owner, with write access: updated once, then read by anyone
        assert (store.read_only, store.conn.execute("PRAGMA user_version").fetchone()[0]) == (False, LATEST_VERSION)


def _open_on_a_full_disk(seed: Path, folder: Path) -> dict[str, object]:
    """In a forked child with its own mount namespace: a 1 MiB tmpfs on ``folder`` holding a
    copy of the database ``seed``, filled to the last byte; then what opening the copy gives."""
    def fill_a_small_disk(result: dict[str, object]) -> Path | None:
        libc = ctypes.CDLL(None, use_errno=True)
        ms_rec, ms_private, clone_newns = 16384, 1 << 18, 0x00020000
        if (libc.unshare(clone_newns) or libc.mount(b"none", b"/", None, ms_rec | ms_private, None)
                or libc.mount(b"tmpfs", bytes(folder), b"tmpfs", 0, b"size=1m")):
            result["skip"] = os.strerror(ctypes.get_errno())
            return None
        db = Path(shutil.copy(seed, folder / "tenslog.db"))
        with contextlib.suppress(OSError), (folder / "filler").open("wb") as filler:
            while True:  # to the last byte: ENOSPC
                filler.write(bytes(4096))
                filler.flush()
        return db

    return _in_child(fill_a_small_disk, "reason", lambda store: list(store.read_only_reason or ()))


def test_a_disk_found_full_on_opening_gives_a_read_only_store_saying_so(tmp_path: Path) -> None:
    """Write access is there, but opening to write needs a little room (the -shm): found out
    only then, the file is opened read-only, reading works and each write names the full disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs in a private namespace needs root (CI runs as root)")
    seed, disk = tmp_path / "seed.db", tmp_path / "disk"
    with Store.open(seed) as store:
        store.add_session(full_session(2))
    disk.mkdir()
    result = _open_on_a_full_disk(seed, disk)
    if "skip" in result:
        pytest.skip(f"no private mount namespace here: {result['skip']}")
    db = disk / "tenslog.db"
    assert result == {
        "reason": ["its disk is full", "free some space and start tenslog again"],
        "befores": [7],
        "write": ["DatabaseReadOnly", (f"{db} is read-only (its disk is full); nothing was changed. "
                                      "To save, free some space and start tenslog again.")],
    }
    assert list(disk.iterdir()) == []  # the tmpfs went with the child's namespace

# -- migrations ---------------------------------------------------------------------------------

SPRING_2026 = datetime(2026, 3, 29, 1, 0, tzinfo=UTC).timestamp()  # Berlin: 02:00 CET -> 03:00 CEST
CET, CEST = 3600, 7200


def _offsets(*moments: datetime | None) -> list[int | None]:
    return [None if m is None else int(m.utcoffset().total_seconds()) for m in moments]  # type: ignore[union-attr]


def test_a_version_2_file_gets_each_time_its_own_offset_across_a_clock_change(
        monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    """A session recorded here (its start offset is this zone's) over the spring change: each
    time, its link gaps' too, takes this zone's offset at its own instant; one recorded elsewhere
    keeps its start's offset for every time; a gap still open stays open."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        db_path.parent.mkdir(mode=0o700)
        conn = sqlite3.connect(db_path, isolation_level=None)
        assert migrate(conn, target=2) == 2
        assert migrate(conn, target=2) == 2  # nothing left to do at that version
        start, end = SPRING_2026 - 1800, SPRING_2026 + 1800
        conn.executescript(f"""
            INSERT INTO sessions (id, kind, source, start, "end", state, heartbeat, utc_offset)
              VALUES (1, 'tens', 'manual', {start}, {end}, 'complete', {end}, {CET}),
                     (2, 'tens', 'manual', {start}, {end}, 'complete', {end}, 0);
            INSERT INTO ratings VALUES (1, 'after', 4, {end}), (2, 'after', 4, {end});
            INSERT INTO link_gaps VALUES (1, {start + 600}, {end - 600}), (2, {start + 600}, {end - 600}),
                                         (1, {end - 300}, NULL);
        """)
        conn.close()
        with Store.open(db_path) as store:
            here, elsewhere = store.sessions(newest_first=False)
            version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert version == 5
    assert _offsets(here.start, here.end, here.ratings[0].at) == [CET, CEST, CEST]
    assert [_offsets(g.lost_at, g.restored_at) for g in here.gaps] == [[CET, CEST], [CEST, None]]
    assert _offsets(elsewhere.start, elsewhere.end, elsewhere.ratings[0].at) == [0, 0, 0]
    assert [_offsets(g.lost_at, g.restored_at) for g in elsewhere.gaps] == [[0, 0]]
