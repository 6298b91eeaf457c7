"""A warm launcher for the kill drills: imports tenslog and the simulator driver once, then for
each line on stdin (tab-separated arguments of `tenslog`) forks a child that runs exactly
`tenslog ARGS` (the same `main()` the console script calls) and prints "pid N". The test
SIGKILLs that child itself; this process reaps it before the next fork. Forking skips only
the interpreter start and imports, not a step of recording, so each kill costs far less.
With FORKER_QUIET=1 the children write nothing (a drill that watches the database instead)."""

from __future__ import annotations

import os
import sys

import tenslog.cli.service
import tenslog.service.runner  # noqa: F401
from tenslog.cli.devices import make_driver  # the record command and everything it imports
from tenslog.cli.main import main

make_driver("simulator", {})  # loads the driver's entry point and modules once


def serve() -> None:
    child = 0
    for line in sys.stdin:
        if child:
            os.waitpid(child, 0)  # killed by the test before it asked for the next one
        child = os.fork()
        if child == 0:
            if os.environ.get("FORKER_QUIET"):
                quiet = os.open(os.devnull, os.O_WRONLY)
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
            sys.argv = ["tenslog", *line.rstrip("\n").split("\t")]
            try:
                main()
            except SystemExit:
                pass
            finally:
                os._exit(0)
        print(f"pid {child}", flush=True)
    if child:
        os.waitpid(child, 0)


if __name__ == "__main__":
    serve()
