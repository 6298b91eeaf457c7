"""`tenslog list` writes its table without rich's console (cli/table_text.py), and must write
exactly what rich printed: the same widths, cut headings, ellipses, cropping at the terminal's
edge, and escape codes on a terminal. rich itself is the reference here, on any sessions (names
with markup, wide characters, control characters) at any width."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from tenslog.cli.table import sessions_table
from tenslog.cli.table_text import table_text
from tenslog.store.lean import ListedSession
from tenslog.vocabulary import SessionKind, SessionState

START = datetime(2025, 11, 24, 8, 30, tzinfo=UTC)


class Terminal(io.StringIO):
    """A stream rich and table_text both see as a terminal, or not."""

    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        return self.terminal


names = st.one_of(
    st.none(),
    st.sampled_from(["[bold]x[/]", "[red]r[/red] :smile:", "\x1b[31mred", "東京の機械装置とても長い名前",
                     "emoji 😀😀 wide", "A" * 18, "B" * 19, "rest\u202eevil", "trailing  "]),
    st.text(min_size=1, max_size=30),
)


@st.composite
def sessions(draw: st.DrawFn) -> ListedSession:
    state = draw(st.sampled_from(SessionState))
    seconds = draw(st.one_of(st.none(), st.integers(0, 40_000))) if state is SessionState.RECORDING else \
        draw(st.integers(0, 40_000))
    name = draw(names)
    return ListedSession(
        id=draw(st.integers(1, 10**12)), kind=draw(st.sampled_from(SessionKind)), state=state,
        start=START + timedelta(days=draw(st.integers(-800, 0))),
        duration=None if seconds is None else timedelta(seconds=seconds),
        unit_name=name, scale_kind=draw(st.sampled_from(["level", "mA", None])),
        scale_max=draw(st.sampled_from([None, 20.0, 99.5])),
        peak=draw(st.one_of(st.none(), st.floats(0, 1000).map(lambda f: round(f, 1)))),
        before=draw(st.one_of(st.none(), st.integers(0, 10))), after=draw(st.one_of(st.none(), st.integers(0, 10))),
    )


def rich_prints(rows: list[ListedSession], terminal: bool, environ: dict[str, str]) -> str:
    out = Terminal(terminal)
    console = Console(markup=False, emoji=False, file=out, _environ=environ)
    console.print(sessions_table(rows, 60.0, console.width))
    return out.getvalue()


@given(st.lists(sessions(), min_size=1, max_size=6), st.integers(20, 160), st.booleans(),
       st.sampled_from([{}, {"NO_COLOR": "1"}, {"TERM": "xterm-256color", "COLORTERM": "truecolor"}]))
def test_the_table_is_what_rich_prints_at_any_width(rows: list[ListedSession], width: int, terminal: bool,
                                                     extra: dict[str, str]) -> None:
    environ = {"COLUMNS": str(width), **extra}
    written = table_text(rows, 60.0, Terminal(terminal), environ)
    if written is not None:  # None: left to rich (a title it would wrap, a column cut to nothing)
        assert written == rich_prints(rows, terminal, environ)


def test_at_80_columns_on_a_terminal_an_interrupted_row_is_bold_yellow_and_names_are_inert() -> None:
    rows = [ListedSession(10956, SessionKind.TENS, SessionState.INTERRUPTED, START, timedelta(minutes=35),
                          "[bold]x[/] \x1b[31m", "level", 20.0, 13.0, 3, 0),
            ListedSession(10955, SessionKind.REST, SessionState.COMPLETE, START, timedelta(seconds=30),
                          None, None, None, None, 7, None)]
    environ = {"COLUMNS": "80", "TERM": "xterm-256color"}
    written = table_text(rows, 60.0, Terminal(True), environ)
    assert written == rich_prints(rows, True, environ)
    lines = written.splitlines()
    assert lines[0] == "\x1b[3mSessions, newest first (pain 0-10)" + " " * 46 + "\x1b[0m"
    assert lines[2].startswith(" \x1b[1m    #\x1b[0m\x1b[1m \x1b[0m \x1b[1mwhen ")
    # as typed, the escape shown and not acted on, cut to fit; the whole row bold yellow
    assert " \x1b[1;33m[bold]x[/] \\…\x1b[0m\x1b[1;33m \x1b[0m " in lines[4]
    assert lines[4].endswith("\x1b[1;33minterrupted\x1b[0m ")
    assert lines[5] == " 10955  24 Nov 2025  rest (no uni…   30s      —       7      —   —  too short   "


def test_at_80_columns_only_the_units_name_is_cut_never_the_number_time_or_level() -> None:
    """The session number is what `tenslog rate` and `note` take: "109…" is no use. A long name,
    an mA level and five-digit numbers do not fit 80 columns: the name gives way, nothing else."""
    rows = [ListedSession(10934 + i, SessionKind.TENS, SessionState.INTERRUPTED if i else SessionState.COMPLETE,
                          START, timedelta(minutes=53),
                          "Beurer EM 49 Digital", "mA", 80.0, 12.5, 7, 10) for i in range(2)]
    environ = {"COLUMNS": "80"}
    written = table_text(rows, 60.0, Terminal(False), environ)
    assert written == rich_prints(rows, False, environ)
    assert written.splitlines()[2:6] == [
        "     #  when         unit         time    level  before  after   ±  state       ",
        " " + "─" * 78 + " ",
        " 10934  24 Nov 2025  Beurer EM …   53m  12.5 mA       7     10  +3  complete    ",
        " 10935  24 Nov 2025  Beurer EM …   53m  12.5 mA       7     10  +3  interrupted ",
    ]
    narrow = {"COLUMNS": "60"}  # even where every other column is cut, the numbers stay whole
    printed = rich_prints(rows, False, narrow)  # a column cut to nothing here: left to rich
    assert table_text(rows, 60.0, Terminal(False), narrow) in (None, printed)
    assert [line.split()[0] for line in printed.splitlines()[4:6]] == ["10934", "10935"]


def test_a_terminal_it_does_not_reproduce_is_left_to_rich() -> None:
    rows = [ListedSession(1, SessionKind.TENS, SessionState.COMPLETE, START, timedelta(minutes=30),
                          None, None, None, None, 6, 4)]

    class Latin1(Terminal):
        @property
        def encoding(self) -> str:  # type: ignore[override]
            return "latin-1"  # rich draws an ASCII box there

    assert table_text(rows, 60.0, Latin1(False), {}) is None
    assert table_text(rows, 60.0, Terminal(True), {"TERM": "dumb"}) is None
    assert table_text(rows, 60.0, Terminal(False), {"FORCE_COLOR": "1"}) is None
    assert table_text(rows, 60.0, Terminal(False), {"COLUMNS": "30"}) is None  # the title would wrap
    assert table_text(rows, 60.0, Terminal(False), {"COLUMNS": "80"}) == rich_prints(rows, False, {"COLUMNS": "80"})
