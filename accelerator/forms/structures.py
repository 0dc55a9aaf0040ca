"""Forms of the applicant's space: sign-up, the structure profile, invitations and join requests."""

import re
from decimal import Decimal

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accelerator.domain.members import JOIN_ROLES
from accelerator.domain.structures import DuplicateStructure, SameLegalUnit, check_siret_is_free
from accelerator.forms.widgets import QuickSelect
from accelerator.identifiers import (
    normalise_rna,
    normalise_siret,
    validate_rna,
    validate_siren_or_siret,
)
from accelerator.models import Department, LegalForm, MemberRole, Structure


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail and password) plus the person's name and language."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of the e-mails you receive"),
        # Each language in its own name: someone who reads only that one still finds it.
        choices=[
            (code, translation.get_language_info(code)["name_local"].capitalize())
            for code, _name in settings.LANGUAGES
        ],
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        if current in dict(settings.LANGUAGES):
            self.fields["language"].initial = current
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def custom_signup(self, request, user):
        # allauth's adapter already saved the names; the language is ours.
        user.language = self.cleaned_data["language"]
        user.save(update_fields=["language"])
        super().custom_signup(request, user)


class SiretField(forms.CharField):
    """A SIREN or SIRET as people paste it (“356 000 000 00048”), kept as digits only."""

    def to_python(self, value):
        return normalise_siret(super().to_python(value))


class RnaField(forms.CharField):
    """An RNA number as people type it (“w 451 234 567”), kept as “W451234567”."""

    def to_python(self, value):
        return normalise_rna(super().to_python(value))


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: “120 000,50 €”, “120000.50” or “120,000.50”."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€']", "", value)
            if "," in value and "." in value:
                # Both separators: the last one marks the decimals.
                decimals = "," if value.rfind(",") > value.rfind(".") else "."
                value = value.replace("." if decimals == "," else ",", "").replace(",", ".")
            elif "," in value:
                english_grouping = re.fullmatch(r"\d{1,3}(,\d{3})+", value)
                if english_grouping and translation.get_language() == "en":
                    value = value.replace(",", "")
                else:
                    value = value.replace(",", ".")
        return super().to_python(value)


class DepartmentChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, department):
        return f"{department.code} — {department.name}"


class StructureForm(forms.ModelForm):
    """The structure's profile; a SIRET already registered points to the structure to join."""

    siret = SiretField(
        label=_("SIREN or SIRET"),
        validators=[validate_siren_or_siret],
        help_text=_("9 digits (SIREN) or 14 digits (SIRET); spaces and dots are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    rna = RnaField(
        label=_("RNA number"),
        required=False,
        validators=[validate_rna],
        help_text=Structure._meta.get_field("rna").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    department = DepartmentChoiceField(
        label=_("Département"),
        queryset=Department.objects.order_by("code"),
        help_text=_("Where the structure's head office is."),
    )
    annual_budget = EuroField(
        label=_("Annual budget (€)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("In euros, for the last complete year."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )
    # Shown only once the SIRET turned out to be another establishment of a registered legal unit.
    separate_establishment = forms.BooleanField(
        label=_("Mine is a different establishment, with its own SIRET: register it separately"),
        required=False,
    )

    class Meta:
        model = Structure
        fields = [
            "name",
            "legal_form",
            "siret",
            "rna",
            "esus_approved",
            "esus_approved_on",
            "address",
            "postcode",
            "city",
            "department",
            "creation_year",
            "annual_budget",
            "employees",
            "website",
            "description",
        ]
        widgets = {
            "esus_approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "esus_approved": _("Tick if the structure holds the ESUS agrément."),
            "esus_approved_on": _("The date on the agrément decision."),
            "employees": _("Head count, all contracts."),
            "description": _("What the structure does, for whom, and where."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The structure a taken SIRET belongs to, or those of the same legal unit (SIREN), so
        # the page can offer to join them.
        self.duplicate = None
        self.same_legal_unit = []
        self.may_separate = False
        self.fields["creation_year"].widget.attrs.update({"min": 1800, "max": timezone.now().year})
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip().replace(" ", "")
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            raise forms.ValidationError(_("A postcode has 5 digits."), code="postcode")
        return postcode

    def clean_creation_year(self):
        year = self.cleaned_data.get("creation_year")
        if year and year > timezone.now().year:
            raise forms.ValidationError(
                _("The creation year cannot be in the future."), code="future"
            )
        return year

    def _check_siret(self, cleaned):
        if not cleaned.get("siret"):
            return
        # Editing: only a changed SIRET is checked (see update_structure).
        if self.instance.pk and cleaned["siret"] == self.instance.siret:
            return
        try:
            check_siret_is_free(
                cleaned["siret"],
                exclude=self.instance,
                separate_establishment=cleaned.get("separate_establishment", False),
            )
        except DuplicateStructure as duplicate:
            self.duplicate = duplicate.existing
            self.add_error(None, duplicate)
        except SameLegalUnit as related:
            self.same_legal_unit = related.existing
            self.may_separate = related.may_separate
            self.add_error(None, related)

    def clean(self):
        cleaned = super().clean()
        self._check_siret(cleaned)
        approved = cleaned.get("esus_approved")
        approved_on = cleaned.get("esus_approved_on")
        if approved_on and not approved:
            self.add_error(
                "esus_approved_on",
                _("A date is given only with the ESUS agrément: tick it, or clear the date."),
            )
        if approved and not approved_on and "esus_approved_on" not in self.errors:
            self.add_error("esus_approved_on", _("Please give the date of the ESUS agrément."))
        if approved_on and approved_on > timezone.localdate():
            self.add_error("esus_approved_on", _("The agrément date cannot be in the future."))
        if cleaned.get("legal_form") == LegalForm.ESUS_COMPANY and not approved:
            self.add_error(
                "esus_approved",
                _("A SAS or SARL applies as a social economy company only with the ESUS agrément."),
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.EDITOR,
        help_text=_(
            "Viewers read the structure and its dossiers; editors also write dossiers; "
            "owners also manage the members."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the owners (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and why you want to join, so they recognise you."),
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in JOIN_ROLES],
        initial=MemberRole.VIEWER,
        required=False,
    )
