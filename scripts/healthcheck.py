"""Container health check: GET /healthz/ on the local gunicorn, exit 0 when it answers 200.

The request carries the public host name (from SITE_URL, which ALLOWED_HOSTS accepts) and says it
came through the HTTPS proxy, as real requests do.
"""

import os
import sys
import urllib.request
from urllib.parse import urlsplit


def main():
    host = urlsplit(os.environ.get("SITE_URL", "http://localhost")).netloc or "localhost"
    port = os.environ.get("ESSOR_HEALTHCHECK_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz/",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        # The URL is built here with http:// and the local address: no file:// or other scheme.
        with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310 # fixed http:// URL
            return 0 if response.status == 200 else 1
    except Exception as error:  # any failure means unhealthy
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
