"""The ranking's and the review progress's stored figures: one row per dossier (its counted
reviews, its assignments and reviews) and one per juror, kept up to date with every change.

The rules that make the figures are in `applications.domain.ranking`; the functions that write
these rows (in the transaction of every change that moves them) in
`applications.domain.ranking_rows`. The staff ranking reads these rows instead of ranking the
whole call at every request.
"""

from django.db import models
from django.utils import timezone

from applications.models.calls import Call
from applications.models.dossiers import Dossier
from applications.models.jury import Juror


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
    # The review progress: every assignment and review, counted or not.
    assigned = models.PositiveIntegerField(default=0)
    drafts = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    # Whether the review progress lists the dossier: in (or past) review, or assigned.
    listed = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The places of a page's rows count the call's rows above each mean.
            models.Index(fields=["call", "weighted_mean"], name="ranking_call_mean"),
            # The review progress reads its pages down this one: fewest reviews first.
            models.Index(
                fields=["call", "submitted", "reference"],
                condition=models.Q(listed=True),
                name="ranking_call_progress",
            ),
            # The assignment page reads its pages down this one: fewest jurors first.
            models.Index(fields=["call", "assigned", "reference"], name="ranking_call_assigned"),
        ]

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


class JurorProgress(models.Model):
    """A juror's review progress over all their assignments, as the staff's progress page shows
    it: `started` (a draft), `submitted`, and `owed` (`review_progress.owed_reviews`); and their
    declarations, as the jury page counts them: `declared` (every answer) and `conflicts` (those
    other than "no conflict"). Written with the dossiers' rows (`applications.domain.ranking_rows`);
    a juror without a row has none."""

    juror = models.OneToOneField(
        Juror, on_delete=models.CASCADE, primary_key=True, related_name="progress"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    assigned = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    owed = models.PositiveIntegerField(default=0)
    declared = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.juror_id}: {self.submitted}/{self.assigned}"

    @classmethod
    def of(cls, juror):
        """The juror's figures, read with them (`select_related("progress")`): zeros for a juror
        without a row."""
        return getattr(juror, "progress", None) or cls()
