"""Forms of a call's review phases: one phase, its dates typed in Paris time."""

from django import forms
from django.utils.translation import gettext_lazy

from applications.forms.staff import ParisDateTimeField
from applications.models import PeerScores, ReviewPhase


class ReviewPhaseForm(forms.ModelForm):
    starts_at = ParisDateTimeField(label=gettext_lazy("Starts (Paris time)"))
    ends_at = ParisDateTimeField(label=gettext_lazy("Ends (Paris time)"))

    class Meta:
        model = ReviewPhase
        fields = ["name", "starts_at", "ends_at", "presidents_only", "peer_scores", "blind"]
        widgets = {"peer_scores": forms.RadioSelect}
        help_texts = {
            "presidents_only": gettext_lazy(
                "When ticked, only the jurors whose role is president can review in this phase."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer_scores"].choices = PeerScores.choices

    def _post_clean(self):
        # The domain checks order and overlaps (under a lock); the model's own checks would
        # only repeat them with a less helpful message.
        pass
