"""Keys are declared once: help, palette and README's key table all follow the bindings."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.binding import Binding
from textual.widgets import Static

from tenslog.ui.commands import commands
from tenslog.ui.keys import SECTIONS, Section, bindings_of, entries, help_text, key_label
from tenslog.ui.screens.help import HelpScreen

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| (?P<where>[a-z]+) \| (?P<keys>.+) \|$")


def readme_keys(text: str) -> dict[str, set[str]]:
    """The key table's backticked keys per "where" row; `0`-`9` stands for the ten digits."""
    found: dict[str, set[str]] = {}
    sections = {section.where for section in SECTIONS}
    for line in text.splitlines():
        match = ROW.match(line.strip())
        if not match or match["where"] not in sections:
            continue
        cells = re.sub(
            r"`(\d)`-`(\d)`",
            lambda m: " ".join(f"`{n}`" for n in range(int(m[1]), int(m[2]) + 1)),
            match["keys"],
        )
        found[match["where"]] = set(re.findall(r"`([^`]+)`", cells))
    return found


def bound_keys(section: Section) -> set[str]:
    """The keys a person types as one character (named keys such as Esc are told in words)."""
    labels = {key_label(binding) for binding in bindings_of(section)}
    return {label for label in labels if len(label) == 1}


def disagreements(table: dict[str, set[str]]) -> list[str]:
    problems = []
    for section in SECTIONS:
        documented, bound = table.get(section.where, set()), bound_keys(section)
        if documented != bound:
            problems.append(
                f"{section.where}: README lacks {sorted(bound - documented)}, "
                f"names unbound {sorted(documented - bound)}"
            )
    return problems


def test_readme_key_table_matches_the_bindings() -> None:
    assert disagreements(readme_keys(README.read_text(encoding="utf-8"))) == []


@settings(deadline=None)  # the first example imports the screens: timing says nothing here
@given(st.data())
def test_any_key_missing_or_extra_in_the_readme_is_caught(data: st.DataObject) -> None:
    table = readme_keys(README.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(sorted(table)))
    bound = set(table[where])
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(table[where])))
        table[where] = table[where] - {key}
        lacks, unbound = [key], []
    else:
        key = data.draw(st.sampled_from(sorted(set("bcghijlopvwxyz") - bound)))
        table[where] = table[where] | {key}
        lacks, unbound = [], [key]
    assert disagreements(table) == [f"{where}: README lacks {lacks}, names unbound {unbound}"]


def test_help_and_palette_name_every_bound_key() -> None:
    text = help_text()
    for section in SECTIONS:
        for keys, words in entries(section):
            assert f"{keys}  {words}" in text
    assert all(len(line) <= 74 for line in text.splitlines())  # no wrap in the 80-wide dialog
    palette = {title: help for title, _action, help in commands()}
    for binding in bindings_of(SECTIONS[0]):
        assert palette[binding.description].startswith(f"key {key_label(binding)}:")


async def test_help_screen_shows_a_key_changed_in_a_binding(make_app, seeded, frozen) -> None:
    from tenslog.ui.screens.review import ReviewScreen

    before = list(ReviewScreen.BINDINGS)
    ReviewScreen.BINDINGS = [*before[:-1], Binding("x", "unit", "Unit", tooltip="unit")]
    try:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            shown = str(app.screen.query_one(Static).render())
            assert "x  unit" in shown and "u  unit" not in shown
    finally:
        ReviewScreen.BINDINGS = before
