"""The agenda's forms: a visitor's filter and a proposal. Required fields are checked by the
domain (`cms.domain.agenda`), whose messages say what to do."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms.journey import DateInput
from accelerator.forms.widgets import QuickSelect
from accelerator.models import Department
from cms.domain.agenda_listing import AgendaFilter
from cms.models import Actor, EntryKind, ModerationState, Theme


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _departments():
    return Department.objects.order_by("code")


class AgendaFilterForm(forms.Form):
    starts_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_by = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=_departments(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All")), *Theme.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *EntryKind.choices], required=False
    )

    def agenda_filter(self):
        """The filter asked for; the valid parts only when some are not."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return AgendaFilter(
            starts_from=data.get("starts_from"),
            ends_by=data.get("ends_by"),
            department=data.get("department"),
            theme=data.get("theme") or "",
            kind=data.get("kind") or "",
        )


class EntryForm(forms.Form):
    """A proposal of an agenda entry, or its correction."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=EntryKind.choices, required=False, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, or simple HTML: paragraphs, bold, italics, lists and links."),
    )
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)
    organiser_name = forms.CharField(
        label=_("Organiser's name, if not in the list"), max_length=200, required=False
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"),
        queryset=Actor.objects.filter(state=ModerationState.APPROVED).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Actors of the directory who organise it with you: it shows on their page."),
    )
    starts_on = forms.DateField(label=_("First day"), required=False, widget=DateInput())
    starts_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    ends_on = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when it takes one day."),
    )
    ends_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave both times empty for whole days (an action over a period)."),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )
    department = forms.ModelChoiceField(
        label=_("Département"), queryset=_departments(), required=False, widget=QuickSelect
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    registration_link = forms.URLField(
        label=_("Registration link"), required=False, assume_scheme="https", max_length=200
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, 2 MB at most."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    image_alt = forms.CharField(label=_("Image description"), max_length=250, required=False)

    # Marked with a star; the domain says what is missing.
    marked_required = ("kind", "title", "description", "starts_on", "department", "themes")

    def __init__(self, *args, organiser_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [("", _("Not in the list")), *organiser_choices]
        for name in self.marked_required:
            self.fields[name].marked_required = True
            if not getattr(self.fields[name].widget, "use_fieldset", False):
                # Said to screen readers too (the star is hidden from them); a group says it
                # in its legend (cms/templates/cms/agenda/_field.html).
                self.fields[name].widget.attrs["aria-required"] = "true"
