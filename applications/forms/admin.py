"""The Wagtail admin forms and panels of a call: eligibility as checkboxes, a readable grid."""

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel
from wagtail.admin.panels.base import get_form_for_model

from accelerator.models import LegalForm

PARIS = "Europe/Paris"


def _zone_help_text():
    # The admin shows times in the editor's time zone (Paris unless their profile says otherwise).
    zone = timezone.get_current_timezone_name()
    if zone == PARIS:
        return gettext("Date and time in Paris time (Europe/Paris).")
    return gettext("Date and time in the %(zone)s time zone.") % {"zone": zone}


def _zone_heading():
    zone = timezone.get_current_timezone_name()
    if zone == PARIS:
        return gettext("Opening and closing (Paris time)")
    return gettext("Opening and closing (%(zone)s)") % {"zone": zone}


zone_help_text = lazy(_zone_help_text, str)()
zone_heading = lazy(_zone_heading, str)()


class CallAdminForm(WagtailAdminPageForm):
    """The call's edit form: legal forms are stored as a list of codes, chosen with checkboxes."""

    eligible_legal_forms = forms.MultipleChoiceField(
        label=_("Eligible legal forms"),
        choices=LegalForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave every box empty to accept every legal form."),
    )

    def clean(self):
        # Every problem at once, each on its field (the model's own check stops at the first).
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("A call must close after it opens."))
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The maximum budget is below the minimum."))
        return cleaned

    def _post_clean(self):
        # The model's clean() repeats the checks above; show each message once.
        super()._post_clean()
        for name in ("closes_at", "budget_max"):
            errors = self._errors.get(name)
            if not errors:
                continue
            seen, unique = set(), []
            for error in errors.as_data():
                text = " ".join(error.messages)
                if text not in seen:
                    seen.add(text)
                    unique.append(error)
            if len(unique) != len(errors):
                self._errors[name] = self.error_class(unique, renderer=self.renderer)

    def clean_eligible_legal_forms(self):
        # Stored in the order of the choices, whatever the order of the boxes ticked.
        chosen = set(self.cleaned_data.get("eligible_legal_forms") or [])
        return [value for value in LegalForm.values if value in chosen]


class CriterionAdminForm(WagtailAdminModelForm):
    """A criterion of the grid; a reversed scale is reported on the field, in plain words."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error(
                "scale_max", _("The highest score must be greater than the lowest score.")
            )
        return cleaned


class CriteriaPanel(InlinePanel):
    """The evaluation grid's inline panel, with the criterion form above."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        child_options = self.child_edit_handler.get_form_options()
        formset["form"] = get_form_for_model(
            self.db_field.related_model,
            form_class=CriterionAdminForm,
            defer_required_on_fields=child_options.get("defer_required_on_fields", []),
        )
        return options
