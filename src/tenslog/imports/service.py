"""Import as one operation: parse, validate every row, check duplicates against the database,
then write all good sessions in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal

from tenslog.imports.common import DuplicateKey, session_key, validate_session
from tenslog.imports.csv_import import CSV_COLUMN, parse_csv
from tenslog.imports.errors import ImportFailed, Problem, file_problem
from tenslog.imports.json_import import parse_json_with_trials
from tenslog.imports.limits import LIMITS, Limits
from tenslog.imports.source import open_source
from tenslog.manual import UnitLookup, store_lookup
from tenslog.model import Session
from tenslog.settings import Settings
from tenslog.store.store import Store
from tenslog.trial.plan import StoredTrial

Format = Literal["csv", "json"]


@dataclass(frozen=True)
class ImportResult:
    imported: int  # sessions written (0 on a dry run)
    valid: int  # sessions that passed every check
    skipped: list[Problem] = field(default_factory=list)  # problems of rows left out (--skip-bad)
    ids: list[int] = field(default_factory=list)
    dry_run: bool = False
    trials: int = 0  # personal trials written (or, on a dry run, that would be)

    def plain_words(self) -> str:
        if self.dry_run:
            text = f"Dry run: {self.valid} session{'s' if self.valid != 1 else ''} would be imported; nothing was written."
        else:
            text = f"Imported {self.imported} session{'s' if self.imported != 1 else ''}."
        if self.trials:
            text += f" With {'them' if not self.dry_run else 'it'}: {self.trials} personal trial plan{'s' if self.trials != 1 else ''}."
        if self.skipped:
            text += f"\nLeft out because of problems ({len(self.skipped)}):\n" + "\n".join(f"  {p}" for p in self.skipped)
        return text


def guess_format(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"  # comma, semicolon or tab separated: told apart by the header
    raise file_problem(f"cannot tell the format from the name {path.name!r}; give --format csv or --format json", field="format")


def check_sessions(
    data: bytes | BinaryIO, fmt: Format, settings: Settings | None = None, limits: Limits = LIMITS,
    lookup: UnitLookup | None = None,
) -> tuple[list[tuple[int | None, Session]], list[Problem]]:
    """Every good session with its line, and every problem, without touching any database.
    ``data`` is the file's bytes or a binary stream (read within ``limits``)."""
    good, problems, _ = check_file(data, fmt, settings, limits, lookup)
    return good, problems


def check_file(
    data: bytes | BinaryIO, fmt: Format, settings: Settings | None = None, limits: Limits = LIMITS,
    lookup: UnitLookup | None = None,
) -> tuple[list[tuple[int | None, Session]], list[Problem], list[StoredTrial]]:
    """As check_sessions, and the personal trials of a JSON export."""
    settings = settings or Settings()
    trials: list[StoredTrial] = []
    rows: Sequence[tuple[int | None, dict[str, Any]]]
    try:
        if fmt == "csv":
            rows, problems = parse_csv(data, settings, limits, lookup)
        else:
            rows, problems, trials = parse_json_with_trials(data, limits)
    except OSError as exc:  # a read error half-way through a file (a disk or network share failing)
        raise file_problem(f"the file cannot be read ({exc.strerror or exc})") from None
    good: list[tuple[int | None, Session]] = []
    seen: dict[DuplicateKey, int | None] = {}
    for line, row in rows:
        session, found = validate_session(row, line, CSV_COLUMN if fmt == "csv" else None)
        problems += found
        if session is None:
            continue
        key = session_key(session)
        if key in seen:
            where = f"line {seen[key]}" if seen[key] is not None else "an earlier session"
            problems.append(Problem(line, "start", f"duplicate of {where} (same start, kind and unit)"))
            continue
        seen[key] = line
        good.append((line, session))
    problems.sort(key=lambda p: (p.line or 0))
    return good, problems, trials


def _already_stored(store: Store, good: list[tuple[int | None, Session]]) -> list[tuple[Session, Problem]]:
    if not good:
        return []
    starts = [s.start for _, s in good]
    stored = store.sessions(since=min(starts), until=max(starts) + timedelta(seconds=1))
    existing = {session_key(s): s.id for s in stored}
    units = {(u.driver, u.identity): u for u in store.units()}
    problems = []
    for line, s in good:
        if (sid := existing.get(session_key(s))) is not None:
            problems.append((s, Problem(line, "start", f"already in the database as session {sid} (same start, kind and unit)")))
        elif s.unit is not None:
            # One unit, one scale: against the database and against earlier rows of the file.
            known = units.setdefault((s.unit.driver, s.unit.identity), s.unit)
            if known.scale != s.unit.scale:
                problems.append((s, Problem(line, "unit", f"{known.name!r} is already given with scale "
                                            f"{known.scale.label()}, not {s.unit.scale.label()}")))
    return problems


def import_bytes(
    store: Store,
    data: bytes | BinaryIO,
    fmt: Format,
    settings: Settings | None = None,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    limits: Limits = LIMITS,
) -> ImportResult:
    """Raises ImportFailed (database unchanged) unless every row is good, or with skip_bad
    imports the good rows and reports the rest. ``data``: bytes or a binary stream."""
    good, problems, trials = check_file(data, fmt, settings, limits, store_lookup(store))
    dupes = _already_stored(store, good)
    if dupes:
        stored = {id(s) for s, _ in dupes}
        good = [(line, s) for line, s in good if id(s) not in stored]
        problems = sorted(problems + [p for _, p in dupes], key=lambda p: (p.line or 0))
    if problems and not skip_bad:
        raise ImportFailed(problems, "nothing was imported (fix them, or use --skip-bad to import only the good rows)")
    if not good:
        raise ImportFailed(problems, "no good rows, so nothing was imported")
    if dry_run:
        return ImportResult(0, len(good), problems, [], True, len(trials))
    with store.transaction():  # sessions and trials together, or nothing
        ids = store.add_sessions([s for _, s in good])
        restored = [store.restore_trial(t) for t in trials]
    return ImportResult(len(ids), len(good), problems, ids, False, sum(r is not None for r in restored))


def import_file(
    store: Store,
    path: Path | str,
    fmt: Format | None = None,
    settings: Settings | None = None,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    limits: Limits = LIMITS,
) -> ImportResult:
    """The file is read as a stream, within ``limits`` (bytes and sessions)."""
    path = Path(path).expanduser()
    chosen = fmt or guess_format(path)
    with open_source(path, limits) as source:
        return import_bytes(store, source, chosen, settings, skip_bad=skip_bad, dry_run=dry_run, limits=limits)
