"""The start-up baseline: a Textual app with one Static, nothing else (run by pty_start)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("tenslog")


if __name__ == "__main__":
    Bare().run()
