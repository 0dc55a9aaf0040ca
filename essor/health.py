"""The health check used by the containers and load balancers: the process answers and the
database takes a query. Redis is reported but does not fail the check: the site keeps working
without it (sessions are in the database, the cache degrades, the outbox waits for the flush)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def redis_answers():
    """True when Redis answers a PING within the timeouts; None when no Redis is configured."""
    if not settings.REDIS_URL:
        return None
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.ESSOR_REDIS_TIMEOUT,
        socket_timeout=settings.ESSOR_REDIS_TIMEOUT,
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if redis_answers() is False:
        # 200 all the same: taking the web service out of rotation would turn a slower site
        # (e-mails sent by the minute's flush) into no site at all.
        return JsonResponse({"status": "degraded", "redis": "unreachable"})
    return JsonResponse({"status": "ok"})
