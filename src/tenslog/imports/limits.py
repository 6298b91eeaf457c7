"""How much one import may hold, in one place. An import is checked whole before anything is
written, so every row is kept in memory until then: these limits bound that memory. A larger
history is imported in parts (export it with --since/--until)."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.imports.errors import ImportFailed, file_problem

MAX_IMPORT_BYTES = 64 * 1024 * 1024  # 64 MB: decades of diary rows, or ~50,000 JSON sessions
MAX_IMPORT_ROWS = 50_000  # sessions in one file: more than ten years at ten a day


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_IMPORT_BYTES
    max_rows: int = MAX_IMPORT_ROWS


LIMITS = Limits()


def _size(count: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"


def too_many_bytes(limits: Limits, size: int | None = None) -> ImportFailed:
    """``size`` when known (a regular file); a stream is refused as soon as it passes the limit."""
    what = f"is {_size(size)}, over" if size is not None else "is larger than"
    return file_problem(
        f"the file {what} the import limit of {_size(limits.max_bytes)} (MAX_IMPORT_BYTES); "
        "import it in parts (e.g. export by --since/--until)",
        field="(size)",
    )


def too_many_rows(limits: Limits, line: int | None = None) -> ImportFailed:
    return file_problem(
        f"the file has more sessions than the import limit of {limits.max_rows:,} (MAX_IMPORT_ROWS); "
        "import it in parts (e.g. export by --since/--until)",
        field="(size)",
        line=line,
    )
