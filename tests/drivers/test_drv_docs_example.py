"""The driver tests shown in hardware-notes.md ("Testing your driver") run as they are written,
as a third-party driver's own test suite would run them (their own pytest, strict asyncio
mode, nothing of tenslog's test configuration), so the documentation cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

NOTES = Path(__file__).parents[2] / "hardware-notes.md"


def examples() -> dict[str, str]:
    """Each python block of the section, by the file name its docstring gives it."""
    text = NOTES.read_text(encoding="utf-8")
    section = text.split("\n## Testing your driver\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return {re.match(r'"""(test_\w+\.py):', block).group(1): block for block in blocks}  # type: ignore[union-attr]


def test_the_driver_tests_in_hardware_notes_pass_as_written(tmp_path: Path) -> None:
    written = examples()
    assert sorted(written) == ["test_acme.py", "test_mytens.py"]
    for name, code in written.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout, result.stdout
