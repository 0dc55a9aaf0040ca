"""Dossiers, their state machine, their history and their attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accelerator.models import Structure, TransitionLog

# Also here under its old name: migrations refer to applications.models.dossiers.private_storage.
from accelerator.storage import PrivateStorage, private_storage  # noqa: F401
from applications.models.calls import Call


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = DossierState
# A dossier can be withdrawn at any time before a decision.
WITHDRAWABLE = [S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, S.ELIGIBLE, S.UNDER_REVIEW, S.SHORTLISTED]


class Dossier(ConcurrentTransitionMixin, models.Model):
    """A structure's application to a call. Its state changes only through the transitions below,
    called by `applications.domain.dossiers.change_state`."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="dossiers")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="dossiers")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state = FSMField(
        _("state"), default=S.DRAFT, choices=DossierState.choices, protected=True, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Incremented at every save of the answers: a save based on an older revision is refused.
    revision = models.PositiveIntegerField(default=0)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The form the applicant answered, copied at submission: later edits to the call never alter it.
    form_snapshot = models.JSONField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    deadline_extended_to = models.DateTimeField(_("personal deadline"), null=True, blank=True)
    audition_at = models.DateTimeField(_("audition"), null=True, blank=True)
    shortlist_notes = models.TextField(_("shortlist notes"), blank=True)
    deadline_extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deadline_extended_at = models.DateTimeField(null=True, blank=True)
    deadline_extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # The open request for information: when it was made and the date asked for the reply.
    info_requested_at = models.DateTimeField(_("information requested at"), null=True, blank=True)
    info_reply_due_at = models.DateTimeField(_("reply expected by"), null=True, blank=True)
    # Words that name the applicant but that blind review cannot guess (a nickname, a project's
    # name): staff add them, usually after a juror reported a leak (applications.domain.blind).
    # On the dossier, not in a table of their own: the juror's page reads them at no extra query.
    blind_terms = models.JSONField(_("terms hidden in blind review"), default=list, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "structure"],
                condition=~Q(state="withdrawn"),
                name="dossier_one_live_per_structure_and_call",
            )
        ]

    def __str__(self):
        return f"{self.reference} — {self.structure}"

    @property
    def deadline(self):
        """The closing time that applies to this dossier, a personal extension included."""
        if self.deadline_extended_to and self.deadline_extended_to > self.call.closes_at:
            return self.deadline_extended_to
        return self.call.closes_at

    def deadline_passed(self, now=None):
        return (now or timezone.now()) >= self.deadline

    @property
    def is_editable(self):
        return self.state in (S.DRAFT, S.INFO_REQUESTED)

    # --- the machine: every transition is written out here. Conditions that need more than the
    # dossier itself (completeness, deadline) are checked by the domain function before calling.

    @transition(field=state, source=[S.DRAFT, S.INFO_REQUESTED], target=S.SUBMITTED)
    def submit(self):
        # The first submission freezes the form answered; a re-submission after a request for
        # information keeps that copy, so the answers and their questions always match.
        if self.form_snapshot is None:
            self.form_snapshot = [dict(block) for block in self.call.form.raw_data]
        self.submitted_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.INFO_REQUESTED)
    def request_info(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.ELIGIBLE)
    def mark_eligible(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.INELIGIBLE)
    def mark_ineligible(self):
        pass

    @transition(field=state, source=S.ELIGIBLE, target=S.UNDER_REVIEW)
    def start_review(self):
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.SHORTLISTED)
    def shortlist(self):
        pass

    @transition(field=state, source=[S.SHORTLISTED, S.WAITLISTED], target=S.SELECTED)
    def select(self):
        pass

    @transition(field=state, source=S.SHORTLISTED, target=S.WAITLISTED)
    def waitlist(self):
        pass

    @transition(field=state, source=[S.UNDER_REVIEW, S.SHORTLISTED], target=S.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=WITHDRAWABLE, target=S.WITHDRAWN)
    def withdraw(self):
        pass


class DossierTransition(TransitionLog):
    """The log of a dossier's state changes: who, when, from, to, and why."""

    subject_field = "dossier"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=20, choices=DossierState.choices)
    target = models.CharField(max_length=20, choices=DossierState.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("dossier transition")
        verbose_name_plural = _("dossier transitions")


def attachment_path(instance, filename):
    return f"dossiers/{instance.dossier.call_id}/{instance.dossier_id}/{filename}"


class Attachment(models.Model):
    """A file answering a file question of a dossier; stored privately, served after a check."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    field_id = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @cached_property
    def extension(self):
        return self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""
