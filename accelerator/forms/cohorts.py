"""Forms of running cohorts: the cohort a call's selection joins (an existing one or a new one),
and a structure sourced outside any call. They parse what staff type; the rules (capacity, who
may, what makes a cohort) are the domain's, in `accelerator.domain.cohorts`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.identifiers import normalise_siret
from accelerator.models import Source, Structure

NEW_COHORT = "new"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker reads and writes ISO dates whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


class CallCohortForm(forms.Form):
    """Which cohort the call's selected structures join: one of the programme's cohorts the
    person runs, or a new one described here (offered to those who may create one)."""

    cohort = forms.ChoiceField(label=_("Cohort"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name of the new cohort"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        initial=15,
        help_text=_("How many structures the cohort accompanies."),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)

    NEW_FIELDS = ("name", "year", "capacity", "starts_on", "ends_on")

    def __init__(self, *args, cohorts, may_create, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = {str(cohort.pk): cohort for cohort in cohorts}
        choices = [(key, self.cohort_label(cohort)) for key, cohort in self.cohorts.items()]
        if may_create:
            choices.append((NEW_COHORT, _("A new cohort, described below")))
        else:
            for name in self.NEW_FIELDS:
                del self.fields[name]
        self.fields["cohort"].choices = choices
        self.fields["cohort"].initial = choices[0][0] if choices else None
        self.may_create = may_create

    @staticmethod
    def cohort_label(cohort):
        taken = getattr(cohort, "structure_count", None)
        if taken is None:
            return str(cohort)
        return _("%(cohort)s: %(taken)s of %(capacity)s places taken") % {
            "cohort": cohort,
            "taken": taken,
            "capacity": cohort.capacity,
        }

    def clean(self):
        data = super().clean()
        if data.get("cohort") == NEW_COHORT:
            for name in ("name", "year", "capacity"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Needed to create the new cohort."))
        return data

    @property
    def creates(self):
        return self.cleaned_data["cohort"] == NEW_COHORT

    def chosen_cohort(self):
        return self.cohorts[self.cleaned_data["cohort"]]

    def new_cohort_fields(self):
        return {name: self.cleaned_data[name] for name in self.NEW_FIELDS}


class StructureSearchForm(forms.Form):
    """Find a structure by its name or its SIRET (spaces and dots ignored)."""

    q = forms.CharField(
        label=_("Name or SIRET"),
        max_length=100,
        required=False,
        help_text=_("A part of the name, or the first digits of the SIREN or SIRET."),
    )

    # The search shows at most this many structures: a longer list asks for a narrower search.
    LIMIT = 20


def search_structures(query):
    """Structures whose name contains `query`, or whose SIRET starts with its digits."""
    query = (query or "").strip()
    if not query:
        return Structure.objects.none()
    digits = normalise_siret(query)
    if digits.isdigit():
        found = Structure.objects.filter(siret__startswith=digits)
    else:
        found = Structure.objects.filter(name__icontains=query)
    return found.select_related("department").order_by("name", "pk")


class AddStructureForm(forms.Form):
    """A structure sourced outside any call, where it comes from, and its référent."""

    structure = forms.ModelChoiceField(
        label=_("Structure"),
        queryset=Structure.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the structure to add among the search results."),
            "invalid_choice": _("This structure no longer exists: search again."),
        },
    )
    source = forms.ChoiceField(
        label=_("Where it comes from"),
        choices=[(value, label) for value, label in Source.choices if value != Source.CALL],
        widget=forms.RadioSelect,
    )
    source_reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The lab's session, the event, or the partner who sent the structure."),
    )
    referent = forms.ModelChoiceField(
        label=_("Référent"),
        queryset=None,
        required=False,
        empty_label=_("Nobody for now"),
        help_text=_("The member of staff who follows the structure."),
    )

    def __init__(self, *args, referents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if referents is None:
            del self.fields["referent"]
        else:
            self.fields["referent"].queryset = referents
            self.fields["referent"].label_from_instance = lambda user: user.display_name
