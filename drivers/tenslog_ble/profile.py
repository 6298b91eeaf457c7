"""Unit profiles: a TOML file per unit says how to find it and where its intensity (and
optionally its on/off state) sits in a notification. Modelled loosely on buttplug.io's device
configuration (identify by advertised name/services; named endpoints per service UUID).
Users add a unit by dropping a file into the profile folder; no code."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from bleak.uuids import normalize_uuid_str
from platformdirs import user_config_path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from tenslog.model import IntensityScale, explain

BUILTIN_DIR = Path(__file__).parent / "profiles"


def user_profile_dir() -> Path:
    return user_config_path("tenslog", appauthor=False) / "profiles"


def _uuid(value: str) -> str:
    text = value.strip().lower().removeprefix("0x")
    try:
        return normalize_uuid_str(text)
    except Exception:  # noqa: BLE001 - bleak raises several kinds; all mean "not a UUID"
        raise ValueError("is not a Bluetooth UUID (16-bit like '180c' or 128-bit)") from None


def _hex_bytes(value: object) -> object:
    if isinstance(value, str):
        try:
            return bytes.fromhex(value.replace("0x", "").replace(" ", ""))
        except ValueError:
            raise ValueError("is not hex bytes such as 'B1' or 'B1 00'") from None
    return value


Uuid = Annotated[str, AfterValidator(_uuid)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Match(_Strict):
    """How the unit is recognised in advertisements: any name OR any advertised service."""

    names: tuple[str, ...] = Field(default=(), description="local names; 'ZC*' matches a prefix")
    services: tuple[Uuid, ...] = ()

    @model_validator(mode="after")
    def _something(self) -> Match:
        if not self.names and not self.services:
            raise ValueError("match: give at least one name or advertised service")
        return self

    def accepts(self, name: str | None, services: list[str]) -> bool:
        for pattern in self.names:
            if name and (
                name == pattern or (pattern.endswith("*") and name.startswith(pattern[:-1]))
            ):
                return True
        wanted = set(self.services)
        return any(s.lower() in wanted for s in services)


class FieldSpec(_Strict):
    """Where a number sits in a notification of one characteristic."""

    service: Uuid
    characteristic: Uuid
    offset: int = Field(default=0, ge=0, le=511)
    width: Literal[1, 2, 3, 4] = 1
    endian: Literal["little", "big"] = "little"
    signed: bool = False
    factor: float = Field(default=1.0, gt=0, description="raw value x factor = value in the scale")
    header: Annotated[bytes, BeforeValidator(_hex_bytes)] = Field(
        default=b"", description="bytes a frame must start with (others are ignored)"
    )
    lengths: tuple[int, ...] = Field(default=(), description="accepted frame lengths; empty: any")

    @model_validator(mode="after")
    def _fits(self) -> FieldSpec:
        end = self.offset + self.width
        if self.header and self.offset < len(self.header):
            raise ValueError("offset: the value must come after the header")
        if any(n < end for n in self.lengths):
            raise ValueError(f"lengths: a frame of these lengths cannot hold bytes up to {end}")
        return self


class Profile(_Strict):
    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=80, description="shown to the user")
    source: str = Field(default="", description="where the layout comes from")
    match: Match
    scale: IntensityScale
    intensity: FieldSpec
    on_off: FieldSpec | None = Field(default=None, description="on when the value is not 0")
    report_on: Literal["every_frame", "on_off_frame"] = Field(
        default="every_frame",
        description="on_off_frame: report only when the on/off frame arrives, for units that "
        "send intensity then on/off as one snapshot (avoids pairing a new value with a stale one)",
    )
    silence_seconds: float | None = Field(
        default=None,
        gt=0,
        le=600,
        description="for units that notify periodically: no valid notification for this long "
        "counts as a lost link (ended at the last one); leave out for units that notify only "
        "on change",
    )
    notes: str = ""

    @model_validator(mode="after")
    def _report_on(self) -> Profile:
        if self.report_on == "on_off_frame" and self.on_off is None:
            raise ValueError("report_on: 'on_off_frame' needs an on_off field")
        return self

    @property
    def fields(self) -> list[FieldSpec]:
        return [self.intensity] + ([self.on_off] if self.on_off else [])

    @property
    def characteristics(self) -> list[str]:
        return list(dict.fromkeys(f.characteristic for f in self.fields))


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


def parse_profile(text: str, *, origin: str, default_id: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {origin}: not valid TOML: {exc}") from None
    data.setdefault("id", default_id)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"profile {origin}: " + "; ".join(explain(exc))) from None


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"profile {path}: cannot be read: {exc.strerror}") from None
    return parse_profile(text, origin=str(path), default_id=path.stem.lower())


def load_profiles(*folders: Path) -> tuple[dict[str, Profile], list[str]]:
    """Profiles by id from the built-in folder, then each folder given (later ones override);
    plus one message per file that could not be loaded (never fatal here)."""
    profiles: dict[str, Profile] = {}
    problems: list[str] = []
    for folder in (BUILTIN_DIR, *folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                profile = load_profile(path)
            except ProfileError as exc:
                problems.append(str(exc))
                continue
            profiles[profile.id] = profile
    return profiles, problems
