"""The ranking's stored figures: one row per dossier, kept up to date with its counted reviews.

The rules that make the figures are in `applications.domain.ranking`; the functions that write
these rows (in the transaction of every change that moves them) in
`applications.domain.ranking_rows`. The staff ranking reads these rows instead of ranking the
whole call at every request.
"""

from django.db import models
from django.utils import timezone

from applications.models.calls import Call
from applications.models.dossiers import Dossier


class DossierRanking(models.Model):
    """A dossier's figures over its counted reviews, as `ranked_dossiers` computes them.

    `call` and `reference` repeat the dossier's (neither changes once the dossier exists). A
    dossier without a row has no counted review: the ranking reads it as such."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, primary_key=True, related_name="ranking"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=30)
    weighted_mean = models.FloatField(null=True)
    median = models.FloatField(null=True)
    spread = models.FloatField(null=True)
    review_count = models.PositiveIntegerField(default=0)
    yes_count = models.PositiveIntegerField(default=0)
    maybe_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The places of a page's rows count the call's rows above each mean.
        indexes = [models.Index(fields=["call", "weighted_mean"], name="ranking_call_mean")]

    def __str__(self):
        return f"{self.reference}: {self.weighted_mean}"


class CallRankingGrid(models.Model):
    """The evaluation grid the stored figures of a call were computed with: when staff change
    the grid (weights, scales, criteria), the signature differs and the call's rows are computed
    again on the next read."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, primary_key=True, related_name="+")
    signature = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.call_id}: {self.signature}"
