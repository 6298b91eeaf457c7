"""The command palette lists every action of the dashboard, with its key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, action run on the app, help)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Live session", "app.switch_mode('live')", "key 1: record a session from your unit"),
    ("Log", "app.switch_mode('log')", "key 2: all sessions; add, edit, delete, rate later"),
    ("Review", "app.switch_mode('review')", "key 3: chart and 'does it help?'"),
    ("New session by hand", "app.new_entry('tens')", "for a session you did not record live"),
    ("New rest period", "app.new_entry('rest')", "rated before and after, without the unit"),
    ("Switch light / dark", "app.toggle_dark", "for bright rooms or low light"),
    ("Help", "app.help", "key ?: every key in words"),
    ("Quit", "app.quit", "key q; a live session is kept"),
)


class TenslogCommands(Provider):
    async def discover(self) -> Hits:
        for title, action, help_text in COMMANDS:
            yield DiscoveryHit(title, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action), help=help_text)

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.app.run_action(action)

        return run
