"""Personal trials in the database: a plan is written once and never edited; stopping it early
sets its end and records a deviation with the reason, in the same transaction."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from tenslog.localtime import local_time
from tenslog.store.connection import Connection
from tenslog.store.errors import StoreError
from tenslog.store.rows import offset, ts

if TYPE_CHECKING:  # the plan's module is imported where a trial is read: `tenslog list` needs none
    from tenslog.trial.plan import Arm, Deviation, StoredTrial, TrialPlan

_COLUMNS = """id, created, created_offset, start_day, period_days, washout_days, seed, "order",
              tens_means, rest_means, stopped, stopped_offset"""


class TrialConflict(StoreError):
    """A plan over an active one, or stopping when no plan is active."""


def _when(at: float, utc_offset: int) -> datetime:
    return datetime.fromtimestamp(at, timezone(timedelta(seconds=utc_offset)))


def _order_text(plan: TrialPlan) -> str:
    from tenslog.trial.plan import Arm

    return "".join("T" if first is Arm.TENS else "R" for first, _ in plan.order)


def _order(text: str) -> tuple[tuple[Arm, Arm], ...]:
    from tenslog.trial.plan import Arm

    return tuple((Arm.TENS, Arm.REST) if c == "T" else (Arm.REST, Arm.TENS) for c in text)


class Trials(Connection):
    def trials(self) -> list[StoredTrial]:
        """Every plan, oldest first, with its deviations."""
        from tenslog.trial.plan import Deviation

        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM trial_plans ORDER BY id").fetchall()
        deviations: dict[int, list[Deviation]] = {}
        for plan_id, at, off, kind, reason in self.conn.execute(
            "SELECT plan_id, at, utc_offset, kind, reason FROM trial_deviations"
            " ORDER BY plan_id, at, rowid"
        ):
            deviations.setdefault(plan_id, []).append(Deviation(_when(at, off), kind, reason))
        return [_trial(row, deviations.get(row[0], [])) for row in rows]

    def latest_trial(self) -> StoredTrial | None:
        found = self.trials()
        return found[-1] if found else None

    def active_trial(self, today: date) -> StoredTrial | None:
        return next((t for t in reversed(self.trials()) if t.active_on(today)), None)

    def add_trial(self, plan: TrialPlan, today: date,
                  change_reason: str | None = None) -> StoredTrial:
        """Store a new plan; refused (nothing written) while another one is active, unless
        ``change_reason`` is given: then, in the same transaction, the active plan is ended
        with a "changed" deviation carrying the reason."""
        with self.transaction() as c:
            active = self.active_trial(today)
            if active is not None and change_reason is not None:
                self.stop_trial(active.id, plan.created, change_reason, kind="changed")
            elif change_reason is not None:
                raise TrialConflict("there is no running trial to change; nothing was changed")
            self._refuse_overlap(plan, today)
            trial_id = self._insert_trial(c, plan, None)
        return self._one(trial_id)

    def stop_trial(self, trial_id: int, at: datetime, reason: str,
                   kind: str = "stopped") -> StoredTrial:
        """End a plan early: a deviation (``kind`` "stopped", or "changed" when a new plan
        replaces it) with ``reason``; the plan itself stays as it was."""
        with self.transaction() as c:
            trial = self._one(trial_id)
            if trial.stopped is not None:
                raise TrialConflict(f"trial {trial_id} was already stopped; nothing was changed")
            c.execute("UPDATE trial_plans SET stopped = ?, stopped_offset = ? WHERE id = ?",
                      (ts(at), offset(at), trial_id))
            c.execute("INSERT INTO trial_deviations (plan_id, at, utc_offset, kind, reason)"
                      " VALUES (?, ?, ?, ?, ?)", (trial_id, ts(at), offset(at), kind, reason))
        return self._one(trial_id)

    def restore_trial(self, trial: StoredTrial, today: date | None = None) -> int | None:
        """Put back an exported trial (JSON import) with its seed, stop and deviations, unless
        the same plan (same creation time and seed) is already stored: then None. A trial
        still running is refused while another one runs."""
        c = self.conn
        today = today or local_time().date()
        with self.transaction():
            if c.execute("SELECT 1 FROM trial_plans WHERE created = ? AND seed = ?",
                         (ts(trial.plan.created), trial.plan.seed)).fetchone():
                return None
            if trial.active_on(today):
                self._refuse_overlap(trial.plan, today)
            trial_id = self._insert_trial(c, trial.plan, trial.stopped)
            c.executemany(
                "INSERT INTO trial_deviations (plan_id, at, utc_offset, kind, reason)"
                " VALUES (?, ?, ?, ?, ?)",
                [(trial_id, ts(d.at), offset(d.at), d.kind, d.reason) for d in trial.deviations])
        return trial_id

    def _refuse_overlap(self, plan: TrialPlan, today: date) -> None:
        active = self.active_trial(today)
        if active is not None:
            raise TrialConflict(
                f"a trial is already planned or running (trial {active.id}, until "
                f"{active.plan.last_day.isoformat()}); stop it first with "
                "tenslog trial stop --reason TEXT, or replace it with tenslog trial plan ... "
                "--change-reason TEXT (either is recorded); nothing was changed")

    def _insert_trial(self, c: sqlite3.Connection, plan: TrialPlan, stopped: datetime | None) -> int:
        cur = c.execute(
            f"INSERT INTO trial_plans ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ts(plan.created), offset(plan.created), plan.start.isoformat(), plan.period_days,
             plan.washout_days, plan.seed, _order_text(plan), plan.tens_means, plan.rest_means,
             None if stopped is None else ts(stopped), None if stopped is None else offset(stopped)))
        return int(cur.lastrowid or 0)

    def _one(self, trial_id: int) -> StoredTrial:
        found = next((t for t in self.trials() if t.id == trial_id), None)
        if found is None:
            raise TrialConflict(f"there is no trial number {trial_id}")
        return found


def _trial(row: tuple, deviations: list[Deviation]) -> StoredTrial:
    from tenslog.trial.plan import StoredTrial, TrialPlan

    (trial_id, created, created_off, start_day, period_days, washout_days, seed, order,
     tens_means, rest_means, stopped, stopped_off) = row
    plan = TrialPlan(start=date.fromisoformat(start_day), created=_when(created, created_off),
                     seed=int(seed), order=_order(order), period_days=period_days,
                     washout_days=washout_days, tens_means=tens_means, rest_means=rest_means)
    return StoredTrial(int(trial_id), plan,
                       None if stopped is None else _when(stopped, stopped_off), tuple(deviations))
