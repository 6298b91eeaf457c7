"""`tenslog replay FILE --profile ID | --driver NAME`: a capture (tenslog.capture) through a
profile or a driver's decoder, offline, printing what tenslog would have recorded next to the
moments the person marked. Reads the file only; opens no database and no unit."""

from __future__ import annotations

from pathlib import Path

import click

from tenslog.cli.devices import make_driver
from tenslog.driver.events import (
    Connected,
    DeviceEvent,
    IntensityChanged,
    LinkLost,
    LinkRestored,
    StimulationStarted,
    StimulationStopped,
    UnitNote,
)
from tenslog.text import shown


def describe(event: DeviceEvent) -> str:
    match event:
        case StimulationStarted(intensity=level):
            return "on" + ("" if level is None else f", level {level:g}")
        case IntensityChanged(intensity=level):
            return f"level {level:g}"
        case StimulationStopped():
            return "off"
        case UnitNote(text=text, topic=topic):
            return f"note: {text}" if text else f"note cleared: {topic}"
        case LinkLost(reason=reason):
            return f"link lost ({reason})"
        case LinkRestored():
            return "link restored"
        case Connected(unit=unit):
            return f"connected: {unit.name}"
    return type(event).__name__


@click.command("replay")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--profile", metavar="ID", help="A BLE profile id or .toml file (the ble-profile driver).")
@click.option("--driver", "name", metavar="NAME", help="A driver whose decoder reads the capture.")
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="A driver option; repeatable.")
def replay_command(file: Path, profile: str | None, name: str | None, options: tuple[str, ...]) -> None:
    """Print the events a profile or a driver makes of a capture file, with your marks."""
    from tenslog.capture import CaptureError, read_capture
    from tenslog.parsing import parse_options

    if (profile is None) == (name is None):
        raise click.UsageError("give one of --profile ID or --driver NAME")
    try:
        given = parse_options(options)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--option") from None
    if profile is not None:
        name, given = "ble-profile", {**given, "profile": profile}
    assert name is not None
    try:
        capture = read_capture(file)
    except CaptureError as exc:
        raise click.ClickException(shown(str(exc))) from None
    driver = make_driver(name, given)
    try:
        events = driver.replay(capture.records)
    except (NotImplementedError, ValueError) as exc:
        raise click.ClickException(shown(str(exc))) from None
    timed: list[tuple[float, int, str]] = [(r.t, 0, f"-- you marked: {r.mark}") for r in capture.records if r.mark]
    timed += [(e.at, 1, describe(e)) for e in events]
    for at, _, text in sorted(timed, key=lambda item: (item[0], item[1])):
        click.echo(shown(f"{at:9.2f} s  {text}"))
    sent = sum(1 for r in capture.records if not r.mark)
    click.echo(f"{len(events)} event(s) from {sent} record(s) of {capture.transport} data")
