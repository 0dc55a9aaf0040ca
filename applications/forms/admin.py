"""The Wagtail admin forms and panels of a call: Paris dates typed the French way, eligibility as
checkboxes grouped by région, plain messages, a readable grid, the automatic timeline steps."""

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel, MultiFieldPanel, Panel
from wagtail.admin.panels.base import get_form_for_model
from wagtail.models import Page

from accelerator.models import Department, LegalForm, Programme
from applications.forms.dates import (
    CLOSES,
    OPENS,
    ParisDateTimeField,
    ParisDateTimeInput,
    moment_text,
)
from applications.forms.live_form import LiveFormMixin

zone_heading = _("Opening and closing (Paris time)")
ZONE_HELP_TEXT = _("Date and time in Paris time (Europe/Paris).")


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group, with a filter box (static script, no inline code)."""

    template_name = "applications/admin/departments_widget.html"


def departments_by_region(programme):
    """The départements as choices grouped by région, the programme's own région first."""
    own = programme.region_id if programme else None
    groups = {}
    for department in Department.objects.select_related("region").order_by("code"):
        groups.setdefault(department.region, []).append((department.pk, str(department)))
    regions = sorted(groups, key=lambda region: (region.pk != own, region.name))
    return [(region.name, groups[region]) for region in regions]


class CallAdminForm(LiveFormMixin, WagtailAdminPageForm):
    """The call's edit form: dates in Paris time, legal forms stored as a list of codes chosen
    with checkboxes, départements grouped by région, messages in plain words."""

    opens_at = ParisDateTimeField(
        label=_("Opens at"), help_text=ZONE_HELP_TEXT, widget=ParisDateTimeInput(OPENS)
    )
    closes_at = ParisDateTimeField(
        label=_("Closes at"), help_text=ZONE_HELP_TEXT, widget=ParisDateTimeInput(CLOSES)
    )
    eligible_legal_forms = forms.MultipleChoiceField(
        label=_("Eligible legal forms"),
        choices=LegalForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave every box empty to accept every legal form."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = self._preselect_programme()
        if "eligible_departments" in self.fields:
            field = self.fields["eligible_departments"]
            field.widget = GroupedCheckboxes()
            field.choices = departments_by_region(programme)
        if "slug" in self.fields:
            self.fields["slug"].label = _("Address of the page")
            self.fields["slug"].help_text = _(
                "The end of the page's web address: lowercase letters, digits and hyphens."
            )

    def _preselect_programme(self):
        """The call's programme. While there is a single programme, it is chosen and shown
        read-only, on a new call as on an existing one: there is nothing else to choose, and a
        call cannot be saved without one. With several, Wagtail's chooser is kept."""
        programmes = list(Programme.objects.all()[:2])
        field = self.fields.get("programme")
        if field is not None and len(programmes) == 1:
            only = programmes[0]
            if not self.initial.get("programme"):
                self.initial["programme"] = only.pk
            field.widget = forms.Select(choices=[(only.pk, str(only))])
            field.disabled = True
            field.help_text = _("The only programme for now.")
        if self.instance.programme_id:
            return self.instance.programme
        return programmes[0] if len(programmes) == 1 else None

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

    def clean_slug(self):
        # Plain ASCII whatever was typed or pasted: “été” becomes “ete”, as the title's sync does.
        slug = self.cleaned_data.get("slug")
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        return slugify(slug, allow_unicode=allow_unicode) or slug

    def _post_clean(self):
        super()._post_clean()
        # The model's clean() repeats the checks above; show each message once.
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
        self._explain_taken_address()

    def _explain_taken_address(self):
        """Wagtail says “The slug … is already in use within the parent page” (twice: the form
        and the model). Say it once, in plain words, with a free address to use instead."""
        if "slug" not in self._errors or not self.parent_page:
            return
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("slug") or "")
        if not slug:
            return
        if Page._slug_is_available(slug, self.parent_page, self.instance):
            return
        self._errors["slug"] = self.error_class(
            [
                _("Another page of this site already uses the address “%(slug)s”. Try “%(free)s”.")
                % {"slug": slug, "free": free_slug(slug, self.parent_page, self.instance)}
            ],
            renderer=self.renderer,
        )

    def clean_eligible_legal_forms(self):
        # Stored in the order of the choices, whatever the order of the boxes ticked.
        chosen = set(self.cleaned_data.get("eligible_legal_forms") or [])
        return [value for value in LegalForm.values if value in chosen]


def free_slug(slug, parent, page):
    """The first of “slug-2”, “slug-3”… that no sibling of `page` uses."""
    number = 2
    while not Page._slug_is_available(f"{slug}-{number}", parent, page):
        number += 1
    return f"{slug}-{number}"


WEIGHT_MESSAGE = _("The weight is a positive number, for example 1 or 0.5.")


class CriterionAdminForm(WagtailAdminModelForm):
    """A criterion of the grid; a reversed scale or a wrong weight is said in plain words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weight = self.fields.get("weight")
        if weight is not None:
            # “0,5” in French as well as “0.5”: read and shown in the editor's language, in a
            # text box (a number box shows nothing for “0,50” and sends it empty).
            weight.localize = True
            weight.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": "6"})
            weight.widget.is_localized = True
            for code in ("required", "invalid", "max_digits", "max_whole_digits", "min_value"):
                weight.error_messages[code] = WEIGHT_MESSAGE
            weight.error_messages["max_decimal_places"] = _(
                "The weight has at most two decimals, for example 0.25."
            )

    def clean_weight(self):
        # The model's own check (at least 0.01) would say “greater than or equal to 0.01”.
        weight = self.cleaned_data.get("weight")
        if weight is not None and weight <= 0:
            raise forms.ValidationError(WEIGHT_MESSAGE, code="min_value")
        return weight

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error(
                "scale_max", _("The highest score must be greater than the lowest score.")
            )
        return cleaned


class CriteriaPanel(InlinePanel):
    """The evaluation grid: each criterion titled “Criterion n”, added with “Add a criterion”."""

    def __init__(self, relation_name="criteria", **kwargs):
        kwargs.setdefault("heading", _("Evaluation criteria"))
        kwargs.setdefault("label", _("criterion"))
        super().__init__(relation_name, **kwargs)

    @cached_property
    def child_edit_handler(self):
        return MultiFieldPanel(self.panel_definitions, heading=_("Criterion")).bind_to_model(
            self.db_field.related_model
        )

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

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "applications/admin/criteria_panel.html"


class AutomaticStepsPanel(Panel):
    """Above the timeline editor: the opening and closing steps Essor adds to the public page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "applications/admin/automatic_steps.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            opens, closes = self.instance.opens_at, self.instance.closes_at
            self.opens = moment_text(opens) if opens else ""
            self.closes = moment_text(closes) if closes else ""
