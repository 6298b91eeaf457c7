"""Import sessions from CSV (a typed-up diary or tenslog's CSV) or tenslog's JSON export.

``import_file(store, path, fmt=None, settings, skip_bad=False, dry_run=False) -> ImportResult``;
every failure is an ``ImportFailed`` listing each problem as "line N, field F: reason", and the
database is unchanged unless the whole file is clean (or ``skip_bad`` is given).
"""

from tenslog.imports.errors import ImportFailed, Problem
from tenslog.imports.service import ImportResult, check_sessions, import_bytes, import_file

__all__ = ["ImportFailed", "ImportResult", "Problem", "check_sessions", "import_bytes", "import_file"]
