"""The command palette lists every action of the dashboard; keys come from the bindings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tenslog.ui.keys import SECTIONS, bindings_of, key_label

# Actions with no key of their own on every screen: (title, action run on the app, help)
KEYLESS: tuple[tuple[str, str, str], ...] = (
    ("New session by hand", "app.new_entry('tens')", "for a session you did not record live"),
    ("New rest period", "app.new_entry('rest')", "rated before and after, without the unit"),
    ("Report for the doctor", "app.export_report",
     "one A4 page of all time, in your Documents folder (review: key e for what it shows)"),
    ("Switch light / dark", "app.toggle_dark", "for bright rooms or low light"),
)


def commands() -> list[tuple[str, str, str]]:
    """The app-wide bindings (title, action, 'key X: words'), then the keyless actions."""
    keyed = [
        (b.description, f"app.{b.action}", f"key {key_label(b)}: {b.tooltip or b.description}")
        for b in bindings_of(SECTIONS[0])
    ]
    return [*keyed, *KEYLESS]


class TenslogCommands(Provider):
    async def discover(self) -> Hits:
        for title, action, help_text in commands():
            yield DiscoveryHit(title, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action), help=help_text)

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.app.run_action(action)

        return run
