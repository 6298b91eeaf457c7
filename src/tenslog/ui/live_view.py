"""The live screen's words, drawn from the controller's state: ``render(state)`` is a pure
function (same state, same text; the state is never touched), so it is tested without a
screen and the screen only puts its result into widgets."""

from __future__ import annotations

from dataclasses import dataclass

from tenslog.display import format_change
from tenslog.live.controller import HISTORY
from tenslog.live.state import AfterSummary, LiveState, Phase
from tenslog.recorder import LinkState
from tenslog.text import shown
from tenslog.ui.format import average_text, clock_text


@dataclass(frozen=True, slots=True)
class LiveView:
    """The text of each line of the live screen, and the chart's data."""

    unit_line: str
    reporting: str
    elapsed: str
    intensity: str
    intensity_label: str
    status: str
    problem: str
    history: tuple[float, ...] = ()


def render(state: LiveState) -> LiveView:
    """What the live screen shows for this state. Outside text (a unit's name, a problem a
    driver reported) is made inert here."""
    intensity, label = _intensity_text(state)
    before = "" if state.before is None else f"\nPain before: {state.before}"
    return LiveView(
        unit_line=f"{shown(state.unit_name)}  ·  {_link_text(state)}",
        reporting=_reporting_text(state),
        elapsed=clock_text(state.elapsed),
        intensity=intensity,
        intensity_label=label,
        status=_status_text(state) + before,
        problem=shown(state.problem or ""),
        history=_history(state) if state.reports_intensity else (),
    )


def _reporting_text(state: LiveState) -> str:
    if state.capabilities is None:
        return ""
    if state.manual:
        return "No connection: press s when you switch the unit on, and again when you switch it off."
    if not state.reports_on_off:
        return "The unit does not report on/off: press s when you switch it on, and again when off."
    if state.reports_intensity:
        return "The unit reports on/off and intensity by itself."
    return "The unit reports on/off by itself (not its intensity)."


def _intensity_text(state: LiveState) -> tuple[str, str]:
    """The big number and the words under it."""
    if state.phase is not Phase.RUNNING:
        return "-", "off"
    if state.intensity is None:
        if state.reports_intensity:
            return "-", "waiting for the unit's level"
        if state.last_level is not None:
            return "?", f"l type the level you set, or + / - from {state.last_level:g} (last time)"
        return "?", "l type the level you set, or + / - (optional)"
    label = "level"
    if state.scale is not None and state.scale.kind == "mA":
        label = "mA"
    elif state.scale is not None and state.scale.maximum:
        label = f"level, of {state.scale.maximum:g}"
    if state.needs_level_keys:
        label += "  (l or + / - to change)"
    elif state.link is not LinkState.CONNECTED:
        label = f"last known {label}"
    return f"{state.intensity:g}", label


def _history(state: LiveState) -> tuple[float, ...]:
    # Zeros before the session began: the chart fills from the right and starts at 0,
    # so a steady low level does not look like a full bar.
    return (0.0,) * (HISTORY - len(state.history)) + state.history


def _link_text(state: LiveState) -> str:
    if state.link is None:
        return ""
    if state.manual:
        return "no connection (you press s)"
    lost = int(state.lost_for)
    text = {
        LinkState.WAITING: "waiting for the unit…",
        LinkState.CONNECTED: "● connected",
        LinkState.RECONNECTING: f"◌ reconnecting — lost for {lost} s",
        LinkState.LOST: f"✕ lost for {lost} s — the session was ended",
    }[state.link]
    return f"{text} · {state.unit_notes}" if state.unit_notes else text  # UnitNote, e.g. low battery


def _status_text(state: LiveState) -> str:
    if state.phase is Phase.WAITING:
        if state.needs_switch_key:
            return "Press s when you switch the unit on."
        return "Waiting for the unit to start. Switch it on as usual."
    if state.phase is Phase.RUNNING:
        if state.stop_asked:
            return (
                "s again so soon: the session goes on (a double press?).\n"
                f"Switched off already? Press y to end it; under {_span(state.min_seconds)} it will not count."
            )
        if state.needs_switch_key:
            return "Recording, saved as it goes. Press s when you switch the unit off."
        return "Recording, saved as it goes. It stops when the unit stops."
    if state.phase is Phase.ENDED:
        return "Session ended and saved."
    return ""


def _span(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"{seconds:g} seconds"


def after_text(value: int | None, summary: AfterSummary) -> str:
    """The words after the rating after (markup: the first line is bold; no outside text)."""
    if value is None:
        first = "No rating after: add it later in the log (2, then a)."
    else:
        first = f"Pain after: {value}.  This session: {format_change(summary.change)} points."
    average = ""
    if summary.count:
        plural = "s" if summary.count != 1 else ""
        average = (
            f"Your average change over {summary.count} rated TENS session{plural}: "
            f"{average_text(summary.average)}."
        )
    return f"[b]{first}[/b]\n{average}"
