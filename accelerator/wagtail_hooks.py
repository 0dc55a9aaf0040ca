"""Structures, programmes and support points, managed by staff as Wagtail snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accelerator.models import Programme, Structure, SupportPoint


class StructureViewSet(SnippetViewSet):
    model = Structure
    icon = "group"
    menu_label = _("Structures")
    list_display = ["name", "legal_form", "siret", "department", "esus_approved", "created_at"]
    list_filter = ["department", "legal_form", "esus_approved"]
    list_export = ["name", "legal_form", "siret", "rna", "department", "city", "creation_year"]
    search_fields = ["name", "siret", "rna", "city"]
    # Structures are not in the Wagtail search index: search with the database.
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("legal_form"), FieldPanel("siret"), FieldPanel("rna")]),
        FieldRowPanel([FieldPanel("esus_approved"), FieldPanel("esus_approved_on")]),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldPanel("department"),
            ],
            heading=_("Address"),
        ),
        FieldRowPanel(
            [FieldPanel("creation_year"), FieldPanel("annual_budget"), FieldPanel("employees")]
        ),
        FieldPanel("website"),
        FieldPanel("description"),
    ]

    def get_queryset(self, request):
        return self.model.objects.select_related("department")


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "site"
    menu_label = _("Programmes")
    list_display = ["name", "slug", "region"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("description"),
    ]

    def get_queryset(self, request):
        return self.model.objects.select_related("region")


class SupportPointViewSet(SnippetViewSet):
    model = SupportPoint
    icon = "pick"
    menu_label = _("Support points")
    list_display = ["name", "department", "email"]
    list_filter = ["department"]
    search_fields = ["name", "email"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("email"),
        FieldPanel("members"),
    ]

    def get_queryset(self, request):
        return self.model.objects.select_related("department")


class ProgrammeDataGroup(SnippetViewSetGroup):
    menu_label = _("Programme data")
    menu_icon = "group"
    menu_order = 160
    items = (StructureViewSet, ProgrammeViewSet, SupportPointViewSet)


register_snippet(ProgrammeDataGroup)
