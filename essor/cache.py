"""The Redis cache that degrades instead of failing when Redis is down or hung.

Nothing in Essor needs the cache to be right: sessions live in the database and the outbox claims
rows with database updates. What reads the cache on the request path is allauth's rate limits and
TOTP replay guard (django-ratelimit too, when it is used). Django's RedisCache raises on every
connection error, so a Redis outage turned every log-in into a 500. This backend answers a miss
instead, logs the error, and then leaves Redis alone for a few seconds (so that a hung Redis costs
one request one socket timeout, not every cache call of every request a timeout each).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from workers.backoff import Backoff

logger = logging.getLogger(__name__)

# After a failure, calls answer their fallback at once for this many seconds, then try Redis again.
RETRY_AFTER_SECONDS = 5.0
# Per Redis server (by URL); shared by the per-thread cache instances.
_backoff = Backoff(RETRY_AFTER_SECONDS)


def _fallback(answer):
    """Run the cache call; on a Redis connection or timeout error return `answer(*args)`."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            servers = tuple(self._servers)
            if _backoff.waiting(servers):
                return answer(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                _backoff.failed(servers)
                logger.warning(
                    "Redis cache unavailable (%s failed: %r); answering without it for %ss",
                    method.__name__,
                    error,
                    RETRY_AFTER_SECONDS,
                )
                return answer(*args, **kwargs)

        return call

    return decorate


def forget_failures():
    """Try Redis again at the next call (tests, or after a restart of Redis)."""
    _backoff.forget()


def _missing_counter(*args, **kwargs):
    # Django's contract for incr/decr of a key the cache does not hold.
    raise ValueError("The cache is unavailable: the key cannot be incremented.")


class DegradingRedisCache(RedisCache):
    """Django's RedisCache, with every call answering a miss while Redis cannot be reached.

    `add` answers True: its callers use it to take a lock or count a first hit (allauth's rate
    limits and TOTP replay guard, django-ratelimit), and refusing them all would lock everybody
    out for the length of the outage. So rate limits are not enforced while Redis is down.
    """

    get = _fallback(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _fallback(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _fallback(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _fallback(lambda *args, **kwargs: True)(RedisCache.add)
    set = _fallback(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _fallback(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _fallback(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _fallback(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _fallback(lambda *args, **kwargs: None)(RedisCache.delete_many)
    incr = _fallback(_missing_counter)(RedisCache.incr)
    clear = _fallback(lambda *args, **kwargs: False)(RedisCache.clear)
