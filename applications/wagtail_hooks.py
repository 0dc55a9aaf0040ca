"""The Wagtail admin: the way to the staff dossier views, a listing of every call, the scripts and
styles of the call's editor, the sentence that says a typed date back in words, and no
"Translate" button on a call."""

from django.db.models import F
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail_localize import wagtail_hooks as localize_hooks

from applications.forms.dates import CLOSES, OPENS, describe
from applications.models import Call
from applications.templatetags.call_tags import paris_datetime

# Static files only: the admin's Content-Security-Policy is meant to lose its inline allowance.
EDITOR_SCRIPTS = [
    "applications/admin/paris_dates.js",
    "applications/admin/tab_errors.js",
    "applications/admin/departments_filter.js",
]
ADMIN_STYLES = ["applications/admin/call_admin.css"]


def translation_buttons(page, user, view_name=None, next_url=None):
    """wagtail-localize's "Translate this page" and "Sync translated pages", except on a call:
    a call is one in every language (one set of dossiers, one jury), shown in English under the
    English address (applications/models/page_languages.py). Listings of calls then cost no
    query per row for them."""
    if issubclass(page.specific_class or type(page), Call):
        return []
    return localize_hooks.page_listing_more_buttons(page, user, view_name, next_url)


# In place of wagtail-localize's own registration of the same buttons (its module is imported
# above, so its hooks are registered already and are replaced once, here).
for _hook in ("register_page_listing_more_buttons", "register_page_header_buttons"):
    hooks._hooks[_hook] = [
        (fn, order)
        for fn, order in hooks._hooks.get(_hook, [])
        if fn is not localize_hooks.page_listing_more_buttons
    ]
    hooks.register(_hook, translation_buttons)


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


@hooks.register("insert_editor_js")
def call_editor_scripts():
    return format_html_join(
        "\n", '<script src="{}"></script>', ((static(script),) for script in EDITOR_SCRIPTS)
    )


@hooks.register("insert_global_admin_css")
def call_editor_styles():
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(style),) for style in ADMIN_STYLES)
    )


def date_echo(request):
    """What the opening or closing date typed so far means, read exactly as saving will read
    it: {"text": "Closes in 10 days, on …", "valid": true}. The script never parses dates."""
    moment = OPENS if request.GET.get("moment") == OPENS else CLOSES
    text, valid = describe(moment, request.GET.get("value", "").strip())
    return JsonResponse({"text": text, "valid": valid})


@hooks.register("register_admin_urls")
def register_date_echo():
    # Wagtail puts its admin-access check on every URL registered here.
    return [path("essor/call-date/", date_echo, name="essor_call_date_echo")]
