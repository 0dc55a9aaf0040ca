"""A minimal SMTP server for the fault tests (stdlib `socketserver`, a thread per connection): it
accepts every message and records its Message-ID and when it was accepted.

`reply_delay` holds back the 250 that accepts a message's data, as a distant server does: a test
can kill the sending worker while it waits. The message counts as accepted when the sink decides
to answer 250, whether or not the sender is still there to read it: the case of a server that took
the message while its sender died (RFC 1047).
"""

import socketserver
import threading
import time
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default


@dataclass(frozen=True)
class Accepted:
    message_id: str
    recipients: tuple
    at: float  # time.monotonic()


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        try:
            self._converse(self.server.sink)
        except ConnectionError:
            # The sender died (a killed worker): what it had sent is recorded already.
            self.server.sink.resets += 1

    def _converse(self, sink):
        recipients = []
        self.reply("220 sink.essor.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 sink.essor.test")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                time.sleep(sink.reply_delay)
                sink.accept(data, recipients)
                self.reply("250 OK queued")
            elif verb in {"RSET", "NOOP"}:
                self.reply("250 OK")
            elif verb == "QUIT":
                sink.quits += 1
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in {b".\r\n", b".\n", b""}:
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, reply_delay=0.0):
        self.reply_delay = reply_delay
        self.accepted = []
        self.quits = 0
        self.resets = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def accept(self, data, recipients):
        message = BytesParser(policy=default).parsebytes(data, headersonly=True)
        with self._lock:
            self.accepted.append(
                Accepted(str(message["Message-ID"]), tuple(recipients), time.monotonic())
            )

    def copies(self):
        """{Message-ID: [each acceptance, in order]}."""
        with self._lock:
            accepted = list(self.accepted)
        by_id = {}
        for item in accepted:
            by_id.setdefault(item.message_id, []).append(item)
        return by_id

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
