"""The embedded run (`make run`, scripts/run.py): e-mails printed readably, the worker's chatter
kept out, and the banner (address, logins) printed last, once the site and the worker are ready."""

import io
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from django.core import mail
from django.core.mail import EmailMultiAlternatives

from scripts.run import banner, child_environment, commands, worker_line
from workers.mail_console import EmailBackend

ROOT = Path(__file__).resolve().parent.parent
SUBJECT = "[Essor] Votre dossier « Tiers-lieu » est déposé — accusé de réception"
BODY = "Bonjour Hélène,\n\nVotre dossier a été déposé à 14 h 05.\nÀ bientôt,\nL’équipe"


def _printed(message):
    stream = io.StringIO()
    EmailBackend(stream=stream).send_messages([message])
    return stream.getvalue()


def test_an_email_prints_its_decoded_subject_addresses_and_text_body():
    message = EmailMultiAlternatives(
        SUBJECT, BODY, "Essor <noreply@essor.localhost>", ["helene@example.org"]
    )
    message.attach_alternative("<p>Bonjour <b>Hélène</b></p>", "text/html")
    message.attach("accuse.pdf", b"%PDF-1.4", "application/pdf")
    printed = _printed(message)
    assert f"E-mail: {SUBJECT}" in printed
    assert "From: Essor <noreply@essor.localhost>" in printed
    assert "To: helene@example.org" in printed
    assert BODY in printed
    assert "Attachments: accuse.pdf" in printed
    # None of the raw MIME: no encoded words, no quoted-printable, no HTML part.
    for raw in ("=?utf-8?", "=C3=A9", "Content-Transfer-Encoding", "<p>", "MIME-Version"):
        assert raw not in printed


def test_an_html_only_email_prints_as_text():
    message = EmailMultiAlternatives("Rappel", "", "a@example.org", ["b@example.org"])
    message.attach_alternative(
        "<style>p{}</style><p>Votre &eacute;valuation</p><p>est attendue.</p>", "text/html"
    )
    printed = _printed(message)
    assert "Votre évaluation\nest attendue." in printed
    assert "<p>" not in printed and "p{}" not in printed


def test_the_backend_writes_to_the_real_standard_output_by_default(capfd):
    EmailBackend().send_messages(
        [mail.EmailMessage("Sujet accentué é", "Corps", "a@x.org", ["b@x.org"])]
    )
    assert "E-mail: Sujet accentué é" in capfd.readouterr().out


def test_the_embedded_run_uses_the_readable_backend():
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    environment = {
        **child_environment(),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "essor.settings",
    }
    for name in ("EMAIL_BACKEND", "EMAIL_URL"):
        environment.pop(name, None)
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.strip() == "workers.mail_console.EmailBackend", shown.stderr


def test_the_worker_chatter_is_dropped_and_what_matters_is_shown():
    def line(level, text, process="MainProcess"):
        return f"[2026-12-04 12:43:20,506: {level}/{process}] {text}\n"

    assert worker_line(line("INFO", "essor@vm ready.")) == ("ready", None)
    assert worker_line(line("INFO", "Task workers.tasks.flush_outbox[1] received"))[0] == "drop"
    noise = line("WARNING", "No hostname was supplied. Reverting to default 'localhost'")
    assert worker_line(noise)[0] == "drop"
    failure = line("ERROR", "Task deliver_message[2] raised: SMTPException", "ForkPoolWorker-1")
    assert worker_line(failure) == ("show", failure)
    assert worker_line(line("WARNING", "Beat: missed a run"))[0] == "show"
    assert worker_line("E-mail: [Essor] Bienvenue\n") == ("show", "E-mail: [Essor] Bienvenue\n")


def test_the_children_start_quietly():
    web, worker = commands("127.0.0.1", 8000).values()
    assert "--access-logfile" not in web and web[web.index("--log-level") + 1] == "warning"
    assert worker.index("--quiet") < worker.index("worker")
    assert child_environment()["LOG_LEVEL"]
    assert "superuser privileges" in child_environment()["PYTHONWARNINGS"]


def test_the_banner_gives_the_address_and_the_logins():
    text = banner("127.0.0.1", 8765, "Demo accounts\n  staff@essor.demo  essor-demo-2026\n")
    lines = text.strip().splitlines()
    assert "Essor is running at http://127.0.0.1:8765/" in text
    assert "    staff@essor.demo  essor-demo-2026" in text
    assert "Ctrl-C stops the site and the worker." in text
    assert lines[0] == lines[-1] == "=" * 72


def test_make_run_migrates_and_loads_the_demo_quietly():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    assert "manage.py migrate --noinput -v 0" in recipe
    assert "load_demo --logins-only > var/demo-logins.txt" in recipe
    assert "tee" not in recipe


# A supervisor whose children are stand-ins: a site that answers /healthz/ after a moment and a
# worker that talks the way Celery does. What it prints must end with the banner.
DRIVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    import scripts.run as run

    web = '''
    import http.server, sys, time
    print("web: booting", flush=True)
    time.sleep(1)
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
    '''
    worker = '''
    import time
    print("[2026-12-04 12:00:00,000: WARNING/MainProcess] No hostname was supplied.", flush=True)
    print("[2026-12-04 12:00:00,001: INFO/MainProcess] Connected to filesystem://", flush=True)
    print("[2026-12-04 12:00:00,002: WARNING/MainProcess] worker: a real warning", flush=True)
    time.sleep(2)
    print("[2026-12-04 12:00:02,000: INFO/MainProcess] essor@vm ready.", flush=True)
    time.sleep(60)
    '''
    run.commands = lambda host, port: {{
        "web": [sys.executable, "-c", web, str(port)],
        "worker": [sys.executable, "-c", worker],
    }}
    sys.exit(run.Supervisor("127.0.0.1", {port}, {logins!r}).run())
    """
)


def test_the_banner_is_printed_last_once_both_are_ready(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logins = tmp_path / "logins.txt"
    logins.write_text("staff@essor.demo  essor-demo-2026\n")
    driver = DRIVER.format(root=str(ROOT), port=port, logins=str(logins))
    process = subprocess.Popen(
        [sys.executable, "-c", driver],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines, deadline = [], time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if not line or (lines[-2:-1] and "Ctrl-C stops" in lines[-2]):
                break
        # Whatever comes next would come after the banner: give it the time to show.
        time.sleep(1)
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    before_stop = "".join(lines) + rest.split("Stopping the site", 1)[0]
    assert "Essor is running at" in before_stop, before_stop
    printed = before_stop.rstrip().splitlines()
    assert printed[-1] == "=" * 72, printed[-4:]
    assert before_stop.index("web: booting") < before_stop.index("Essor is running")
    assert before_stop.index("a real warning") < before_stop.index("Essor is running")
    assert "staff@essor.demo  essor-demo-2026" in before_stop
    assert "No hostname" not in before_stop and "INFO/" not in before_stop
