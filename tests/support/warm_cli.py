"""`tenslog ARGS` as a real process, forked from a warm one.

Most CLI tests run a short command and read its output and exit status. Starting a fresh
interpreter and importing tenslog (numpy and scipy for `summary`) costs far more than the command.
Here one server per test process imports everything once and, for each request, forks a child
that runs exactly what the console script runs (`tenslog.cli.main.main`) with the request's
arguments, environment, working directory and stdin, and its own stdout/stderr: a separate
process with real file descriptors and a real exit status, minus the interpreter start.

Anything that start-up itself decides falls back to a fresh `subprocess.run`: a different
PYTHON*/locale environment (stdio encodings and sys.path are fixed at interpreter start), a
command prefix (setpriv), or bytes arguments. Tests of start-up itself (imports, entry points,
--version) call the console script directly."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

TENSLOG = shutil.which("tenslog") or str(Path(sys.executable).with_name("tenslog"))
# Fixed at interpreter start: a request that changes one of them gets a fresh process.
_STARTUP = ("PYTHONPATH", "PYTHONHOME", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONSAFEPATH",
            "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS", "PYTHONDEVMODE", "LANG", "LC_ALL", "LC_CTYPE")


class _Server:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=dict(os.environ))
        self.env = {key: os.environ.get(key) for key in _STARTUP}
        self.lock = threading.Lock()
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"

    def suits(self, env: dict[str, str]) -> bool:
        return self.proc.poll() is None and all(env.get(key) == self.env[key] for key in _STARTUP)

    def run(self, args: list[str], env: dict[str, str], cwd: str, stdin: str | None,
            timeout: float | None) -> subprocess.CompletedProcess[str]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with tempfile.TemporaryDirectory() as folder, self.lock:
            files = {name: os.path.join(folder, name) for name in ("in", "out", "err")}
            Path(files["in"]).write_text(stdin or "", encoding="utf-8")
            request = {"argv": [TENSLOG, *args], "env": env, "cwd": cwd, "files": files,
                       "stdin": stdin is not None}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            pid = int(self.proc.stdout.readline().split()[1])
            done: list[str] = []
            reader = threading.Thread(target=lambda: done.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
            reader.start()
            reader.join(timeout)
            if reader.is_alive():  # as subprocess.run does: kill it, then say so
                os.kill(pid, 9)
                reader.join()
                raise subprocess.TimeoutExpired([TENSLOG, *args], timeout or 0)
            code = int(done[0].split()[1])
            out = Path(files["out"]).read_bytes().decode("utf-8", "replace")
            err = Path(files["err"]).read_bytes().decode("utf-8", "replace")
        return subprocess.CompletedProcess([TENSLOG, *args], code, out, err)


_servers: dict[int, _Server] = {}


def run_tenslog(args: list[str], *, env: dict[str, str] | None = None, input: str | None = None,
                cwd: str | os.PathLike[str] | None = None, timeout: float | None = 60,
                check: bool = False) -> subprocess.CompletedProcess[str]:
    """`tenslog ARGS` with captured text output, as `subprocess.run(..., capture_output=True,
    text=True)` would give it. ``input`` None leaves stdin as the test's (an empty file here)."""
    environment = dict(os.environ if env is None else env)
    pid = os.getpid()  # one server per test process (xdist workers, forks)
    server = _servers.get(pid)
    if server is None or not server.suits(environment):
        if server is None and all(environment.get(k) == os.environ.get(k) for k in _STARTUP):
            server = _servers[pid] = _Server()
        else:
            return subprocess.run([TENSLOG, *args], capture_output=True, text=True, env=environment,
                                  input=input, cwd=cwd, timeout=timeout, check=check)
    done = server.run([str(a) for a in args], environment, os.fspath(cwd or os.getcwd()), input, timeout)
    if check:
        done.check_returncode()
    return done


# -- the server ----------------------------------------------------------------------------------
def _serve() -> None:
    import io
    import time
    import traceback

    # Everything a command may import, once: the CLI, analysis, exports, importers, drivers.
    import tenslog.cli.main as cli_main
    from tenslog.cli.main import cli

    for command in list(getattr(cli, "commands", {}).values()):
        module = getattr(command.callback, "__module__", None)
        if module:
            __import__(module)
    for heavy in ("numpy", "scipy.stats", "tenslog.analysis.summary", "tenslog.exports.report",
                  "tenslog.exports.fhir_export", "tenslog.exports.csv_export", "tenslog.exports.json_export",
                  "tenslog.imports", "tenslog.trial.analysis"):
        with contextlib.suppress(ImportError):
            __import__(heavy)
    print("ready", flush=True)
    for line in sys.stdin:
        request: dict[str, Any] = json.loads(line)
        child = os.fork()
        if child == 0:
            code = 0
            try:
                os.chdir(request["cwd"])
                os.environ.clear()
                os.environ.update(request["env"])
                time.tzset()
                files = request["files"]
                fds = [os.open(files["in"], os.O_RDONLY),
                       os.open(files["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                       os.open(files["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                    os.close(fd)
                # New stdio on the new descriptors, as an interpreter would open them.
                sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
                sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
                sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                              errors="backslashreplace", line_buffering=True, write_through=True)
                sys.argv = list(request["argv"])
                cli_main.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if exc.code is not None and not isinstance(exc.code, int):
                    print(exc.code, file=sys.stderr)
            except BaseException:  # noqa: BLE001  (as the interpreter does: the traceback, status 1)
                traceback.print_exc()
                code = 1
            finally:
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(OSError, ValueError):
                        stream.flush()
                os._exit(code)
        print(f"pid {child}", flush=True)
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        print(f"done {code}", flush=True)


if __name__ == "__main__":
    _serve()
