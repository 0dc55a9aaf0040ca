"""Settings of the server bench/public_pages.py starts: Essor's own, with its URLs and a bare view
beside them (bench/bench_urls.py)."""

from essor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
