"""Run Essor's embedded stack: the web server and a Celery worker with beat, stopped together.

    .venv/bin/python scripts/run.py [--host 127.0.0.1] [--port 8000] [--logins FILE]
    .venv/bin/python scripts/run.py --check-port [--host ...] [--port ...]

`make run` calls it after migrating and loading the demo. Ctrl-C (SIGINT) or SIGTERM stops both
processes and everything they started; if one of them dies, the other is stopped too. Each child
runs in a session of its own, so that the whole group can be stopped, and gets SIGTERM from the
kernel should this supervisor be killed outright.

The banner (address, logins) is the last thing printed once both the site answers and the worker
is ready: the startup chatter of both is kept out (gunicorn logs warnings only, the worker's
output goes through `worker_line`, which drops its INFO lines and the warnings that do not
concern a local run). What follows the banner is what a developer needs: errors, warnings, and
the e-mails the programme sends, printed readably (`workers/mail_console.py`).
"""

import argparse
import contextlib
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_GRACE_SECONDS = 20
READY_TIMEOUT_SECONDS = 120


def port_is_free(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent():
    """Runs in the child before exec: start a session, and get SIGTERM if the supervisor dies."""
    os.setsid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: Ctrl-C and SIGTERM still stop everything


def commands(host, port):
    python = sys.executable
    web = [
        python,
        "-m",
        "gunicorn",
        "essor.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--graceful-timeout",
        "5",
        # Startup lines and the access log would push the banner out of sight: warnings only.
        "--log-level",
        "warning",
    ]
    # One worker reads every queue (settings.CELERY_TASK_ROUTES) and runs beat, which takes its
    # schedule from the database (settings.CELERY_BEAT_SCHEDULER): one process for a laptop.
    worker = [
        python,
        "-m",
        "celery",
        "-A",
        "workers",
        "--quiet",  # no ASCII-art banner: ours is the one to read
        "worker",
        "-Q",
        "default,mail,scans",
        "--beat",
        # INFO is read for the "ready" line, then dropped by `worker_line`.
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--hostname",
        "essor@%h",
    ]
    if not os.environ.get("REDIS_URL"):
        # The filesystem transport needs no host; naming one spares kombu's warning about it.
        at = worker.index("worker")
        worker[at:at] = ["--broker", "filesystem://localhost//"]
    return {"web": web, "worker": worker}


def child_environment():
    """The children's environment: Django logs warnings and up (unless LOG_LEVEL says otherwise),
    and Celery's warning about running as root (a container's usual user) is not repeated."""
    environment = dict(os.environ)
    environment.setdefault("LOG_LEVEL", "WARNING")
    ignored = "ignore:You're running the worker with superuser privileges"
    environment["PYTHONWARNINGS"] = ",".join(
        part for part in (environment.get("PYTHONWARNINGS"), ignored) if part
    )
    return environment


# A line of Celery's log: "[2026-12-04 12:43:20,506: INFO/MainProcess] essor@host ready."
_LOG_LINE = re.compile(r"^\[[^\]]*: (?P<level>[A-Z]+)/(?P<process>[^\]]+)\] (?P<text>.*)$")
# Warnings that say nothing useful about a run on one's own machine.
_LOCAL_NOISE = (
    "No hostname was supplied",
    "You're running the worker with superuser privileges",
)


def worker_line(line):
    """What to do with one line of the worker's output: ("ready", None) when it says it is
    ready, ("drop", None) for INFO/DEBUG lines and local noise, ("show", line) otherwise (warnings,
    errors, tracebacks, e-mails printed by the console backend)."""
    match = _LOG_LINE.match(line.rstrip("\n"))
    if match is None:
        return "show", line
    level, text = match["level"], match["text"]
    if level in ("INFO", "DEBUG"):
        return ("ready", None) if text.endswith(" ready.") else ("drop", None)
    if level == "WARNING" and text.startswith(_LOCAL_NOISE):
        return "drop", None
    return "show", line


def banner(host, port, logins_text=""):
    """The banner's text: where the site is, the demo logins, how to stop."""
    address = f"http://{host}:{port}/"
    lines = ["", "=" * 72, f"  Essor is running at {address}", ""]
    lines += ["  " + line for line in logins_text.splitlines()]
    lines += ["", "  Ctrl-C stops the site and the worker.", "=" * 72, ""]
    return "\n".join(lines)


class Supervisor:
    def __init__(self, host, port, logins):
        self.host = host
        self.port = port
        self.logins = logins
        self.children = {}
        self.stopping = False
        self.signals_received = 0
        self.worker_ready = threading.Event()

    def start(self):
        environment = child_environment()
        for name, command in commands(self.host, self.port).items():
            # The worker's output is read here (see `worker_line`); the site's goes straight out.
            piped = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
            self.children[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                **(piped if name == "worker" else {}),
            )
        worker = self.children.get("worker")
        if worker is not None and worker.stdout is not None:
            threading.Thread(target=self.relay, args=(worker.stdout,), daemon=True).start()

    def relay(self, stream):
        """Pass the worker's output on, but for its chatter; note when it is ready."""
        for line in stream:
            action, text = worker_line(line)
            if action == "ready":
                self.worker_ready.set()
            elif action == "show":
                sys.stdout.write(text)
                sys.stdout.flush()

    def on_signal(self, signum, _frame):
        self.signals_received += 1
        self.stopping = True
        if self.signals_received > 1:
            # Asked twice: no more waiting.
            self.kill_groups(signal.SIGKILL)

    def first_exited(self):
        for name, child in self.children.items():
            if child.poll() is not None:
                return name, child.returncode
        return None

    def site_answers(self):
        url = f"http://{self.host}:{self.port}/healthz/"
        try:
            # The URL is built here with http:// and our own host and port: no other scheme.
            with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310 # fixed http:// URL
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_until_ready(self):
        """True once the site answers and the worker said it is ready (a worker slower than
        the timeout does not hold the banner back: the site is what people open)."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        site_ready = False
        while not self.stopping and time.monotonic() < deadline:
            if self.first_exited():
                return False
            site_ready = site_ready or self.site_answers()
            if site_ready and ("worker" not in self.children or self.worker_ready.is_set()):
                return True
            time.sleep(0.5)
        return site_ready

    def print_banner(self):
        logins = ""
        if self.logins and Path(self.logins).is_file():
            logins = Path(self.logins).read_text()
        print(banner(self.host, self.port, logins), flush=True)

    def kill_groups(self, signum):
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signum)

    def stop(self):
        # The leaders (gunicorn's master, celery's main process) stop their own children.
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Whatever is left in the groups (a pool process, a slow child) goes now.
        self.kill_groups(signal.SIGKILL)
        for child in self.children.values():
            child.wait()

    def run(self):
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGHUP, self.on_signal)
        self.start()
        exit_code = 0
        try:
            if self.wait_until_ready():
                self.print_banner()
            while not self.stopping:
                exited = self.first_exited()
                if exited:
                    name, code = exited
                    print(f"The {name} process stopped (exit code {code}); stopping.", flush=True)
                    exit_code = code or 1
                    break
                time.sleep(0.5)
        finally:
            print("Stopping the site and the worker...", flush=True)
            self.stop()
        print("Stopped.", flush=True)
        return exit_code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--logins", help="a file to print once the site answers (demo logins)")
    parser.add_argument(
        "--check-port", action="store_true", help="only check that the port is free"
    )
    options = parser.parse_args()
    if not port_is_free(options.host, options.port):
        print(
            f"Port {options.port} on {options.host} is already in use. "
            f"Stop what uses it, or choose another port: make run PORT=8765",
            file=sys.stderr,
        )
        return 2
    if options.check_port:
        return 0
    return Supervisor(options.host, options.port, options.logins).run()


if __name__ == "__main__":
    sys.exit(main())
