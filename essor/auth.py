"""Authentication backends that load the signed-in person with their unread notifications count
and their roles.

The bell in every page's header shows that count: read in the same query that loads the user on
each request (a subquery), it costs no query of its own.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import backends, get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Now

from accelerator.domain.roles import role_annotations
from workers.models import Notification


def user_with_unread_count(user_id):
    unread = (
        # A notice dated later (a decision letter scheduled for release) counts from its time.
        Notification.objects.filter(
            recipient=OuterRef("pk"), read_at__isnull=True, created_at__lte=Now()
        )
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        get_user_model()
        ._default_manager.annotate(
            unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            # The header's links follow the person's roles: read in the same query too.
            **role_annotations(),
        )
        .filter(pk=user_id)
        .first()
    )


class UnreadCountMixin:
    def get_user(self, user_id):
        user = user_with_unread_count(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(UnreadCountMixin, backends.ModelBackend):
    pass


class AllauthBackend(UnreadCountMixin, AuthenticationBackend):
    pass
