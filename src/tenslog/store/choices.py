"""The lists a person edits: the other treatments offered for a session (heat pad, stretching,
"tizanidine 2 mg") and the extra 0-10 ratings they define (e.g. "stiffness/spasm"), each
asked before and after like pain when switched on. Kept in the database, beside the sessions
they describe, so a backup or a second computer has them too."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from tenslog.store.connection import Connection
from tenslog.store.errors import StoreError

if TYPE_CHECKING:
    from tenslog.model import Treatment


class ChoiceNotFound(StoreError):
    """A treatment or extra rating that is not in the person's list."""


class RatingScale(NamedTuple):
    name: str
    asked: bool  # switched on: the dashboard asks it before and after, like pain


class Choices(Connection):
    # -- other treatments --------------------------------------------------------------------
    def treatment_choices(self) -> list[Treatment]:
        """The treatments offered, in the person's order (a form gives each one key)."""
        from tenslog.model import Treatment

        rows = self.conn.execute(
            "SELECT name, dose, medication FROM treatment_choices ORDER BY position"
        ).fetchall()
        return [Treatment.model_construct(name=n, dose=d, medication=bool(m)) for n, d, m in rows]

    def add_treatment_choice(self, treatment: Treatment) -> bool:
        """Add to the end of the list; False (nothing changed) when the name is there already."""
        with self.transaction() as c:
            cur = c.execute(
                """INSERT INTO treatment_choices (position, name, dose, medication)
                   VALUES ((SELECT coalesce(max(position), 0) + 1 FROM treatment_choices), ?, ?, ?)
                   ON CONFLICT (name) DO NOTHING""",
                (treatment.name, treatment.dose, int(treatment.medication)),
            )
            return cur.rowcount > 0

    def remove_treatment_choice(self, name: str) -> str:
        """Take a treatment off the list (sessions that had it keep it); its stored name."""
        with self.transaction() as c:
            row = c.execute("SELECT name FROM treatment_choices WHERE name = ?", (name.strip(),)).fetchone()
            if row is None:
                raise ChoiceNotFound(f"{name!r} is not in your list of treatments")
            c.execute("DELETE FROM treatment_choices WHERE name = ?", (row[0],))
        return str(row[0])

    # -- extra ratings -----------------------------------------------------------------------
    def rating_scales(self) -> list[RatingScale]:
        rows = self.conn.execute("SELECT name, asked FROM rating_scales ORDER BY position, name").fetchall()
        return [RatingScale(n, bool(a)) for n, a in rows]

    def set_rating_scale(self, name: str, *, asked: bool) -> RatingScale:
        """Define an extra rating (or switch a defined one on or off). ``name`` must already be
        a checked label (tenslog.text.check_label); a defined name keeps its spelling."""
        with self.transaction() as c:
            c.execute(
                """INSERT INTO rating_scales (name, asked, position)
                   VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM rating_scales))
                   ON CONFLICT (name) DO UPDATE SET asked = excluded.asked""",
                (name, int(asked)),
            )
            row = c.execute("SELECT name, asked FROM rating_scales WHERE name = ?", (name,)).fetchone()
        return RatingScale(row[0], bool(row[1]))

    def remove_rating_scale(self, name: str) -> str:
        """Forget an extra rating's definition; ratings already given stay with their sessions."""
        with self.transaction() as c:
            row = c.execute("SELECT name FROM rating_scales WHERE name = ?", (name.strip(),)).fetchone()
            if row is None:
                raise ChoiceNotFound(f"no extra rating is called {name!r}")
            c.execute("DELETE FROM rating_scales WHERE name = ?", (row[0],))
        return str(row[0])
