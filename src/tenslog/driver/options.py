"""Driver options declared as data. A driver says what it takes as a pydantic model,

    class Options(DriverOptions):
        rate: float = Field(4.0, ge=0.1, le=1000, description="status frames per second")

and the ``Driver`` base class reads the ``--option key=value`` strings into it. The same
declaration gives the error messages, ``tenslog drivers NAME`` and the check that
hardware-notes.md documents every option: nothing about an option is written twice.

Values arrive as text (the command line, settings), so the model coerces from strings; every
number must be finite. Surrounding spaces are dropped; an empty value or one with a control
character (tenslog.text) is refused, as for any text from outside."""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from tenslog.driver.contract import DriverOptionError
from tenslog.text import check_plain


class DriverOptions(BaseModel):
    """Subclass it as ``Options`` inside a driver; each field is one option: its type, its
    default and, as ``Field(description=...)``, one line of help."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option as a person reads it: ``kind`` is its type in words ("number from 0 to 0.9")."""

    name: str
    kind: str
    default: str  # as it would be typed; "" when there is none
    help: str


def option_specs(model: type[DriverOptions] | None) -> list[OptionSpec]:
    """The options a model declares, in declaration order."""
    if model is None:
        return []
    return [
        OptionSpec(name, _kind_of_field(field), _shown_default(field), field.description or "")
        for name, field in model.model_fields.items()
    ]


def read_options(
    driver: str, model: type[DriverOptions] | None, raw: Mapping[str, str]
) -> DriverOptions:
    """``raw`` (option name to text) as the driver's model, or DriverOptionError naming every
    option at fault, what was wrong, and the valid options with their types."""
    model = model or DriverOptions
    specs = {spec.name: spec for spec in option_specs(model)}
    problems: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    for key, value in raw.items():
        text = str(value).strip()
        if key not in specs:
            problems.append((key, f"unknown option {key!r}"))
        elif not text:
            problems.append((key, f"option {key!r} must be {_a(specs[key].kind)}, not empty"))
        else:
            try:
                values[key] = check_plain(text)
            except ValueError as exc:  # a control character: refused as in any outside text
                problems.append((key, f"option {key!r} {exc}"))
    try:
        parsed = model.model_validate(values)
    except ValidationError as exc:
        named = {name for name, _ in problems}  # refused above: not "missing" as well
        problems += [p for p in _explain(exc, specs, values) if p[0] not in named]
    else:
        if not problems:
            return parsed
    raise DriverOptionError(
        f"driver {driver!r}: " + "; ".join(why for _, why in problems) + ". " + valid_options(driver, model),
        option=problems[0][0],
    )


def valid_options(driver: str, model: type[DriverOptions] | None) -> str:
    """One sentence listing a driver's options with their types, for error messages."""
    specs = option_specs(model)
    if not specs:
        return f"Driver {driver!r} takes no options."
    listed = ", ".join(f"{spec.name} ({spec.kind})" for spec in specs)
    return f"Valid options: {listed}. Details: tenslog drivers {driver}"


def _explain(
    exc: ValidationError, specs: Mapping[str, OptionSpec], values: Mapping[str, str]
) -> list[tuple[str, str]]:
    """One problem per option, worded from the declaration rather than pydantic's text."""
    problems: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        if name in problems:
            continue  # a union reports each of its branches: the option is named once
        cause = (error.get("ctx") or {}).get("error")
        if error["type"] == "missing" and name in specs:
            problems[name] = f"option {name!r} is required ({specs[name].kind})"
        elif error["type"] == "value_error" and cause is not None:
            problems[name] = f"option {name!r} {cause}"  # a validator's own words
        elif name in specs:
            problems[name] = f"option {name!r} must be {_a(specs[name].kind)}, not {values.get(name)!r}"
        else:
            problems[name] = f"options: {error['msg']}"  # a rule over several options
    return list(problems.items())


def _a(kind: str) -> str:
    if kind.startswith(("text", "'", "one of")):
        return kind
    return ("an " if kind[0] in "aeiou" else "a ") + kind


_NAMES: dict[Any, str] = {int: "whole number", float: "number", str: "text", bool: "yes or no"}


def _kind_of_field(field: FieldInfo) -> str:
    return _kind(field.annotation, list(field.metadata))


def _kind(annotation: Any, metadata: list[Any]) -> str:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        for item in extra:
            metadata = [*metadata, *(item.metadata if isinstance(item, FieldInfo) else [item])]
        return _kind(inner, metadata)
    if origin in (Union, types.UnionType):
        parts = [a for a in get_args(annotation) if a is not type(None)]  # None: not given
        return " or ".join(_kind(part, metadata if len(parts) == 1 else []) for part in parts)
    if origin is Literal:
        return " or ".join(repr(value) for value in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, PurePath):
        return "path"
    name = _NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))
    return name + _bounds(metadata)


def _number(value: object) -> str:
    """A bound as a person types it: 4000000, not 4e+06."""
    if not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))  # exact: what it prints reads back as the same number


def _bounds(metadata: list[Any]) -> str:
    low = high = None
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = _number(item.ge)
        elif isinstance(item, annotated_types.Gt):
            low = f"above {_number(item.gt)}"
        elif isinstance(item, annotated_types.Le):
            high = _number(item.le)
        elif isinstance(item, annotated_types.Lt):
            high = f"below {_number(item.lt)}"
    if low and high and not low.startswith("above") and not high.startswith("below"):
        return f" from {low} to {high}"
    said = [
        low if low and low.startswith("above") else (f"≥ {low}" if low else ""),
        high if high and high.startswith("below") else (f"≤ {high}" if high else ""),
    ]
    return "".join(" " + part for part in said if part)


def _shown_default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return ""
    else:
        value = field.default
    if value is None:
        return ""
    if isinstance(value, float):
        return _number(value)
    return str(value)
