"""Every key of the dashboard, read from the screens' BINDINGS: the one place keys are declared.

The help screen, the command palette and the README check (tests/ui/test_ui_keys.py) all read
them from here, so a key changed in a screen changes everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from rich.markup import escape
from textual.app import App
from textual.binding import Binding

NAMED = {"escape": "Esc", "enter": "Enter", "question_mark": "?", "plus": "+", "minus": "-"}
CLOSING = (
    "tenslog never changes your unit's settings: they follow the unit's",
    "instructions and your doctor. Your data stays on this computer.",
    "",
    "Press Esc or ? to close.",
)


@dataclass(frozen=True)
class Section:
    where: str  # the README table's "where" column
    title: str
    owners: tuple[str, ...]  # "module:Class" holding BINDINGS; imported only when asked
    notes: tuple[str, ...] = ()  # words that are not keys of ours (widget keys, meanings)


SECTIONS: tuple[Section, ...] = (
    Section("anywhere", "Anywhere", ("tenslog.ui.app:TenslogApp",)),
    Section(
        "live",
        "Live session",
        ("tenslog.ui.screens.live:LiveScreen", "tenslog.ui.screens.rating:RatingScreen",
         "tenslog.ui.screens.after_rating:AfterRatingScreen"),
        (
            "↑ ↓ Enter  choose a unit.  Pain is asked before and after: 0 = no pain,",
            "10 = worst imaginable.  s + - l y are for a unit without connection.",
            "With pain after, a letter ticks what else was going on; again: unticks.",
        ),
    ),
    Section("log", "Log", ("tenslog.ui.screens.log:LogScreen",), ("↑ ↓  choose a session",)),
    Section("review", "Review", ("tenslog.ui.screens.review:ReviewScreen",)),
    Section("trial", "Personal trial", ("tenslog.ui.screens.trial:TrialScreen",)),
)


def key_label(binding: Binding) -> str:
    """The key as a person reads it: '?', '+', 'Esc', 'Ctrl+S'."""
    if binding.key_display:
        return binding.key_display
    key = binding.key.split(",")[0]
    if key in NAMED:
        return NAMED[key]
    if "+" in key:  # a combination: Ctrl+P
        return "+".join(part.capitalize() for part in key.split("+"))
    return key if len(key) == 1 else key.capitalize()


def bindings_of(section: Section) -> list[Binding]:
    """One binding per action (the first declared); aliases such as F1 for ? are left out."""
    seen: set[str] = set()
    found: list[Binding] = []
    for owner in section.owners:
        module, name = owner.split(":")
        for item in getattr(import_module(module), name).BINDINGS:
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.action not in seen:
                seen.add(binding.action)
                found.append(binding)
    return found


def entries(section: Section) -> list[tuple[str, str]]:
    """(keys, words) per action; a run of keys saying the same thing is shown once: '0 … 9'."""
    runs: list[tuple[list[str], str]] = []
    for binding in bindings_of(section):
        words = binding.tooltip or binding.description
        if runs and runs[-1][1] == words:
            runs[-1][0].append(key_label(binding))
        else:
            runs.append(([key_label(binding)], words))
    if section.where == "anywhere":
        palette = Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "all commands")
        runs.append(([key_label(palette)], palette.description))
    return [
        (f"{keys[0]} … {keys[-1]}" if len(keys) > 2 else " ".join(keys), words)
        for keys, words in runs
    ]


def help_text(width: int = 74) -> str:
    """The help text (74 columns: the 80-wide dialog less border, padding, scrollbar)."""
    column = width // 2
    lines = ["[b]tenslog — keys[/b]"]
    for section in SECTIONS:
        lines += ["", f"[b]{section.title}[/b]"]
        cells = [f"{escape(keys)}  {escape(words)}" for keys, words in entries(section)]
        row = ""
        for cell in cells:
            if row and len(row) <= column - 2 and len(cell) <= column - 2:
                lines.append(f"  {row.ljust(column)}{cell}")
                row = ""
            else:
                if row:
                    lines.append(f"  {row}")
                row = cell
        if row:
            lines.append(f"  {row}")
        lines += [f"  {note}" for note in section.notes]
    return "\n".join([*lines, "", *CLOSING])
