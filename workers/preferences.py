"""People's choices about reminders: per topic, as they come, once a day, or not at all.

A topic marked essential (one's own deadlines) cannot be turned off or delayed. Routine e-mails
carry a one-click unsubscribe link (RFC 8058): a signed token naming the person and the topic, so
that a mail client can turn the topic off without a session. The token is the recipient's secret:
the outbox seals it like any other link.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from workers.models import Delivery, Preference

UNSUBSCRIBE_SALT = "workers.preferences.unsubscribe"


@dataclass(frozen=True)
class Topic:
    """What a person may turn off or receive as a digest, unless it is `essential` (one's own
    deadlines). `audience` says who sees it on the preferences page (a callable on the user)."""

    name: str
    label: str
    help_text: str = ""
    essential: bool = False
    audience: Callable | None = None


_topics: dict[str, Topic] = {}


def register_topic(topic):
    """Called by the rooms (with their rules) when their app is ready; again replaces."""
    _topics[topic.name] = topic
    return topic


def unregister_topic(name):
    _topics.pop(name, None)


def topics():
    return dict(_topics)


def deliveries(pairs):
    """{(user id, topic): Delivery} for the pairs that have a choice, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    users = {user_id for user_id, _ in pairs}
    topics = {topic for _, topic in pairs}
    rows = Preference.objects.filter(user_id__in=users, topic__in=topics).values_list(
        "user_id", "topic", "delivery"
    )
    return {
        (user_id, topic): delivery for user_id, topic, delivery in rows if (user_id, topic) in pairs
    }


def choices_of(user):
    """{topic: Delivery} of one person's choices."""
    return dict(Preference.objects.filter(user=user).values_list("topic", "delivery"))


def choose(user, topic, delivery):
    """Record a person's choice for a topic; an essential topic always stays immediate."""
    known = topics().get(topic)
    if known is None:
        raise ValueError(f"Unknown topic {topic}")
    if known.essential:
        delivery = Delivery.IMMEDIATE
    Preference.objects.update_or_create(user=user, topic=topic, defaults={"delivery": delivery})


def topics_for(user):
    """The topics shown on `user`'s preferences page, essential ones first."""
    shown = [topic for topic in topics().values() if topic.audience is None or topic.audience(user)]
    return sorted(shown, key=lambda topic: (not topic.essential, str(topic.label)))


def unsubscribe_token(user, topic):
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user id, topic) from a token, or None when it was not signed here."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data.get("u"), data.get("t")


def unsubscribe_path(user, topic):
    return reverse("workers:unsubscribe", args=[unsubscribe_token(user, topic)])


def unsubscribe_headers(url):
    """The headers that give mail clients their one-click unsubscribe button (RFC 2369, 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe(token):
    """Turn off the topic a token names. Returns the topic, or None for a bad token."""
    read = read_unsubscribe_token(token)
    if read is None:
        return None
    user_id, topic = read
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    choose(user, topic, Delivery.OFF)
    return topic
