"""Forms of the jury part: inviting jurors, declaring and recording conflicts, a juror's account."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accelerator.forms.widgets import QuickSelect
from accelerator.models import Department, User
from applications.models import ConflictKind, Dossier, Juror, JurorRole

OTHER_NEEDS_DETAILS = _("Please say in a few words what the conflict is.")


class DepartmentChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, department):
        return f"{department.code} {department.name}"


class InviteJurorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=JurorRole.choices, initial=JurorRole.MEMBER)
    department = DepartmentChoiceField(
        label=_("Département of origin (optional)"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("None"),
        help_text=_("Used to avoid giving a juror dossiers from their own département."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("Essor suggests a conflict when it is listed as a partner in a dossier."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)


class _ConflictFields(forms.Form):
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “Other”; optional otherwise."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ConflictKind.OTHER and not (cleaned.get("details") or "").strip():
            self.add_error("details", OTHER_NEEDS_DETAILS)
        return cleaned


class DeclarationForm(_ConflictFields):
    """A juror's answer for one dossier."""

    kind = forms.ChoiceField(
        label=_("Do you have a link with this structure?"),
        # The consequence, in the same breath as the question: the page ties it to the group.
        help_text=_(
            "If you declare a conflict, you will not review this dossier and will not see it again."
        ),
        choices=ConflictKind.choices,
        widget=forms.RadioSelect,
    )

    field_order = ["kind", "details"]


class DossierChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, dossier):
        return f"{dossier.reference} — {dossier.structure.name}"


class JurorChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, juror):
        name = juror.user.display_name if juror.user else ""
        return f"{name} <{juror.email}>" if name else juror.email


class RecordConflictForm(_ConflictFields):
    """Staff record or correct a declaration on a juror's behalf."""

    juror = JurorChoiceField(label=_("Juror"), queryset=Juror.objects.none())
    dossier = DossierChoiceField(label=_("Dossier"), queryset=Dossier.objects.none())
    kind = forms.ChoiceField(label=_("Declaration"), choices=ConflictKind.choices)

    field_order = ["juror", "dossier", "kind", "details"]

    def __init__(self, call, *args, **kwargs):
        kwargs.setdefault("prefix", "record")
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = (
            Juror.objects.filter(call=call).select_related("user").order_by("email")
        )
        self.fields["dossier"].queryset = (
            Dossier.objects.filter(call=call)
            .exclude(state__in=["draft", "withdrawn"])
            .select_related("structure")
            .order_by("reference")
        )


class JurorAccountForm(forms.Form):
    """An invited juror's account, made from the invitation (the address is the invited one)."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, email, *args, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            someone = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, someone)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
