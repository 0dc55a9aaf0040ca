"""Leaving a failed server alone for a while: after one failure (Redis down or hung), calls to that
server answer their fallback at once for a few seconds, so that a hung server costs one caller one
socket timeout instead of every call of every request a timeout each. Per process, per server."""

import time


class Backoff:
    def __init__(self, seconds):
        self.seconds = seconds
        self._until = {}

    def waiting(self, server):
        """Whether calls to `server` should be skipped now."""
        return time.monotonic() < self._until.get(server, 0.0)

    def failed(self, server):
        """`server` just failed: skip it for the next `seconds`."""
        self._until[server] = time.monotonic() + self.seconds

    def forget(self):
        """Try every server again at the next call."""
        self._until.clear()
