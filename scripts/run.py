"""Run Essor's embedded stack: the web server and a Celery worker with beat, stopped together.

    .venv/bin/python scripts/run.py [--host 127.0.0.1] [--port 8000] [--logins FILE]
    .venv/bin/python scripts/run.py --check-port [--host ...] [--port ...]

`make run` calls it after migrating and loading the demo. Ctrl-C (SIGINT) or SIGTERM stops both
processes and everything they started; if one of them dies, the other is stopped too. Each child
runs in a session of its own, so that the whole group can be stopped, and gets SIGTERM from the
kernel should this supervisor be killed outright.
"""

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
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
        "--access-logfile",
        "-",
    ]
    # One worker reads every queue (settings.CELERY_TASK_ROUTES) and runs beat, which takes its
    # schedule from the database (settings.CELERY_BEAT_SCHEDULER): one process for a laptop.
    worker = [
        python,
        "-m",
        "celery",
        "-A",
        "workers",
        "worker",
        "-Q",
        "default,mail,scans",
        "--beat",
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--hostname",
        "essor@%h",
    ]
    return {"web": web, "worker": worker}


class Supervisor:
    def __init__(self, host, port, logins):
        self.host = host
        self.port = port
        self.logins = logins
        self.children = {}
        self.stopping = False
        self.signals_received = 0

    def start(self):
        for name, command in commands(self.host, self.port).items():
            self.children[name] = subprocess.Popen(
                command, cwd=ROOT, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
            )

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

    def wait_until_ready(self):
        url = f"http://{self.host}:{self.port}/healthz/"
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not self.stopping and time.monotonic() < deadline:
            if self.first_exited():
                return False
            try:
                # The URL is built here with http:// and our own host and port: no other scheme.
                with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310 # fixed http:// URL
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        return False

    def print_banner(self):
        address = f"http://{self.host}:{self.port}/"
        lines = ["", "=" * 72, f"  Essor is running at {address}", ""]
        if self.logins and Path(self.logins).is_file():
            lines += ["  " + line for line in Path(self.logins).read_text().splitlines()]
        lines += ["", "  Ctrl-C stops the site and the worker.", "=" * 72, ""]
        print("\n".join(lines), flush=True)

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
