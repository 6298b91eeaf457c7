"""The session store: one SQLite file, WAL, owner-only. All reads and writes of sessions go
through here; nothing outside this package writes SQL.

``Store`` is built in layers, each a module to read on its own, each using only those below it:
  connection.py  opening the file (read-only where it may not be written) and ``transaction()``
  lean.py        lean reads with no models: ``listed`` (tenslog list), ``figure_rows`` (analysis)
  queries.py     reading: ``get``, ``sessions``, ``figures``, ``count``, the stored units
  writes.py      what a person adds, edits and deletes: sessions, ratings, units
  recording.py   the recorder's claim on the file, its writes during a session, crash recovery
  choices.py     the lists a person edits: treatments offered, extra ratings defined
  trials.py      personal trials: plans written once, stops recorded as deviations
  rows.py        how models are laid out in rows, both ways (no SQL)"""

from __future__ import annotations

from tenslog.store.choices import Choices
from tenslog.store.recording import Recording
from tenslog.store.rows import StoredUnit
from tenslog.store.trials import Trials


class Store(Recording, Choices, Trials):
    """Open with ``Store.open(path)``; use as a context manager or call ``close()``."""


__all__ = ["Store", "StoredUnit"]
