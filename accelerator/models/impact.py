"""Impact measurement, the journey's last stage: the catalogue of indicators staff keep, and each
accompaniment's impact plan (its indicators, with a baseline and a target, agreed by both sides).
The periodic reports against the plan are in `accelerator.models.reports`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.models.journey import Accompaniment, Cohort


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENTAGE = "percentage", _("Percentage")
    MONEY = "money", _("Amount in euros")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Text")


# The types whose values are numbers (a yes is 1, a no 0): they have baselines, targets, charts.
NUMERIC_TYPES = [ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENTAGE, ValueType.MONEY]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    NONE = "none", _("None (not added up across structures)")


class IndicatorCategory(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment and insertion")
    PEOPLE = "people", _("People reached")
    ECONOMIC = "economic", _("Economic")
    ENVIRONMENT = "environment", _("Environment")
    TERRITORY = "territory", _("Territory")
    GOVERNANCE = "governance", _("Governance and cooperation")


sdg_targets_validator = RegexValidator(
    r"^\s*(\d{1,2}\.[0-9a-z]{1,2})(\s*,\s*\d{1,2}\.[0-9a-z]{1,2})*\s*$",
    _("Write the SDG targets as their numbers, separated by commas: “8.5, 10.2”."),
)


class Indicator(models.Model):
    """A social-impact indicator of the programme's catalogue, in the vocabulary of the French
    ESS (Avise's guidance, VISES), with its IRIS+ metric and the UN SDG targets it serves."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short stable name, used in exports: “jobs-fte”."),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), help_text=_("What is counted, and how."))
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("“FTE”, “people”, “tonnes”…")
    )
    value_type = models.CharField(
        _("type of value"), max_length=12, choices=ValueType.choices, default=ValueType.INTEGER
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregation across structures"),
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    category = models.CharField(_("category"), max_length=16, choices=IndicatorCategory.choices)
    iris_code = models.CharField(
        _("IRIS+ metric"), max_length=20, blank=True, help_text=_("For example “OI4112”.")
    )
    sdg_targets = models.CharField(
        _("SDG targets"),
        max_length=100,
        blank=True,
        validators=[sdg_targets_validator],
        help_text=_("The UN Sustainable Development Goal targets it serves: “8.5, 10.2”."),
    )
    active = models.BooleanField(
        _("offered for new plans"),
        default=True,
        help_text=_("An indicator no longer offered stays in the plans that chose it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")
        ordering = ["category", "position", "name"]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def clean(self):
        if self.value_type == ValueType.TEXT and self.aggregation != Aggregation.NONE:
            raise ValidationError(
                {"aggregation": _("Texts cannot be added up: choose “None”.")}, code="aggregation"
            )

    @property
    def is_numeric(self):
        return self.value_type in NUMERIC_TYPES

    @property
    def sdg_target_list(self):
        return [target.strip() for target in self.sdg_targets.split(",") if target.strip()]


class ImpactPlan(models.Model):
    """The indicators an accompanied structure commits to, agreed by the structure and by its
    référent or a programme manager. Changing a line after agreement asks both to agree again
    (`accelerator.domain.impact_plans`)."""

    accompaniment = models.OneToOneField(
        Accompaniment, on_delete=models.CASCADE, related_name="impact_plan"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    structure_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    structure_agreed_at = models.DateTimeField(_("agreed by the structure at"), null=True)
    staff_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff_agreed_at = models.DateTimeField(_("agreed by the programme at"), null=True)

    class Meta:
        verbose_name = _("impact plan")
        verbose_name_plural = _("impact plans")

    def __str__(self):
        return str(self.accompaniment)

    @property
    def is_agreed(self):
        return self.structure_agreed_at is not None and self.staff_agreed_at is not None


class PlannedIndicator(models.Model):
    """One indicator of a plan, with where the structure starts and where it aims to be. Numbers
    are in the indicator's unit (a yes is 1, a no 0); a text indicator keeps its words."""

    plan = models.ForeignKey(ImpactPlan, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="planned", verbose_name=_("indicator")
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_text = models.TextField(_("baseline"), blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_text = models.TextField(_("target"), blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("planned indicator")
        verbose_name_plural = _("planned indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="plan_indicator_once")
        ]

    def __str__(self):
        return str(self.indicator)


class ReportingSchedule(models.Model):
    """When a cohort's structures report on their impact: a report every `every_months`, counted
    from the day each structure enters impact measurement, `reports` in all, the last one the
    final report when `last_is_final`; each due `due_within_days` after its period ends."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="reporting_schedule"
    )
    every_months = models.PositiveSmallIntegerField(
        _("a report every (months)"), default=6, validators=[MinValueValidator(1)]
    )
    reports = models.PositiveSmallIntegerField(
        _("number of reports"), default=3, validators=[MinValueValidator(1)]
    )
    last_is_final = models.BooleanField(_("the last report is the final report"), default=True)
    due_within_days = models.PositiveSmallIntegerField(
        _("due (days after the period ends)"), default=30
    )

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")

    def __str__(self):
        return str(self.cohort)
