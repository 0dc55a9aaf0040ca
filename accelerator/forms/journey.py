"""Forms of an accompaniment's page: moving the structure, who follows it, what the stages need
(label decisions, seed grants, payments, fundraising rounds), milestones, notes and documents.
They only parse input; the rules are in `accelerator.domain`."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.domain.accompaniments import referent_choices, support_point_choices
from accelerator.forms.structures import EuroField
from accelerator.models import (
    ACTIVE_STAGES,
    TRANSITIONS,
    Instrument,
    LabelDecision,
    Milestone,
    Visibility,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _euros(label, required=True, min_value=Decimal("0.01"), **kwargs):
    return EuroField(
        label=label,
        required=required,
        min_value=min_value,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


def _text(label, rows=2, required=False, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


# --- moving the structure


class MoveForm(forms.Form):
    """The one move form of an accompaniment's page: which move, and one comment. Any of the
    machine's moves parses, even one the page showed disabled: the runner refuses it, with the
    same reasons the page showed, so a stale page gets a clear answer."""

    move = forms.ChoiceField(
        label=_("Move"),
        choices=[(name, name) for name in TRANSITIONS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the structure goes.")},
    )
    comment = _text(
        _("Comment"),
        rows=3,
        max_length=2000,
        help_text=_(
            "Written in the journey's history. Required to exit the programme: say why the "
            "structure leaves."
        ),
    )


class PeopleForm(forms.Form):
    referent = forms.ModelChoiceField(
        label=_("Référent"),
        queryset=None,
        required=False,
        empty_label=_("No référent"),
    )
    support_point = forms.ModelChoiceField(
        label=_("Support point"),
        queryset=None,
        required=False,
        empty_label=_("No support point"),
        help_text=_("Support points of the structure's département."),
    )

    def __init__(self, *args, accompaniment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "referent": accompaniment.referent_id,
                "support_point": accompaniment.support_point_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referent_choices().order_by("first_name", "last_name")
        self.fields["referent"].label_from_instance = lambda user: user.display_name
        self.fields["support_point"].queryset = support_point_choices(accompaniment).order_by(
            "name"
        )


# --- what the stages need


class LabelDecisionForm(forms.Form):
    committee_date = forms.DateField(label=_("Committee date"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=LabelDecision.Outcome.choices, widget=forms.RadioSelect
    )
    label_name = forms.CharField(
        label=_("Label name"),
        required=False,
        max_length=200,
        help_text=_("Required when the label is granted."),
    )
    comments = _text(_("Comments"), rows=3)


class SeedGrantForm(forms.Form):
    amount = _euros(_("Amount (€)"))
    funder = forms.CharField(label=_("Funder"), max_length=200)
    agreement_signed_on = forms.DateField(
        label=_("Agreement signed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty until the agreement is signed."),
    )


class SignAgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("Agreement signed on"), widget=DateInput())


class PaymentForm(forms.Form):
    amount = _euros(_("Amount paid (€)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RoundForm(forms.Form):
    target = _euros(_("Target (€)"))
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CommitmentForm(forms.Form):
    funder = forms.CharField(label=_("Funder"), max_length=200)
    amount = _euros(_("Amount committed (€)"))


class CloseRoundForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    amount_raised = _euros(
        _("Amount raised (€)"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("Leave empty to use the sum of the commitments."),
    )


class SkipRoundForm(forms.Form):
    reason = _text(_("Why is there no fundraising?"), rows=2, required=True, max_length=2000)


# --- milestones, notes, documents


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s.value, s.label) for s in ACTIVE_STAGES])
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    owner = forms.ChoiceField(label=_("Who does it"), choices=Milestone.Owner.choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Milestone.Kind.choices,
        initial=Milestone.Kind.OTHER,
        help_text=_("A done diagnostic milestone lets a structure move on to labelling."),
    )
    description = _text(_("Description"), rows=2)


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Milestone.Status.choices)


def _visibility_choices(visibilities):
    return [(value, Visibility(value).label) for value in visibilities]


class NoteForm(forms.Form):
    body = _text(_("Note"), rows=3, required=True, max_length=10000)
    visibility = forms.ChoiceField(label=_("Visible to"), widget=forms.RadioSelect)

    def __init__(self, *args, visibilities, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the audiences the author belongs to (accelerator.domain.followup.audience).
        self.fields["visibility"].choices = _visibility_choices(visibilities)
        self.fields["visibility"].initial = visibilities[0] if visibilities else None


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("The file's name when left empty."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, an image or an office document."),
    )
    visibility = forms.ChoiceField(label=_("Visible to"), widget=forms.RadioSelect)

    def __init__(self, *args, visibilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = _visibility_choices(visibilities)
        self.fields["visibility"].initial = visibilities[0] if visibilities else None
