"""The store's write path, pinned value by value (tools/mutation.py store): an edit replaces
everything of a session and nothing of another, a context change touches only the context,
deleting a unit takes exactly its sessions and leaves its name in neither file, undo restores
the very session, and a unit keeps its name and scale unless the unit itself reports them."""

from __future__ import annotations

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
