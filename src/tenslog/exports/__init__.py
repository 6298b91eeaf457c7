"""Exports: CSV (one row per session), JSON (exact, re-importable), FHIR R4B Bundle, and a
one-page HTML report. ``export_text(fmt, sessions, settings)`` returns the text (the CSV, JSON
and FHIR exports also come in pieces: ``csv_chunks``, ``json_chunks``, ``fhir_chunks``);
``write_private(path, text)`` writes it owner-only."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from tenslog.exports.files import OutputIsDatabase, database_clash, refuse_database, write_private
from tenslog.settings import Settings
from tenslog.trial.plan import StoredTrial

if TYPE_CHECKING:  # the model only for its type: the FHIR export runs without pydantic
    from tenslog.exports.csv_export import COLUMNS, csv_chunks, to_csv
    from tenslog.exports.fhir_export import fhir_chunks, to_fhir_json
    from tenslog.exports.json_export import to_document, to_json
    from tenslog.model import Session

# Each format's module loads when it is used (PEP 562): a CSV export or an import (which reads
# the CSV columns) must not load fhir.resources, nor the report's matplotlib.
_HOME = {"COLUMNS": "csv_export", "csv_chunks": "csv_export", "to_csv": "csv_export", "fhir_chunks": "fhir_export",
         "to_fhir_json": "fhir_export", "to_document": "json_export", "to_json": "json_export"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)

ExportFormat = Literal["csv", "json", "fhir", "report"]


def export_text(
    fmt: ExportFormat,
    sessions: Sequence[Session],
    settings: Settings | None = None,
    *,
    period: tuple[date, date] | None = None,
    trials: Sequence[StoredTrial] = (),
    **report: Any,
) -> str:
    """``period`` (first and last day) only matters for the report: the days it covers.
    ``trials`` (personal trials) go into the JSON and FHIR exports; ``report`` (``patient``,
    ``trial``: a trial's result) into the report."""
    if fmt == "csv":
        from tenslog.exports.csv_export import to_csv

        return to_csv(sessions, settings)
    if fmt == "json":
        from tenslog.exports.json_export import to_json

        return to_json(sessions, trials)
    if fmt == "fhir":
        from tenslog.exports.fhir_export import to_fhir_json

        return to_fhir_json(sessions, trials=trials)
    if fmt == "report":
        from tenslog.exports.report import build_report  # matplotlib only when needed

        return build_report(sessions, settings, period=period, **report)
    raise ValueError(f"unknown export format {fmt!r}")


__all__ = [
    "COLUMNS", "ExportFormat", "OutputIsDatabase", "csv_chunks", "database_clash", "export_text", "fhir_chunks",
    "refuse_database",
    "to_csv", "to_document", "to_fhir_json", "to_json", "write_private",
]  # fmt: skip
