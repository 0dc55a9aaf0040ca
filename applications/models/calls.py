"""Calls for applications and their evaluation grid."""

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from accelerator.models import Department, LegalForm, Programme
from applications.blocks import ApplicationFormBlock, TimelineStepBlock
from applications.forms.admin import (
    AutomaticStepsPanel,
    CallAdminForm,
    CriteriaPanel,
    zone_heading,
)
from applications.forms.live_form import DossierCountsPanel
from applications.models.page_languages import SiteLanguagesMixin


class CallKind(models.TextChoices):
    STRUCTURES = "structures", _("Structures")
    COALITIONS = "coalitions", _("Territorial coalitions (a lead and partners)")
    # The selected structures become the programme's points d'appui in their département
    # (applications.domain.support_point_calls), not a cohort.
    SUPPORT_POINTS = "support_points", _("Points d'appui (territorial partners of the programme)")


class CallPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Call(SiteLanguagesMixin, Page):
    """A call for applications: its public page, its dates, its rules, its form and its grid."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    summary = models.TextField(_("summary"), max_length=500)
    description = RichTextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CallKind.choices, default=CallKind.STRUCTURES
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    timeline = StreamField([("step", TimelineStepBlock())], blank=True, verbose_name=_("timeline"))
    eligible_departments = ParentalManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("eligible départements"),
        help_text=_("Leave empty to accept every département."),
    )
    eligible_legal_forms = models.JSONField(
        _("eligible legal forms"),
        default=list,
        blank=True,
        help_text=_("Leave empty to accept every legal form."),
    )
    esus_required = models.BooleanField(_("ESUS agrément required"), default=False)
    min_age_years = models.PositiveSmallIntegerField(
        _("minimum age (years)"), null=True, blank=True
    )
    budget_min = models.DecimalField(
        _("minimum annual budget (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_max = models.DecimalField(
        _("maximum annual budget (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    jurors_per_dossier = models.PositiveSmallIntegerField(
        _("jurors per dossier"), default=3, validators=[MinValueValidator(1)]
    )
    max_dossiers_per_juror = models.PositiveSmallIntegerField(
        _("maximum dossiers per juror"), null=True, blank=True
    )
    exclude_same_department = models.BooleanField(
        _("never assign a juror a dossier from their own département"), default=False
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (standard deviation)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    form = StreamField(ApplicationFormBlock(), blank=True, verbose_name=_("application form"))
    # Reminders of this call (applications.domain.reminders); 0 turns one off.
    remind_closing_first_days = models.PositiveSmallIntegerField(
        _("first reminder before closing (days)"), default=7
    )
    remind_closing_second_days = models.PositiveSmallIntegerField(
        _("second reminder before closing (days)"), default=2
    )
    remind_closing_day_hour = models.PositiveSmallIntegerField(
        _("reminder on the closing day, at (hour, Paris time)"),
        default=9,
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text=_("Leave empty for no reminder on the closing day."),
    )
    remind_info_after_days = models.PositiveSmallIntegerField(
        _("reminder of an unanswered request for information after (days)"), default=5
    )
    remind_info_before_days = models.PositiveSmallIntegerField(
        _("reminder before the reply deadline of a request for information (days)"), default=2
    )
    remind_reviews_before_days = models.PositiveSmallIntegerField(
        _("reminder of pending reviews before the review phase closes (days)"), default=3
    )

    parent_page_types = ["cms.CallIndexPage"]
    subpage_types = []
    template = "applications/call_page.html"

    base_form_class = CallAdminForm

    content_panels = Page.content_panels + [
        FieldPanel("programme"),
        FieldPanel("kind", widget=forms.RadioSelect),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=zone_heading,
        ),
        MultiFieldPanel(
            [AutomaticStepsPanel(), FieldPanel("timeline", heading=_("Other steps"))],
            heading=_("Timeline"),
        ),
    ]
    eligibility_panels = [
        MultiFieldPanel(
            [
                # Grouped by région, with a filter box: CallAdminForm sets its widget.
                FieldPanel("eligible_departments"),
                FieldPanel("eligible_legal_forms"),
                FieldPanel("esus_required"),
                FieldPanel("min_age_years"),
                FieldRowPanel([FieldPanel("budget_min"), FieldPanel("budget_max")]),
            ],
            heading=_("Eligibility criteria"),
        )
    ]
    form_panels = [DossierCountsPanel(), FieldPanel("form")]
    grid_panels = [CriteriaPanel(min_num=0)]
    reminder_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("remind_closing_first_days"),
                        FieldPanel("remind_closing_second_days"),
                    ]
                ),
                FieldPanel("remind_closing_day_hour"),
            ],
            heading=_("Before the call closes"),
            help_text=_(
                "To the owners and editors of structures whose dossier is still a draft. "
                "0 days turns a reminder off."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("remind_info_after_days"),
                        FieldPanel("remind_info_before_days"),
                    ]
                ),
            ],
            heading=_("Requests for information"),
            help_text=_(
                "To the owners and editors of a structure that has not answered yet, at 9:00 "
                "Paris time. 0 days turns a reminder off."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("remind_reviews_before_days")],
            heading=_("Jury"),
            help_text=_("To the jurors with reviews still to do. 0 days turns it off."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Call")),
            ObjectList(eligibility_panels, heading=_("Eligibility")),
            ObjectList(form_panels, heading=_("Application form")),
            ObjectList(grid_panels, heading=_("Evaluation grid")),
            ObjectList(reminder_panels, heading=_("Reminders")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def copy_for_translation(self, locale, *args, **kwargs):
        # A copy would be a second call, with no dossiers and no jury: a call is shown in each
        # language at its address instead (applications/models/page_languages.py).
        raise PermissionDenied(
            _("A call is not translated: it is shown in every language, as its texts are written.")
        )

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})
        if self.budget_min and self.budget_max and self.budget_max < self.budget_min:
            raise ValidationError({"budget_max": _("The maximum budget is below the minimum.")})
        unknown = set(self.eligible_legal_forms or []) - set(LegalForm.values)
        if unknown:
            raise ValidationError({"eligible_legal_forms": _("Unknown legal form.")})

    def phase(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return CallPhase.UPCOMING
        if now < self.closes_at:
            return CallPhase.OPEN
        return CallPhase.CLOSED

    preview_modes = [("", _("Public page")), ("form", _("Application form"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "form":
            from applications.forms.live_form import preview_response

            return preview_response(self, request)
        return super().serve_preview(request, mode_name)

    @property
    def is_open(self):
        return self.phase() == CallPhase.OPEN


class EvaluationCriterion(Orderable):
    """A criterion of a call's evaluation grid; jurors score each dossier on it."""

    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    allow_not_applicable = models.BooleanField(_("“not applicable” allowed"), default=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldPanel("allow_not_applicable"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_ordered"
            )
        ]

    def __str__(self):
        return self.title
