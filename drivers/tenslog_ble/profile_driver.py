"""ble-profile: any BLE unit described by a profile file (built-in or the user's)."""

from __future__ import annotations

from pathlib import Path

from tenslog.driver import DriverOptionError
from tenslog.driver.options import Options
from tenslog.model import Capabilities, IntensityScale
from tenslog_ble.link import ProfileLinkDriver
from tenslog_ble.profile import Profile, ProfileError, load_profile, load_profiles, user_profile_dir


class ProfileBleDriver(ProfileLinkDriver):
    """Options: profile (an id such as 'zc95', or a path to a .toml file; default: any known
    profile), profiles_dir (an extra folder of profiles), scan_seconds, reconnect_cap."""

    name = "ble-profile"
    title = "Bluetooth LE unit described by a profile"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="level")  # each profile names its own scale

    def __init__(self, **options: str) -> None:
        opts = Options(self.name, options)
        chosen = opts.text("profile")
        folder = opts.text("profiles_dir")
        self.scan_seconds = opts.number("scan_seconds", 10.0, minimum=1.0, maximum=600.0)
        self.reconnect_cap = opts.number("reconnect_cap", 60.0, minimum=0.05, maximum=3600.0)
        self.reconnect_first = min(self.reconnect_first, self.reconnect_cap)
        opts.finish()
        folders = [user_profile_dir()] + ([Path(folder).expanduser()] if folder else [])
        self.profiles, self.problems = load_profiles(*folders)
        self.profiles = self.allowed(self.profiles)
        if chosen is not None:
            self.profiles = {p.id: p for p in [self._choose(chosen)]}

    def allowed(self, profiles: dict[str, Profile]) -> dict[str, Profile]:
        return profiles

    def _choose(self, chosen: str) -> Profile:
        if chosen in self.profiles:
            return self.profiles[chosen]
        path = Path(chosen).expanduser()
        if path.suffix == ".toml" or path.exists():
            try:
                return load_profile(path)
            except ProfileError as exc:
                raise DriverOptionError(f"driver {self.name!r}: option 'profile': {exc}") from None
        known = ", ".join(sorted(self.profiles)) or "none"
        raise DriverOptionError(
            f"driver {self.name!r}: option 'profile': no profile {chosen!r} (known: {known})"
        )

    def candidate_profiles(self) -> list[Profile]:
        return list(self.profiles.values())
