"""`tenslog export -o PATH` never writes over the database or the files beside it (-wal, -shm,
-journal, .lock), however PATH is spelled: relative, with `..`, through a symlink (to the file
or to its folder), or as a hard link. Before the fix the export replaced the database, exit 0."""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.exchange import filled_database, fingerprint, tenslog
from tenslog.cli.main import cli
from tenslog.store import Store

COMPANIONS = ["", "-wal", "-shm", "-journal", ".lock"]


def state(db: Path) -> dict[str, object]:
    """What must not change: each companion's inode and bytes (or absence), and the history."""
    files: dict[str, object] = {}
    for suffix in COMPANIONS:
        path = Path(f"{db}{suffix}")
        files[suffix] = (os.stat(path).st_ino, hashlib.sha256(path.read_bytes()).hexdigest()) if path.exists() else None
    with Store.open(db) as store:
        files["sessions"] = fingerprint(store)
    return files


@pytest.mark.parametrize("spelling", ["same", "relative", "dotdot", "wal", "shm", "journal", "lock", "symlink", "hardlink", "folder-link"])
def test_export_over_the_database_is_refused_and_changes_nothing(tmp_path: Path, spelling: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = filled_database(folder / "tenslog.db")
    (folder / "tenslog.db.lock").touch(mode=0o600)
    (tmp_path / "elsewhere").mkdir()
    output = {
        "same": str(db),
        "relative": "data/tenslog.db",
        "dotdot": "elsewhere/../data/./tenslog.db",
        "wal": "data/tenslog.db-wal",
        "shm": str(folder / "tenslog.db-shm"),
        "journal": "data/tenslog.db-journal",
        "lock": "data/tenslog.db.lock",
    }.get(spelling)
    if spelling == "symlink":
        (tmp_path / "export.csv").symlink_to(db)
        output = "export.csv"
    elif spelling == "hardlink":
        os.link(db, tmp_path / "export.csv")
        output = "export.csv"
    elif spelling == "folder-link":
        (tmp_path / "link").symlink_to(folder, target_is_directory=True)
        output = "link/tenslog.db"
    before = state(db)
    result = tenslog(db, "export", "--format", "json", "-o", str(output), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: will not write the export to ")
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert state(db) == before
    assert not list(tmp_path.rglob(".*.tmp"))


def test_export_beside_the_database_still_works(tmp_path: Path) -> None:
    """No false alarm: names that only look like the database's are written as asked."""
    db = filled_database(tmp_path / "tenslog.db")
    (tmp_path / "other").mkdir()
    for name in ("tenslog.db.csv", "tenslog.db-wal.csv", "tenslog.dbx", "other/tenslog.db", "other/tenslog.db-wal"):
        result = tenslog(db, "export", "-o", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).read_text().startswith("id,")
    assert len(Store.open(db).sessions()) == 3


def test_write_private_refuses_the_database_itself(tmp_path: Path) -> None:
    from tenslog.exports import OutputIsDatabase, database_clash, write_private

    db = filled_database(tmp_path / "tenslog.db")
    with pytest.raises(OutputIsDatabase, match="the tenslog database"):
        write_private(tmp_path / "." / "tenslog.db", "x", database=db)
    assert database_clash(tmp_path / "tenslog.db-wal", db) == (tmp_path / "tenslog.db-wal", "-wal")
    assert database_clash(tmp_path / "report.html", db) is None


# -- the whole class: any spelling of any companion ------------------------------------------------
@pytest.fixture(scope="module")
def held() -> Iterator[tuple[Path, Path]]:
    """A database held open (so its -wal and -shm exist, as while recording), with a .lock."""
    with tempfile.TemporaryDirectory() as top:
        root = Path(top).resolve()
        for folder in ("sub", "data/sub", "side/sub"):
            (root / folder).mkdir(parents=True)  # every folder on the way has a sub/ to detour through
        db = filled_database(root / "data" / "tenslog.db")
        Path(f"{db}.lock").touch(mode=0o600)
        with Store.open(db) as store:
            store.sessions()
            yield root, db


_names = itertools.count()


@st.composite
def spellings(draw: st.DrawFn, root: Path, db: Path) -> tuple[str, str]:
    """(a spelling of one companion, the companion's suffix), made of the pieces users and
    attackers use: relative paths, ./ and // and detours through .., symlinks to the file or to
    its folder (absolute or relative, chained), and hard links."""
    suffix = draw(st.sampled_from(COMPANIONS))
    target = Path(f"{db}{suffix}")
    side = root / "side"
    how = draw(st.sampled_from(["path", "file-link", "relative-link", "chain", "folder-link", "hardlink"]))
    name = f"x{next(_names)}"
    if how == "hardlink" and target.exists():
        os.link(target, side / name)
        spelled = side / name
    elif how in ("file-link", "relative-link", "chain"):
        link = side / name
        link.symlink_to(os.path.relpath(target, side) if how == "relative-link" else target)
        if how == "chain":
            (side / f"{name}c").symlink_to(link)
            link = side / f"{name}c"
        spelled = link
    elif how == "folder-link":
        (side / name).symlink_to(db.parent, target_is_directory=True)
        spelled = side / name / target.name
    else:
        spelled = target
    # Then the path to it, written in a roundabout way.
    parts = list(spelled.relative_to(root).parts)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(parts) - 1))
        parts.insert(at, draw(st.sampled_from([".", "sub/..", "sub/./../sub/.."])))
    text = "/".join(parts)
    if draw(st.booleans()):
        text = text.replace("/", "//", 1)
    base = draw(st.sampled_from(["absolute", "relative", "dotdot"]))
    if base == "absolute":
        text = f"{root}/{text}"
    elif base == "relative":
        text = os.path.relpath(root / text, os.getcwd())
    else:
        text = f"{root}/side/../{text}"
    return text, suffix


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_spelling_of_the_database_and_its_companions_is_refused(held: tuple[Path, Path], data: st.DataObject) -> None:
    root, db = held
    spelled, suffix = data.draw(spellings(root, db))
    before = state(db)
    was_link = os.path.islink(spelled)
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "-o", spelled])
    assert result.exit_code == 1, (spelled, result.output)
    assert "will not write the export" in result.output and "nothing was written" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert state(db) == before, f"{spelled} ({suffix or 'the database'}) was changed"
    assert os.path.islink(spelled) == was_link
    assert not list(root.rglob(".*.tmp"))
