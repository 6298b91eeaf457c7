"""A personal (N-of-1) trial of TENS against rest: the plan (plan.py), where you are in it
(status.py) and the answer (analysis.py, with its statistics in stats.py). No I/O here: the
store keeps plans (tenslog.store.trials), the CLI shows them (tenslog.cli.trial)."""
