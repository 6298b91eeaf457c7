"""Run tenslog with every network use forbidden: an audit hook ends the process (exit 97) on
any socket connect/bind/send to a non-local (not AF_UNIX) address or any name lookup.
    python no_network.py cli ARGS...          the command line
    python no_network.py each JSON            several command lines (a JSON list of lists),
                                              each in a child forked from this guarded process
    python no_network.py dashboard DB DRIVER  the dashboard, headless, through one session"""

from __future__ import annotations

import importlib
import os
import socket
import sys
import time

FORBIDDEN = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
             "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"}


def hook(event: str, args: tuple) -> None:
    if event not in FORBIDDEN:
        return
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        if getattr(sock, "family", None) == socket.AF_UNIX:
            return  # the event loop's own wake-up pipe, not a network
    os.write(2, f"NETWORK USE: {event} {args[1:]!r}\n".encode())
    os._exit(97)


def dashboard(db: str, driver: str) -> None:
    from tenslog.settings import Settings
    from tenslog.store import Store
    from tenslog.ui.app import TenslogApp

    options = {"speed": "max", "session_minutes": "1", "idle_seconds": "0"}
    app = TenslogApp(store=Store.open(db), settings=Settings(db=db), driver=driver, driver_options=options)

    async def visit_everything(pilot) -> None:  # type: ignore[no-untyped-def]
        for key in ("1", "2", "3", "1"):
            await pilot.press(key)
            await pilot.pause(0.3)
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=visit_everything)


PRELOAD = ("tenslog.analysis.summary", "tenslog.analysis.compare", "tenslog.analysis.dose",
           "tenslog.exports.report", "tenslog.exports.chart")


def each(command_lines: list[list[str]]) -> None:
    """One interpreter start for many commands: each runs in its own forked child, which keeps
    the audit hook, and its exit status is printed as a JSON line."""
    import json
    import traceback

    from tenslog.cli.main import cli

    # The heavy libraries the commands load on use (scipy, matplotlib) load once, here, under
    # the hook as well: each child then starts warm.
    for module in PRELOAD:
        importlib.import_module(module)
    for args in command_lines:
        started = time.monotonic()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                cli(args, prog_name="tenslog")
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:  # noqa: BLE001  (the child must never go on with the loop)
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"args": args, "status": os.waitstatus_to_exitcode(status),
                          "seconds": round(time.monotonic() - started, 2)}), flush=True)


if __name__ == "__main__":
    sys.addaudithook(hook)
    if sys.argv[1] == "cli":
        from tenslog.cli.main import cli

        cli(sys.argv[2:], prog_name="tenslog")
    elif sys.argv[1] == "each":
        import json

        each(json.loads(sys.argv[2]))
    else:
        dashboard(sys.argv[2], sys.argv[3])
