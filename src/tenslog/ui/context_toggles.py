"""One key each for what else was going on in a session: the person's other treatments (their
own list), where it hurts and side effects. A press ticks an item, the same key again unticks
it, and nothing is saved here: the screen holding the panel saves when its step is confirmed.

Keys are letters, given in list order: the first free initial of the item's words, then the
first free letter of its name, then the first free letter of the alphabet. Digits stay the
pain ratings, ``t`` is 10, ``q`` quits: none of them is ever a toggle."""

from __future__ import annotations

from dataclasses import dataclass
from string import ascii_lowercase

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Key
from textual.widgets import Checkbox, Static

from tenslog.model import SessionContext, Treatment
from tenslog.text import shown
from tenslog.ui.key_guard import key_guard
from tenslog.vocabulary import BodyRegion, SideEffect

RESERVED = frozenset("qt")
GROUPS = ("With", "Where it hurts", "Side effects")
Item = Treatment | BodyRegion | SideEffect


@dataclass(frozen=True)
class Toggle:
    key: str  # "" when the letters ran out (a very long list): ticked in the CLI instead
    item: Item
    group: int  # index into GROUPS

    @property
    def label(self) -> str:
        return shown(self.item.label) if isinstance(self.item, Treatment) else self.item.value


def _letters(name: str) -> list[str]:
    words = name.casefold().replace("-", " ").replace("/", " ").split()
    initials = [w[0] for w in words]
    return [c for c in (*initials, *name.casefold(), *ascii_lowercase) if c in ascii_lowercase]


def toggles(choices: list[Treatment], context: SessionContext) -> list[Toggle]:
    """Every item with its key: the person's treatments (and any the session has that are not on
    the list, so they can be taken off), then the regions, then the side effects."""
    treatments = list(choices)
    treatments += [t for t in context.treatments if not any(t.same(c) for c in choices)]
    items: list[tuple[Item, int]] = [(t, 0) for t in treatments]
    items += [(r, 1) for r in BodyRegion] + [(e, 2) for e in SideEffect]
    used: set[str] = set(RESERVED)
    result = []
    for item, group in items:
        name = item.label if isinstance(item, Treatment) else item.value
        key = next((c for c in _letters(name) if c not in used), "")
        used.add(key)
        result.append(Toggle(key, item, group))
    return result


def is_on(context: SessionContext, item: Item) -> bool:
    if isinstance(item, Treatment):
        return any(t.same(item) for t in context.treatments)
    return item in (context.regions if isinstance(item, BodyRegion) else context.side_effects)


class ContextToggles(Horizontal):
    """Three columns of ticks with their keys. In a form it takes focus (Tab) and then its
    keys; a dialog with no fields passes its keys to ``press``."""

    can_focus = True

    def __init__(self, choices: list[Treatment], context: SessionContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.context = context
        self.items = toggles(choices, context)

    def compose(self) -> ComposeResult:
        for group in range(len(GROUPS)):
            yield Static(self._column(group), classes="toggle-column", markup=False)

    def _column(self, group: int) -> Text:
        text = Text(GROUPS[group], style="bold")
        for t in (t for t in self.items if t.group == group):
            mark = "[x]" if is_on(self.context, t.item) else "[ ]"
            text.append("\n" + mark + " ")
            text.append(t.key or " ", style="bold reverse" if t.key else "")
            text.append(" " + t.label)  # a name from the person's list: plain text, never markup
        return text

    def press(self, event: Key) -> bool:
        """Tick or untick the item of this key; False when the key is not one of ours. A doubled
        press is one press (ticked, not ticked and unticked at once): the guard sees the second
        here too, as it arrived in the same read before the first was handled."""
        found = next((t for t in self.items if t.key and t.key == event.character), None)
        if found is None:
            return False
        guard = key_guard(self.app)
        if not guard.allows(event.key, event.time):
            return True  # the repeat is dropped, and still ours: it reaches no binding
        guard.fired()
        self.context = self.context.toggled(found.item)
        for group, column in enumerate(self.query(".toggle-column").results(Static)):
            column.update(self._column(group))
        return True

    def on_key(self, event: Key) -> None:
        # Any other letter does nothing here: a stray q beside the ticks must not quit the
        # app and lose the form.
        if self.press(event) or event.is_printable:
            event.stop()
            event.prevent_default()


class GuardedCheckbox(Checkbox):
    """A checkbox whose doubled Space (or Enter) is one press, as with the ticks' letters."""

    def action_toggle_button(self) -> None:
        key_guard(self.app).fired()
        super().action_toggle_button()
