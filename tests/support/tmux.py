"""tenslog in a real terminal: tmux runs it, keys go in, the screen's text comes out."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

TMUX = shutil.which("tmux") or "/usr/bin/tmux"


class Terminal:
    def __init__(self, socket: str) -> None:
        self.base = [TMUX, "-L", socket]

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], capture_output=True, text=True, check=True
        ).stdout

    def alive(self) -> bool:
        return (
            subprocess.run(
                [*self.base, "has-session", "-t", "ui"], capture_output=True, check=False
            ).returncode
            == 0
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "ui")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "ui", *keys)

    def press_until(self, key: str, text: str, tries: int = 5) -> str:
        """Press ``key`` until ``text`` shows, as a person presses again when nothing happens
        (the mode keys wait a moment after a rating key, against double presses)."""
        for _ in range(tries - 1):
            self.keys(key)
            try:
                return self.wait_for(text, limit=1.5)
            except AssertionError:
                continue
        self.keys(key)
        return self.wait_for(text)

    def program(self) -> list[int]:
        """The pane's process and its children: the shell tmux started, and tenslog."""
        pane = int(self.run("display-message", "-p", "-t", "ui", "#{pane_pid}").strip())
        children = Path(f"/proc/{pane}/task/{pane}/children")
        return [pane, *(int(c) for c in children.read_text().split())] if children.exists() else [pane]

    def wait_for(self, text: str, limit: float = 20.0) -> str:
        """The screen once it shows ``text``; the limit only stops a hung test."""
        deadline = time.monotonic() + limit
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.1)
