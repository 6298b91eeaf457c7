"""ble-profile: any BLE unit described by a profile file (built-in or the user's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

from tenslog.driver import DriverOptionError
from tenslog.model import Capabilities, IntensityScale
from tenslog_ble.link import ProfileLinkDriver
from tenslog_ble.profile import Profile, ProfileError, load_profile, load_profiles, user_profile_dir


def _home_expanded(path: Path) -> Path:
    try:
        return path.expanduser()
    except RuntimeError:  # "~someone" for a user this system does not know
        raise ValueError(f"names the home folder of an unknown user ({path})") from None


def _a_folder(path: Path) -> Path:
    path = _home_expanded(path)
    try:
        found = path.is_dir()
    except OSError as exc:  # a name too long for the file system, say
        raise ValueError(f"cannot be used as a folder ({exc.strerror})") from None
    if not found:
        raise ValueError(f"is not a folder ({path})")
    return path


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system: no such file
        return False


class ProfileBleDriver(ProfileLinkDriver):
    """Any unit a profile file describes: built in, in your profile folder, or in profiles_dir."""

    name = "ble-profile"
    title = "Bluetooth LE unit described by a profile"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level")  # each profile names its own scale

    class Options(ProfileLinkDriver.Options):
        profile: str | None = Field(
            None, description="a profile id such as zc95, or a .toml file (default: any known)"
        )
        profiles_dir: Annotated[Path, AfterValidator(_a_folder)] | None = Field(
            None, description="an extra folder of profile files"
        )

    options: Options

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        folder = self.options.profiles_dir
        folders = [user_profile_dir()] + ([folder] if folder is not None else [])
        self.profiles, self.problems = load_profiles(*folders)
        self.profiles = self.allowed(self.profiles)
        if self.options.profile is not None:
            self.profiles = {p.id: p for p in [self._choose(self.options.profile)]}

    def allowed(self, profiles: dict[str, Profile]) -> dict[str, Profile]:
        return profiles

    def _choose(self, chosen: str) -> Profile:
        if chosen in self.profiles:
            return self.profiles[chosen]
        try:
            path = _home_expanded(Path(chosen))
        except ValueError as exc:
            raise DriverOptionError(
                f"driver {self.name!r}: option 'profile' {exc}", option="profile"
            ) from None
        if path.suffix == ".toml" or _exists(path):
            try:
                return load_profile(path)
            except ProfileError as exc:
                raise DriverOptionError(
                    f"driver {self.name!r}: option 'profile': {exc}", option="profile"
                ) from None
        known = ", ".join(sorted(self.profiles)) or "none"
        raise DriverOptionError(
            f"driver {self.name!r}: option 'profile': no profile {chosen!r} (known: {known})",
            option="profile",
        )

    def candidate_profiles(self) -> list[Profile]:
        return list(self.profiles.values())
