"""The partners' names of each dossier, normalised and stored, so that the conflicts Essor
suggests (a juror's organisation listed as a partner) are found by an index, not by reading every
dossier of the call.

Written by `applications.domain.conflicts.refresh_partner_names` when a dossier's answers are
saved and when it is submitted. A superset: the names of every table of the answers, whatever
the form says; the exact rule is applied to the few dossiers found.
"""

from django.db import models

from applications.models.calls import Call
from applications.models.dossiers import Dossier


class DossierPartnerName(models.Model):
    """One name (`conflicts.normalise_name`) typed in a table of a dossier's answers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    # The dossier's call (it never changes): the suggestions look names up per call.
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    name = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["call", "name"], name="partner_name_call_name")]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "name"], name="partner_name_unique")
        ]

    def __str__(self):
        return self.name
