"""The one shape of a state machine's log: who moved what, when, from, to, and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TransitionLog(models.Model):
    """One transition of one object, written by the runner (`accelerator.domain.transitions`).

    A concrete log adds its foreign key to the object it logs, named by `subject_field`, and
    redeclares `source` and `target` with the choices of its machine's states.
    """

    # The name of the foreign key to the logged object, set by each concrete log.
    subject_field = ""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # The transition's method name, as the machine declares it.
    name = models.CharField(max_length=40)
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        subject_id = getattr(self, f"{self.subject_field}_id")
        return f"{subject_id}: {self.source} → {self.target}"
