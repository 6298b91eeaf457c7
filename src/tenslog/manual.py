"""One set of rules for a session typed in by hand, shared by `tenslog add`, the dashboard
form and the CSV importer: the scale syntax, the default unit, how a unit is found, and how a
treatment ("heat pad", "tizanidine 2 mg") or an extra rating ("stiffness/spasm=6") is read."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from tenslog.model import IntensityScale, Treatment, Unit, manual_identity
from tenslog.text import check_plain
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


# -- context: other treatments and extra ratings, as typed ("tizanidine 2 mg", "spasm=6") ------
_DOSE = re.compile(
    r"^(?P<name>.+?)\s+(?P<dose>\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg|ug|ml|iu|units?|tablets?|tabs?|drops?|puffs?|%))$",
    re.IGNORECASE,
)


def treatment_data(text: str, choices: Sequence[Treatment]) -> dict[str, Any]:
    """A treatment as model input, from what was typed: a name on the person's list ("heat
    pad", any case), or a medicine with a dose ("tizanidine 2 mg"; the medicine need not be on
    the list). ValueError says what is on the list and how to add to it."""
    check_plain(text)
    wanted = " ".join(text.split())
    by_name = {c.name.casefold(): c for c in choices}
    if (listed := by_name.get(wanted.casefold())) is not None:
        return listed.model_dump()
    if (m := _DOSE.match(wanted)) is not None:
        name = m.group("name")
        listed = by_name.get(name.casefold())
        if listed is not None and not listed.medication:
            raise ValueError(f"{listed.name!r} is not a medication, so it takes no dose")
        return {"name": listed.name if listed else name, "dose": m.group("dose"), "medication": True}
    offered = ", ".join(repr(c.label) for c in choices) or "nothing yet"
    raise ValueError(
        f"{wanted!r} is not on your list of treatments ({offered}); add it with "
        f"`tenslog treatments add {wanted!r}` (a medicine: add --medication), or give a medicine "
        f"with its dose, e.g. 'tizanidine 2 mg'"
    )


def extra_rating_value(text: str, defined: Sequence[str]) -> tuple[str, int]:
    """``NAME=VALUE`` for an extra rating the person has defined (any case): its stored name
    and the 0-10 value."""
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise ValueError(f"{text!r} is not NAME=VALUE, e.g. 'stiffness/spasm=6'")
    known = {d.casefold(): d for d in defined}
    stored = known.get(" ".join(name.split()).casefold())
    if stored is None:
        offered = ", ".join(repr(d) for d in defined) or "none yet"
        raise ValueError(f"no extra rating is called {name.strip()!r} (defined: {offered}); "
                         f"define one with `tenslog ratings add NAME`")
    if not re.fullmatch(r"\s*\d{1,2}\s*", value) or not 0 <= int(value) <= 10:
        raise ValueError(f"{stored!r} is rated with a whole number from 0 to 10 (got {value.strip()!r})")
    return stored, int(value)
