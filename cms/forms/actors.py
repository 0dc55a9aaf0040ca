"""The directory's forms: a visitor's search and filter, and an actor's entry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms.widgets import QuickSelect
from accelerator.models import Department
from cms.domain.directory import DirectoryFilter
from cms.models import ActorKind, Offer, Theme


def _all(choices):
    return [("", _("All")), *choices]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or description"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(ActorKind.choices), required=False)
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=_all(Theme.choices), required=False)
    offer = forms.ChoiceField(label=_("Offers"), choices=_all(Offer.choices), required=False)

    def directory_filter(self):
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return DirectoryFilter(
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            department=data.get("department"),
            theme=data.get("theme") or "",
            offer=data.get("offer") or "",
        )


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(ActorKind.choices)[1:], required=False)
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.order_by("code"),
        required=False,
        widget=QuickSelect,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offers = forms.MultipleChoiceField(
        label=_("What you offer structures"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    marked_required = ("name", "kind", "department", "themes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.marked_required:
            self.fields[name].marked_required = True
            if not getattr(self.fields[name].widget, "use_fieldset", False):
                # Said to screen readers too (the star is hidden from them); a group says it
                # in its legend (cms/templates/cms/agenda/_field.html).
                self.fields[name].widget.attrs["aria-required"] = "true"
