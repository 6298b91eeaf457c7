"""Run tenslog with every network use forbidden: an audit hook ends the process (exit 97) on
any socket connect/bind/send to a non-local (not AF_UNIX) address or any name lookup.
    python no_network.py cli ARGS...          the command line
    python no_network.py dashboard DB DRIVER  the dashboard, headless, through one session"""

from __future__ import annotations

import os
import socket
import sys

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


if __name__ == "__main__":
    sys.addaudithook(hook)
    if sys.argv[1] == "cli":
        from tenslog.cli.main import cli

        cli(sys.argv[2:], prog_name="tenslog")
    else:
        dashboard(sys.argv[2], sys.argv[3])
