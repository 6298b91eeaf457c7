"""The simulator driver: a deterministic, optionally accelerated TENS unit for demos and tests."""

from tenslog_simulator.driver import SimulatorDriver, SimulatorStats

__all__ = ["SimulatorDriver", "SimulatorStats"]
