"""The Wagtail admin: the way to the staff dossier views, and a listing of every call."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from applications.models import Call
from applications.templatetags.call_tags import paris_datetime


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        # Shown to exactly those the staff pages let in.
        return request.user.has_perm("applications.manage_dossiers")


@hooks.register("register_admin_menu_item")
def register_dossiers_menu_item():
    return StaffMenuItem(
        _("Dossiers"), "/staff/", name="dossiers", icon_name="folder-open-inverse", order=150
    )


def _paris(field):
    return lambda call: paris_datetime(getattr(call, field))


class CallIndexView(IndexView):
    def get_base_queryset(self):
        # An annotation survives the listing's switch to specific pages; select_related would not.
        return super().get_base_queryset().annotate(programme_name=F("programme__name"))


class CallListingViewSet(PageListingViewSet):
    """Every call in one flat list, whichever index page it sits under, with its dates."""

    model = Call
    index_view_class = CallIndexView
    icon = "form"
    menu_label = _("Calls")
    menu_order = 140
    add_to_admin_menu = True
    columns = [
        *PageListingViewSet.columns,
        Column("programme", label=_("Programme"), accessor="programme_name"),
        Column("phase", label=_("Phase"), accessor=lambda call: call.phase().label),
        Column("opens_at", label=_("Opens (Paris time)"), accessor=_paris("opens_at")),
        Column("closes_at", label=_("Closes (Paris time)"), accessor=_paris("closes_at")),
    ]


@hooks.register("register_admin_viewset")
def register_call_listing():
    return CallListingViewSet("calls")
