"""Structures, programmes, support points, cohorts, milestone templates and the catalogue of impact
indicators, managed by staff as Wagtail snippets."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accelerator.domain.cohorts import check_cohort, may_create_cohort
from accelerator.domain.indicators import check_deletable, check_value_type_change
from accelerator.domain.refusals import Refused
from accelerator.domain.structures import check_siret_is_free
from accelerator.forms.structures import RnaField, SiretField
from accelerator.identifiers import validate_rna, validate_siren_or_siret
from accelerator.models import (
    ACTIVE_STAGES,
    Cohort,
    Indicator,
    MilestoneTemplate,
    Programme,
    Structure,
    SupportPoint,
)


class StructureAdminForm(WagtailAdminModelForm):
    """Identifiers in their one compact form, and the registration's SIRET rules: staff may
    register another establishment of a registered legal unit, never the same SIRET twice, nor a
    SIREN beside its own establishments."""

    # Spaces and dots pasted with the number would otherwise overflow the model's max_length.
    siret = SiretField(label=_("SIREN or SIRET"), validators=[validate_siren_or_siret])
    rna = RnaField(label=_("RNA number"), required=False, validators=[validate_rna])

    def clean(self):
        data = super().clean()
        siret = data.get("siret")
        if siret and siret != self.instance.siret:
            try:
                check_siret_is_free(siret, exclude=self.instance, separate_establishment=True)
            except Refused as refusal:
                self.add_error(None, refusal)
        return data


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
    edit_handler = ObjectList(
        [
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
        ],
        base_form_class=StructureAdminForm,
    )

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
        FieldPanel("managers", widget=forms.CheckboxSelectMultiple),
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
        # Set by the appointment from a call for points d'appui (applications.domain).
        FieldPanel("structure", read_only=True),
    ]

    def get_queryset(self, request):
        return self.model.objects.select_related("department")


class CohortAdminForm(WagtailAdminModelForm):
    """The admin's cohort form asks the domain what makes a cohort, as the staff pages do, and
    offers only the programmes the editor may open cohorts in (its managers, or any for a
    superuser)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "programme" in self.fields:
            field = self.fields["programme"]
            field.queryset = Programme.objects.filter(
                pk__in=[p.pk for p in field.queryset if may_create_cohort(user, p)]
            )

    def clean(self):
        data = super().clean()
        try:
            check_cohort({name: data[name] for name in self.fields if name in data})
        except ValidationError as error:
            self.add_error(None, error)
        return data


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "list-ul"
    menu_label = _("Cohorts")
    list_display = [
        "name",
        "year",
        "programme",
        "capacity",
        Column("structure_count", label=_("Structures"), sort_key="structure_count"),
        "starts_on",
        "ends_on",
    ]
    list_filter = ["programme", "year"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["-year", "name"]
    edit_handler = ObjectList(
        [
            # A plain select: its choices are the programmes the editor manages (see the form).
            FieldPanel("programme", widget=forms.Select),
            FieldRowPanel([FieldPanel("name"), FieldPanel("year"), FieldPanel("capacity")]),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            # The field's choices are limited to staff (limit_choices_to on the model).
            FieldPanel("referents", widget=forms.CheckboxSelectMultiple),
            # Read by accelerator.domain.reminders; 0 turns a reminder off.
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("remind_milestone_days"),
                            FieldPanel("remind_report_days"),
                            FieldPanel("stalled_after_days"),
                        ]
                    )
                ],
                heading=_("Reminders"),
                help_text=_("In days; 0 turns a reminder off."),
            ),
        ],
        base_form_class=CohortAdminForm,
    )

    def get_queryset(self, request):
        # Counted in the listing's one query: the count never costs a query per row.
        return self.model.objects.select_related("programme").annotate(
            structure_count=Count("accompaniments", distinct=True)
        )


# The stages in the order of the journey, for listings: the stage column holds their names.
STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(index)) for index, stage in enumerate(ACTIVE_STAGES)],
    default=Value(len(ACTIVE_STAGES)),
    output_field=IntegerField(),
)


class MilestoneTemplateViewSet(SnippetViewSet):
    model = MilestoneTemplate
    icon = "date"
    menu_label = _("Milestone templates")
    list_display = [
        "title",
        "programme",
        Column("stage", label=_("Stage"), accessor="get_stage_display", sort_key="stage_order"),
        "due_after_days",
        Column("owner", label=_("Who does it"), accessor="get_owner_display"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        "position",
        "active",
    ]
    list_filter = ["programme", "stage", "kind", "active"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["programme__name", "stage_order", "position", "pk"]
    panels = [
        FieldRowPanel([FieldPanel("programme"), FieldPanel("stage")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel(
            [
                FieldPanel("due_after_days"),
                FieldPanel("owner", widget=forms.RadioSelect),
                FieldPanel("kind", widget=forms.RadioSelect),
            ]
        ),
        FieldRowPanel([FieldPanel("position"), FieldPanel("active")]),
    ]

    def get_queryset(self, request):
        return self.model.objects.select_related("programme").annotate(stage_order=STAGE_ORDER)


class IndicatorAdminForm(WagtailAdminModelForm):
    """The model's own checks (a text is never added up, SDG targets as "8.5, 10.2", one code
    each) come back on their fields; the domain keeps an indicator in use from changing type."""

    def clean(self):
        data = super().clean()
        value_type = data.get("value_type")
        if value_type:
            try:
                check_value_type_change(self.instance, value_type)
            except Refused as refusal:
                self.add_error(None, refusal)
        return data


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "crosshairs"
    menu_label = _("Impact indicators")
    list_display = [
        "code",
        "name",
        "unit",
        Column(
            "value_type",
            label=_("Type of value"),
            accessor="get_value_type_display",
            sort_key="value_type",
        ),
        Column(
            "aggregation",
            label=_("Aggregation"),
            accessor="get_aggregation_display",
            sort_key="aggregation",
        ),
        Column(
            "category", label=_("Category"), accessor="get_category_display", sort_key="category"
        ),
        BooleanColumn("active", label=_("Offered"), sort_key="active"),
    ]
    list_filter = ["category", "value_type", "active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["category", "position", "name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("unit")]),
                    FieldPanel("name"),
                    FieldPanel("definition"),
                ],
                heading=_("What it measures"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("value_type", widget=forms.RadioSelect),
                    FieldPanel("direction", widget=forms.RadioSelect),
                    FieldPanel("aggregation", widget=forms.RadioSelect),
                ],
                heading=_("How it is counted"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("category"),
                    FieldRowPanel([FieldPanel("iris_code"), FieldPanel("sdg_targets")]),
                ],
                heading=_("References"),
            ),
            FieldRowPanel([FieldPanel("active"), FieldPanel("position")]),
        ],
        base_form_class=IndicatorAdminForm,
    )


@hooks.register("before_delete_snippet")
def keep_indicators_in_use(request, instances):
    """An indicator that plans or reports hold is kept (PROTECT): say so instead of failing."""
    indicators = [instance for instance in instances if isinstance(instance, Indicator)]
    if not indicators:
        return None
    try:
        check_deletable(indicators)
    except Refused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(Indicator.snippet_viewset.get_url_name("list"))
    return None


class ProgrammeDataGroup(SnippetViewSetGroup):
    menu_label = _("Programme data")
    menu_icon = "group"
    menu_order = 160
    items = (
        StructureViewSet,
        ProgrammeViewSet,
        SupportPointViewSet,
        CohortViewSet,
        MilestoneTemplateViewSet,
        IndicatorViewSet,
    )


register_snippet(ProgrammeDataGroup)
