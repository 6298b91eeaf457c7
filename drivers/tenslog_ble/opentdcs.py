"""opentdcs-ble: the Open-tDCS-Stack over Bluetooth LE, by its built-in profile. It only
subscribes to Measurement and Timer and reads them; it never writes Timer (a write starts or
stops stimulation). Connecting makes the firmware apply a 50 uA test current while idle."""

from __future__ import annotations

from tenslog.model import Capabilities, IntensityScale
from tenslog_ble.link import ProfileLinkDriver
from tenslog_ble.profile import BUILTIN_DIR, Profile, load_profile


class OpenTdcsBleDriver(ProfileLinkDriver):
    """Subscribes to Measurement and Timer by the built-in profile; never writes Timer."""

    name = "opentdcs-ble"
    title = "Open-tDCS-Stack over Bluetooth LE"
    capabilities = Capabilities(reports_on_off=True, reports_intensity=True)
    scale = IntensityScale(kind="mA", maximum=4)

    def __init__(self, /, **options: str) -> None:
        super().__init__(**options)
        self.profile: Profile = load_profile(BUILTIN_DIR / "open-tdcs.toml")

    def candidate_profiles(self) -> list[Profile]:
        return [self.profile]
