"""The JSON export is written a session at a time, read from the database a batch at a time
(fifty years never sit in memory at once), and is still the very file a whole-document
json.dumps gives: the same characters, whatever the number of sessions and batches."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from click.testing import CliRunner

from tenslog.cli.main import cli
from tenslog.exports.json_export import json_chunks, to_document
from tenslog.store import queries
from tenslog.store.store import Store

EXPORTED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "_CHUNK", 2)  # several batches from a few sessions


def whole(sessions: list, trials: list) -> str:
    return json.dumps(to_document(sessions, trials), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.usefixtures("small_batches")
def test_streamed_sessions_come_in_order_across_batches_and_match_one_dump(filled_db) -> None:
    with Store.open(filled_db) as store, time_machine.travel(EXPORTED, tick=False):
        listed = store.sessions(newest_first=False)
        streamed = list(store.iter_sessions())
        assert [s.id for s in streamed] == [s.id for s in listed] and len(listed) > 4
        assert streamed == listed
        for n in (0, 1, 2, len(listed)):  # no session, one, a separator, all of them
            assert "".join(json_chunks(iter(listed[:n]), store.trials())) == whole(listed[:n], store.trials())


@pytest.mark.usefixtures("small_batches")
def test_the_cli_json_export_is_the_whole_document_byte_for_byte(filled_db, tmp_path) -> None:
    out = tmp_path / "out.json"
    with time_machine.travel(EXPORTED, tick=False):
        result = CliRunner().invoke(cli, ["--db", str(filled_db), "export", "--format", "json", "-o", str(out)])
        with Store.open(filled_db) as store:
            expected = whole(store.sessions(newest_first=False), store.trials())
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == expected
    n = len(json.loads(expected)["sessions"])
    assert f"Wrote {n} sessions to {out}" in result.output
