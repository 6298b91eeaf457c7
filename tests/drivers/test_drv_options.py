"""Driver options are declared as data: every built-in driver reads its options from the strings
a person types, with its declared defaults; an unknown or malformed option is an error naming it
and listing the valid ones; `tenslog drivers NAME` prints the declaration; hardware-notes.md
names exactly the declared options."""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tenslog.driver import Driver, DriverOptionError, DriverOptions
from tenslog.driver.options import option_specs
from tenslog.driver.registry import load_driver

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
NOTES = Path(__file__).resolve().parents[2] / "hardware-notes.md"
BUILT_IN = ["simulator", "line-serial", "opentdcs-serial", "ble-profile", "opentdcs-ble", "beurer-em70",
            "et312-serial"]

# What each driver takes, in declaration order, with its default as a person reads it.
DECLARED = {
    "simulator": [
        ("seed", "whole number", "1"),
        ("speed", "number ≥ 0.001 or 'max'", "1"),
        ("sessions", "whole number from 0 to 10000", "1"),
        ("session_minutes", "number from 0.01 to 1440", "20"),
        ("rate", "number from 0.1 to 1000", "4"),
        ("idle_seconds", "number ≥ 0", "3"),
        ("link_loss", "whole number from 0 to 100", "0"),
        ("garbage", "number from 0 to 0.9", "0"),
        ("vanish", "number ≥ 0", ""),
    ],
    "line-serial": [
        ("port", "text", ""),
        ("baudrate", "whole number from 300 to 4000000", "115200"),
        ("reconnect_cap", "number from 0.05 to 600", "30"),
        ("name", "text", "TENS unit (line protocol)"),
    ],
    "opentdcs-serial": [
        ("port", "text", ""),
        ("baudrate", "whole number from 300 to 4000000", "115200"),
        ("reconnect_cap", "number from 0.05 to 600", "30"),
    ],
    "ble-profile": [
        ("scan_seconds", "number from 1 to 600", "10"),
        ("reconnect_cap", "number from 0.05 to 3600", "60"),
        ("profile", "text", ""),
        ("profiles_dir", "path", ""),
    ],
    "opentdcs-ble": [
        ("scan_seconds", "number from 1 to 600", "10"),
        ("reconnect_cap", "number from 0.05 to 3600", "60"),
    ],
    "beurer-em70": [
        ("address", "text", ""),
        ("scan_seconds", "number from 0.1 to 600", "10"),
        ("poll_seconds", "number from 0.2 to 30", "1"),
        ("reconnect_cap", "number from 0.05 to 3600", "60"),
    ],
    "et312-serial": [
        ("port", "text", ""),
        ("channel", "'A' or 'B' or 'higher'", "higher"),
        ("poll_seconds", "number from 0.1 to 30", "0.5"),
        ("reconnect_cap", "number from 0.05 to 600", "30"),
    ],
}


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_driver_declares_its_options_with_help(name: str) -> None:
    specs = option_specs(load_driver(name).Options)
    assert [(s.name, s.kind, s.default) for s in specs] == DECLARED[name]
    assert all(s.help and "\n" not in s.help for s in specs)  # one line of help each


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("simulator", {}, {"seed": 1, "speed": 1.0, "sessions": 1, "session_minutes": 20.0,
                           "rate": 4.0, "idle_seconds": 3.0, "link_loss": 0, "garbage": 0.0,
                           "vanish": None}),
        ("simulator", {"seed": " 7 ", "speed": "MAX", "sessions": "2", "session_minutes": "1.5",
                       "rate": "20", "idle_seconds": "0", "link_loss": "1", "garbage": "0.2",
                       "vanish": "60"},
         {"seed": 7, "speed": "max", "sessions": 2, "session_minutes": 1.5, "rate": 20.0,
          "idle_seconds": 0.0, "link_loss": 1, "garbage": 0.2, "vanish": 60.0}),
        ("line-serial", {}, {"port": None, "baudrate": 115200, "reconnect_cap": 30.0,
                             "name": "TENS unit (line protocol)"}),
        ("line-serial", {"port": "/dev/ttyUSB0", "baudrate": "9600", "reconnect_cap": "0.5",
                         "name": " Bridge "},
         {"port": "/dev/ttyUSB0", "baudrate": 9600, "reconnect_cap": 0.5, "name": "Bridge"}),
        ("opentdcs-serial", {}, {"port": None, "baudrate": 115200, "reconnect_cap": 30.0}),
        ("opentdcs-serial", {"port": "COM3"}, {"port": "COM3", "baudrate": 115200, "reconnect_cap": 30.0}),
        ("ble-profile", {}, {"scan_seconds": 10.0, "reconnect_cap": 60.0, "profile": None,
                             "profiles_dir": None}),
        ("ble-profile", {"profile": "zc95", "scan_seconds": "5", "reconnect_cap": "2"},
         {"scan_seconds": 5.0, "reconnect_cap": 2.0, "profile": "zc95", "profiles_dir": None}),
        ("opentdcs-ble", {}, {"scan_seconds": 10.0, "reconnect_cap": 60.0}),
        ("opentdcs-ble", {"scan_seconds": "1", "reconnect_cap": "3600"},
         {"scan_seconds": 1.0, "reconnect_cap": 3600.0}),
        ("beurer-em70", {}, {"address": None, "scan_seconds": 10.0, "poll_seconds": 1.0,
                             "reconnect_cap": 60.0}),
        ("beurer-em70", {"address": "F9:8B:6F:12:EC:AE", "poll_seconds": "0.5"},
         {"address": "F9:8B:6F:12:EC:AE", "scan_seconds": 10.0, "poll_seconds": 0.5,
          "reconnect_cap": 60.0}),
        ("et312-serial", {}, {"port": None, "channel": "higher", "poll_seconds": 0.5,
                              "reconnect_cap": 30.0}),
        ("et312-serial", {"port": "/dev/rfcomm0", "channel": "B"},
         {"port": "/dev/rfcomm0", "channel": "B", "poll_seconds": 0.5, "reconnect_cap": 30.0}),
    ],
)
def test_options_are_read_from_strings_with_their_defaults(name: str, given: dict, expected: dict) -> None:
    driver = load_driver(name)(**given)
    assert driver.options.model_dump() == expected


def test_the_drivers_act_on_what_they_read(tmp_path: Path) -> None:
    sim = load_driver("simulator")(speed="max", seed="7", vanish="60")
    assert (sim.speed, sim.seed, sim.identity, sim.plan.vanish_at) == (math.inf, 7, "sim-7", 60.0)
    line = load_driver("line-serial")(port="/dev/ttyX", baudrate="9600", reconnect_cap="0.2", name="Bridge")
    assert (line.port, line.baud, line.reconnect_cap, line.reconnect_first, line.unit_name) == (
        "/dev/ttyX", 9600, 0.2, 0.2, "Bridge")
    ble = load_driver("ble-profile")(profile="zc95", profiles_dir=str(tmp_path), scan_seconds="2")
    assert (list(ble.profiles), ble.scan_seconds, ble.reconnect_cap) == (["zc95"], 2.0, 60.0)
    assert ble.options.profiles_dir == tmp_path


def _valid_list(name: str) -> str:
    listed = ", ".join(f"{option} ({kind})" for option, kind, _ in DECLARED[name])
    return f"Valid options: {listed}. Details: tenslog drivers {name}"


@pytest.mark.parametrize("name", BUILT_IN)
def test_an_unknown_option_is_an_error_listing_the_valid_ones(name: str) -> None:
    with pytest.raises(DriverOptionError) as caught:
        load_driver(name)(colour="red")
    assert caught.value.option == "colour"
    assert str(caught.value) == f"driver {name!r}: unknown option 'colour'. " + _valid_list(name)


@pytest.mark.parametrize(
    ("name", "given", "option", "problem"),
    [
        ("simulator", {"speed": "fast"}, "speed", "option 'speed' must be a number ≥ 0.001 or 'max', not 'fast'"),
        ("simulator", {"speed": "0"}, "speed", "option 'speed' must be a number ≥ 0.001 or 'max', not '0'"),
        ("simulator", {"speed": "nan"}, "speed", "option 'speed' must be a number ≥ 0.001 or 'max', not 'nan'"),
        ("simulator", {"sessions": "1.5"}, "sessions", "option 'sessions' must be a whole number from 0 to 10000, not '1.5'"),
        ("simulator", {"garbage": "2"}, "garbage", "option 'garbage' must be a number from 0 to 0.9, not '2'"),
        ("simulator", {"rate": "inf"}, "rate", "option 'rate' must be a number from 0.1 to 1000, not 'inf'"),
        ("simulator", {"seed": " "}, "seed", "option 'seed' must be a whole number, not empty"),
        ("line-serial", {"port": ""}, "port", "option 'port' must be text, not empty"),
        ("line-serial", {"baudrate": "fast"}, "baudrate", "option 'baudrate' must be a whole number from 300 to 4000000, not 'fast'"),
        ("line-serial", {"name": "Bridge\x1b[2J"}, "name", "option 'name' contains a control character (U+001B); use letters, digits, spaces and punctuation"),
        ("line-serial", {"name": "x" * 81}, "name", "option 'name' is 81 characters long; at most 80 characters"),
        ("opentdcs-serial", {"reconnect_cap": "-1"}, "reconnect_cap", "option 'reconnect_cap' must be a number from 0.05 to 600, not '-1'"),
        ("ble-profile", {"profiles_dir": "/no/such/folder"}, "profiles_dir", "option 'profiles_dir' is not a folder (/no/such/folder)"),
        ("ble-profile", {"profiles_dir": "x" * 300}, "profiles_dir", "option 'profiles_dir' cannot be used as a folder (File name too long)"),
        ("opentdcs-ble", {"scan_seconds": "0.5"}, "scan_seconds", "option 'scan_seconds' must be a number from 1 to 600, not '0.5'"),
    ],
)
def test_a_malformed_option_names_itself_and_the_expected_type(
    name: str, given: dict, option: str, problem: str
) -> None:
    with pytest.raises(DriverOptionError) as caught:
        load_driver(name)(**given)
    assert caught.value.option == option
    assert str(caught.value) == f"driver {name!r}: {problem}. " + _valid_list(name)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(DriverOptionError) as caught:
        load_driver("simulator")(colour="red", speed="fast", sessions="-1")
    assert str(caught.value).startswith(
        "driver 'simulator': unknown option 'colour'; "
        "option 'speed' must be a number ≥ 0.001 or 'max', not 'fast'; "
        "option 'sessions' must be a whole number from 0 to 10000, not '-1'. Valid options: "
    )


def test_a_driver_without_options_declares_none_and_refuses_any() -> None:
    class Quiet(Driver):
        name = "quiet"

        async def discover(self, timeout: float = 5.0) -> list:
            return []

        async def events(self, identity: str | None = None):  # type: ignore[override]
            yield  # never reached

    assert Quiet().options == DriverOptions()
    with pytest.raises(DriverOptionError, match=r"^driver 'quiet': unknown option 'port'\. Driver 'quiet' takes no options\.$"):
        Quiet(port="/dev/ttyUSB0")


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "200"}  # one line per option: the help is not wrapped


def test_tenslog_drivers_name_prints_each_option_with_its_default_and_help() -> None:
    result = subprocess.run([TENSLOG, "drivers", "simulator"], capture_output=True, text=True,
                            env=_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "simulator: Simulated TENS unit  [tenslog]",
        ("  A deterministic unit for demos and tests: the same seed plays the same sessions, as fast"
         " as you ask, with link losses and line noise if you want them."),
        "  transport: simulated",
        "  reports:   on/off, intensity",
        "  scale:     level 1-20",
    ]
    table = lines[lines.index("Options (give each as --option NAME=VALUE):") + 1:]
    assert re.split(r"\s{2,}", table[0].strip()) == ["NAME", "TYPE", "DEFAULT", "HELP"]
    rows = [re.split(r"\s{2,}", line.strip()) for line in table[1:]]
    assert rows == [
        [s.name, s.kind, s.default or "-", s.help]
        for s in option_specs(load_driver("simulator").Options)
    ]
    assert rows[1] == ["speed", "number ≥ 0.001 or 'max'", "1",
                       "time factor: 1 = real time, 60 = a minute per second, max = no waiting"]


def test_tenslog_drivers_with_an_unknown_name_lists_the_drivers() -> None:
    result = subprocess.run([TENSLOG, "drivers", "nope"], capture_output=True, text=True,
                            env=_env(), timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "Error: no driver named 'nope' (installed: beurer-em70, ble-profile, et312-serial, line-serial, opentdcs-ble, "
        "opentdcs-serial, simulator)"
    )


def test_record_with_a_bad_option_says_why_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    result = subprocess.run(
        [TENSLOG, "--db", str(db), "record", "--driver", "simulator", "--option", "speed=fast",
         "--option", "self=1"],
        capture_output=True, text=True, env=_env(), timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "Error: driver 'simulator': unknown option 'self'; "
        "option 'speed' must be a number ≥ 0.001 or 'max', not 'fast'. Valid options: seed"
    )
    assert not db.exists()


def _documented_options() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for paragraph in NOTES.read_text(encoding="utf-8").split("\n\n"):
        match = re.match(r"Options \(`tenslog drivers ([\w-]+)` prints each one's type, default and help\):(.*)",
                         paragraph, re.DOTALL)
        if match:
            listed = match.group(2).split(".")[0]  # up to the end of the sentence
            found[match.group(1)] = re.findall(r"`(\w+)`", listed)
    return found


def test_hardware_notes_name_exactly_the_declared_options() -> None:
    assert _documented_options() == {
        name: [s.name for s in option_specs(load_driver(name).Options)] for name in BUILT_IN
    }


# -- any strings at all: parsed, or a DriverOptionError; never anything else ----------------------

@functools.cache
def _driver_class(name: str) -> type[Driver]:
    return load_driver(name)  # once: reading the entry points is the slow part


def _as_strings(options: DriverOptions) -> dict[str, str]:
    """What a person would type to get these values again."""
    typed = {}
    for key, value in options.model_dump().items():
        if value is not None:
            typed[key] = repr(value) if isinstance(value, float) else str(value)
    return typed


def _any_values() -> st.SearchStrategy[str]:
    numbers = st.one_of(
        st.integers(-10, 5000).map(str),
        st.floats(-10, 5000, allow_nan=False).map(repr),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )
    words = st.sampled_from(["", " ", "max", "MAX", "inf", "nan", "zc95", "open-tdcs", "~", "~nobody/x",
                             "/dev/null", "/", ".", "a.toml", "Bridge", "1_000", "0x10", "1e400"])
    return st.one_of(numbers, words, st.text(max_size=12))


def _any_dicts(name: str) -> st.SearchStrategy[dict[str, str]]:
    declared = [option for option, _, _ in DECLARED[name]]
    keys = st.one_of(st.sampled_from([*declared, "self", "options", "colour"]), st.text(max_size=8))
    return st.dictionaries(keys, _any_values(), max_size=5)


def _number(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(low, high).flatmap(lambda x: st.sampled_from([repr(x), f" {x} "]))


def _whole(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str)


_PLAIN = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=80).filter(str.strip)
_VALID: dict[str, st.SearchStrategy[str]] = {
    "seed": _whole(-(10**9), 10**9), "speed": st.one_of(_number(0.001, 1e6), st.just("max")),
    "sessions": _whole(0, 20), "session_minutes": _number(0.01, 1440), "rate": _number(0.1, 1000),
    "idle_seconds": _number(0, 1e6), "link_loss": _whole(0, 100), "garbage": _number(0, 0.9),
    "vanish": _number(0, 1e6), "port": _PLAIN, "baudrate": _whole(300, 4_000_000),
    "reconnect_cap": _number(0.05, 600), "name": _PLAIN, "scan_seconds": _number(1, 600),
    "address": _PLAIN, "poll_seconds": _number(0.2, 30), "channel": st.sampled_from(["A", "B", "higher"]),
    "profile": st.sampled_from(["zc95", "coyote-v3", "open-tdcs"]),
    "profiles_dir": st.just(str(Path(__file__).resolve().parents[2] / "drivers" / "tenslog_ble" / "profiles")),
}


def _valid_dicts(name: str) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={o: _VALID[o] for o, _, _ in DECLARED[name]})


@pytest.mark.parametrize("name", BUILT_IN)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_strings_parse_or_are_a_driver_option_error(name: str, data: st.DataObject) -> None:
    cls = _driver_class(name)
    given = data.draw(st.one_of(_valid_dicts(name), _any_dicts(name)))
    try:
        driver = cls(**given)
    except DriverOptionError as exc:
        assert exc.option is not None and f"{exc.option!r}" in str(exc)
        event("refused")
        return
    event("parsed")
    typed = _as_strings(driver.options)
    again = cls(**typed)
    assert again.options == driver.options
    for key, text in given.items():  # each value is the one typed
        value = getattr(driver.options, key)
        if isinstance(value, int | float):
            assert value == float(text.replace("_", ""))
        elif key == "speed":
            assert value == "max" and text.strip().lower() in ("max", "inf")
        elif key != "profiles_dir":  # expanded from "~"
            assert str(value) == text.strip()
