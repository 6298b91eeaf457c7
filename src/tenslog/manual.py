"""One set of rules for a session typed in by hand, shared by `tenslog add`, the dashboard
form and the CSV importer: the scale syntax, the default unit, and how a unit is found."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tenslog.model import IntensityScale, Unit, manual_identity
from tenslog.vocabulary import MANUAL_SOURCE

DEFAULT_UNIT_NAME = "My TENS unit"
UnitLookup = Callable[[str], "Unit | None"]  # a stored manual unit by its name

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_SCALE = re.compile(
    rf"^(level|ma)s?\s*(?::\s*{_NUMBER}|1\s*-\s*{_NUMBER}|/\s*{_NUMBER}|\(max\s*{_NUMBER}\))?$",
    re.IGNORECASE,
)
SCALE_HINT = "use level, level:20, level 1-20, mA or mA:80"


def parse_scale(text: str) -> IntensityScale:
    """`level`, `level:20`, `level 1-20`, `mA`, `mA:80` (and the export's `mA (max 80)`)."""
    m = _SCALE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a scale; {SCALE_HINT}")
    top = next((g for g in m.groups()[1:] if g), None)
    maximum = None if top is None else parse_number(top)
    if maximum is not None and maximum <= 0:
        raise ValueError("the scale's maximum must be above zero")
    return IntensityScale(kind="level" if m.group(1).lower() == "level" else "mA", maximum=maximum)


def parse_number(text: str) -> float:
    """A number as people type it, with a decimal point or a decimal comma."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def unit_data(name: str, scale: IntensityScale | None, lookup: UnitLookup | None) -> dict[str, Any]:
    """A manual unit as model input. A unit is found by its name (case and surrounding space
    ignored: its identity is made from the name); its stored scale is kept when none is given."""
    name = name or DEFAULT_UNIT_NAME
    stored = lookup(name) if lookup is not None and name.strip() else None
    if stored is not None:
        return {**stored.model_dump(), **({"scale": scale.model_dump()} if scale else {})}
    return {"driver": MANUAL_SOURCE, "identity": manual_identity(name), "name": name,
            "scale": (scale or IntensityScale()).model_dump()}


def store_lookup(store: Any) -> UnitLookup:
    """The lookup over a Store: the manual unit whose identity the name gives."""
    return lambda name: store.unit(MANUAL_SOURCE, manual_identity(name))
