"""The help screen: every key, in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
[b]tenslog — keys[/b]

[b]Anywhere[/b]
  1  Live session      2  Log      3  Review
  ?  this help         q  quit     Ctrl+P  all commands

[b]Live session[/b]
  Enter  use the chosen unit      f  remind me to rate again later
  n      start a new session
  For a unit without connection:  s  you switched it on / off
                                  + -  note the level you set (optional)

[b]Pain rating[/b] (asked before and after)
  one key: 0 … 9, and t for 10.  0 = no pain, 10 = worst imaginable.
  Esc skips; you can add it later in the log.

[b]Log[/b]
  ↑ ↓  choose a session      a  add a missing rating (after / follow-up)
  n    new session by hand   r  new rest period (rated, without the unit)
  e    edit                  d  delete (u undoes it)
  m    units: delete a unit with all its sessions (asks first; no undo)

[b]Review[/b]
  d  date range (7 / 30 / 90 days / all)   k  kind   u  unit

tenslog never changes your unit's settings: they follow the unit's
instructions and your doctor. Your data stays on this computer.

Press Esc or ? to close."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
