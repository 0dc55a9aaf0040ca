"""Rate limits on the actions that send e-mail and that allauth does not limit itself, and the
client's address as seen through the trusted reverse proxies.

allauth limits log-in, sign-up, password reset and the confirmation e-mail (ACCOUNT_RATE_LIMITS,
docs/security.md); this module limits invitations and join requests with django-ratelimit. Both
count a client by `client_ip`'s rule (ESSOR_TRUSTED_PROXY_COUNT).
"""

import ipaddress
import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What the cache raises when Redis is down or slow: the limit then lets the action through.
CACHE_OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)


_TOO_MANY_INVITATIONS = _(
    "You have sent many invitations in a short time. Wait a while (an hour at most), then send "
    "this one again: what you typed is kept."
)
# What the person reads when `over_limit` refuses an action; the form keeps what they typed.
LIMIT_MESSAGES = {
    "structure_invitation": _TOO_MANY_INVITATIONS,
    "jury_invitation": _TOO_MANY_INVITATIONS,
    "join_request": _(
        "You have sent many requests to join in a short time. Wait a while (an hour at most), "
        "then send this one again: your message is kept."
    ),
}


def client_ip(request):
    """The address of the client, not of the reverse proxy in front of Essor.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the real client is the `count`-th entry from the right; anything further left was written by
    the client itself and may be forged. With no trusted proxy (count 0) the header is ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.ESSOR_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # Not through the whole proxy chain (a direct request to the app server).
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote_addr


def over_limit(request, action):
    """Count one more `action` by this user and this client; True once either is past its rate.

    Rates are ESSOR_RATE_LIMITS[action]: (per account, per client address). Call it only when the
    action is about to happen, so a form sent back with a typing error does not count.
    """
    per_user, per_address = settings.ESSOR_RATE_LIMITS[action]
    limited = False
    try:
        # "ip" reads `client_ip` (RATELIMIT_IP_META_KEY). Both counters move on every call.
        for key, rate in (("user", per_user), ("ip", per_address)):
            limited |= is_ratelimited(
                request, group=f"essor.{action}.{key}", key=key, rate=rate, increment=True
            )
    except CACHE_OUTAGE_ERRORS:
        # A cache outage must not lock everyone out (RATELIMIT_FAIL_OPEN, docs/security.md).
        logger.warning("Rate limit for %s not checked: the cache is unreachable", action)
        return False
    return limited
