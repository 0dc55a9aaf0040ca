"""A juror's report that a dossier, read blind, still gives away who applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.dossiers import Dossier
from applications.models.jury import Juror


class BlindLeakReport(models.Model):
    """What a juror recognised in a blind dossier. Staff read it on the dossier's blind preview,
    add the terms to hide to the dossier, and mark the report resolved."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="blind_leak_reports"
    )
    # Kept when the juror leaves the jury: the leak is still there to fix.
    juror = models.ForeignKey(
        Juror, on_delete=models.SET_NULL, null=True, related_name="blind_leak_reports"
    )
    text = models.TextField(_("what gives the applicant away"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("blind review leak report")
        verbose_name_plural = _("blind review leak reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.dossier.reference} — {self.created_at:%Y-%m-%d}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None
