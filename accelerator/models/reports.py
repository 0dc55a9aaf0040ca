"""Impact reports: one per period of the cohort's schedule, with a value per indicator of the
plan, a narrative and evidence, and their own state machine, read in this one file:

    due -> draft -> submitted -> validated
                        \\-> changes_requested -> submitted

A validated report is frozen; a correction is a new version of it, with a reason, and both are
kept. Its state changes only through `accelerator.domain.impact_reports`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accelerator.models.impact import Indicator
from accelerator.models.journey import Accompaniment
from accelerator.models.transitions import TransitionLog
from accelerator.storage import private_storage


class ReportState(models.TextChoices):
    DUE = "due", pgettext_lazy("state of an impact report", "Due")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    VALIDATED = "validated", _("Validated")


R = ReportState
# The states in which the structure still has to act: such a report past its due date is late.
OPEN_REPORT_STATES = [R.DUE, R.DRAFT, R.CHANGES_REQUESTED]
# The states in which the structure may change what it reports.
EDITABLE_REPORT_STATES = [R.DUE, R.DRAFT, R.CHANGES_REQUESTED]


class ImpactReport(ConcurrentTransitionMixin, models.Model):
    """An accompanied structure's report on one period of its impact plan."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="impact_reports"
    )
    # The period's place in the schedule (1, 2, …) and the version of its report (corrections).
    number = models.PositiveSmallIntegerField(_("report number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_final = models.BooleanField(_("final report"), default=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    state = FSMField(_("state"), default=R.DUE, choices=ReportState.choices, protected=True)
    narrative = models.TextField(_("narrative"), blank=True)
    # A correction: the validated version it corrects, and why.
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Set when a newer version of the report is validated: the figures are then the newer ones.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")
        ordering = ["accompaniment", "number", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["accompaniment", "number", "version"], name="impact_report_version_once"
            )
        ]

    def __str__(self):
        return f"{self.accompaniment} — {self.number}.{self.version}"

    def is_late(self, today=None):
        """Still waiting for the structure, past its due date (dates are days in Paris)."""
        return self.state in OPEN_REPORT_STATES and self.due_on < (today or timezone.localdate())

    @classmethod
    def late_q(cls, today, prefix=""):
        """The database form of `is_late`; `prefix` reaches reports from another model."""
        return models.Q(**{f"{prefix}state__in": OPEN_REPORT_STATES, f"{prefix}due_on__lt": today})

    @property
    def is_editable(self):
        return self.state in EDITABLE_REPORT_STATES

    # --- the machine: every transition is written out here; `change_report_state` runs them.

    @transition(field=state, source=R.DUE, target=R.DRAFT)
    def start(self):
        pass

    @transition(field=state, source=[R.DUE, R.DRAFT, R.CHANGES_REQUESTED], target=R.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=R.SUBMITTED, target=R.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=state, source=R.SUBMITTED, target=R.VALIDATED)
    def validate(self):
        self.validated_at = timezone.now()


REPORT_TRANSITIONS = ["start", "submit", "request_changes", "validate"]


class ImpactReportTransition(TransitionLog):
    """The log of a report: each move, who made it, when, and the comment sent with it."""

    subject_field = "report"

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=20, choices=ReportState.choices)
    target = models.CharField(max_length=20, choices=ReportState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("impact report transition")
        verbose_name_plural = _("impact report transitions")


class ReportValue(models.Model):
    """What a report says of one indicator of the plan: a number (in the indicator's unit, a yes
    is 1) or a text, or that it was not measured this period and why."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("value"), blank=True)
    not_measured = models.BooleanField(_("not measured this period"), default=False)
    not_measured_reason = models.TextField(_("why it was not measured"), blank=True)
    # Read when the report is validated, against the agreed plan: whether the value is where the
    # path from the baseline to the target expects it (None: no target to compare with).
    on_track = models.BooleanField(_("on track"), null=True, blank=True)
    # The structure's most recent validated figure of this indicator (the dashboards sum these).
    is_latest = models.BooleanField(default=False, db_index=True)
    # The structure's consent to show this validated figure publicly.
    public = models.BooleanField(_("may be shown publicly"), default=False)
    public_changed_at = models.DateTimeField(null=True, blank=True)
    public_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_value_once")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value if self.value is not None else self.text}"


def evidence_path(instance, filename):
    return f"impact/{instance.report.accompaniment_id}/{instance.report_id}/{filename}"


class ReportEvidence(models.Model):
    """A file that backs a report's figures (payslips summary, attendance sheets, invoices),
    stored privately and served after a check of who may see the report."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReportComment(models.Model):
    """A comment on a report by staff or the structure's support point, seen by everyone who
    sees the report."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]
