"""A partners table: one row per partner (name, kind of actor, SIRET, role), at least and at most
a number of rows. Stored as a list of {"name", "kind", "siret", "role"}."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks

from accelerator.identifiers import normalise_siret, validate_siren_or_siret
from applications.questions.base import QuestionKind, field_options
from applications.questions.common import FieldBlock, ListField, too_long

PARTNER_COLUMNS = ("name", "kind", "siret", "role")
PARTNER_ROWS_CAP = 100
PARTNER_CELL_CAP = 500


class PartnerKind(blocks.ChoiceBlock):
    choices = [
        ("association", gettext_lazy("Association")),
        ("company", gettext_lazy("Company")),
        ("public_body", gettext_lazy("Public body")),
        ("university", gettext_lazy("University or research")),
        ("expert", gettext_lazy("Expert")),
        ("media", gettext_lazy("Media")),
    ]


PARTNER_KINDS = dict(PartnerKind.choices)


class PartnersBlock(FieldBlock):
    min_rows = blocks.IntegerBlock(
        label=gettext_lazy("At least (partners)"), required=False, min_value=0
    )
    max_rows = blocks.IntegerBlock(
        label=gettext_lazy("At most (partners)"), required=False, min_value=1
    )

    class Meta:
        icon = "group"
        label = gettext_lazy("Partners table")


def _getlist(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return value if isinstance(value, list) else [value]


class PartnersWidget(forms.Widget):
    """A table of partners, one row per partner; the browser sends each column as a list."""

    template_name = "applications/dossier/widgets/partners.html"

    def value_from_datadict(self, data, files, name):
        columns = {column: _getlist(data, f"{name}.{column}") for column in PARTNER_COLUMNS}
        count = max((len(values) for values in columns.values()), default=0)
        return [
            {column: (values[i] if i < len(values) else "") for column, values in columns.items()}
            for i in range(count)
        ]

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}.{column}" in data for column in PARTNER_COLUMNS)

    def format_value(self, value):
        return value or []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["rows"] = value or []
        context["widget"]["kinds"] = list(PARTNER_KINDS.items())
        context["widget"]["columns"] = PARTNER_COLUMNS
        return context


def clean_rows(raw):
    """The rows of `raw` with a value in at least one column, each cell a stripped string."""
    rows = []
    for row in raw if isinstance(raw, (list, tuple)) else []:
        if not isinstance(row, dict):
            continue
        clean = {column: str(row.get(column) or "").strip() for column in PARTNER_COLUMNS}
        if any(clean.values()):
            rows.append(clean)
    return rows


class PartnersField(ListField):
    def has_changed(self, initial, data):
        # The page always adds an empty row to fill in: only the rows with something count.
        return clean_rows(initial) != clean_rows(self.to_python(data))


def partner_text(row):
    """ "Mairie (Public body, SIRET 123…, Premises)": one partner on one line."""
    kind = PARTNER_KINDS.get(row.get("kind"), row.get("kind") or "")
    details = [str(kind)] if kind else []
    if row.get("siret"):
        details.append(f"SIRET {normalise_siret(row['siret'])}")
    if row.get("role"):
        details.append(row["role"])
    name = row.get("name") or "?"
    return f"{name} ({', '.join(details)})" if details else name


class PartnersKind(QuestionKind):
    name = "partners"
    block_class = PartnersBlock
    layout = "fieldset"
    answer_layout = "table"

    def field(self, question, attrs):
        return PartnersField(widget=PartnersWidget(attrs=attrs), **field_options(question))

    def normalise(self, question, typed):
        return clean_rows(typed)

    def refusals(self, question, typed):
        rows = typed if isinstance(typed, list) else []
        if len(rows) > PARTNER_ROWS_CAP:
            return [_("At most %(count)d partners can be saved.") % {"count": PARTNER_ROWS_CAP}]
        longest = max(
            (len(str(cell)) for row in rows if isinstance(row, dict) for cell in row.values()),
            default=0,
        )
        return [too_long(longest, PARTNER_CELL_CAP)] if longest > PARTNER_CELL_CAP else []

    def problems(self, question, value, file_count=0):
        rows = value or []
        problems = []
        least = question.setting("min_rows")
        most = question.setting("max_rows")
        if question.required and not rows and not least:
            problems.append(_("Please add at least one partner."))
        if least is not None and len(rows) < least:
            problems.append(
                ngettext(
                    "Please add at least %(count)d partner.",
                    "Please add at least %(count)d partners.",
                    int(least),
                )
                % {"count": int(least)}
            )
        if most is not None and len(rows) > most:
            problems.append(
                ngettext(
                    "At most %(count)d partner is accepted.",
                    "At most %(count)d partners are accepted.",
                    int(most),
                )
                % {"count": int(most)}
            )
        for number, row in enumerate(rows, start=1):
            problems += _row_problems(number, row)
        return problems

    def display(self, question, value, files):
        rows = [
            {**row, "kind_label": str(PARTNER_KINDS.get(row.get("kind"), row.get("kind") or ""))}
            for row in value or []
        ]
        return rows, "; ".join(partner_text(row) for row in rows)

    def pdf_paragraphs(self, question, value, files):
        return [partner_text(row) for row in value or []]

    def rules(self, question):
        least, most = question.setting("min_rows"), question.setting("max_rows")
        if least and most is not None:
            return _("Between %(least)d and %(most)d partners.") % {
                "least": int(least),
                "most": int(most),
            }
        if least:
            return ngettext(
                "At least %(count)d partner.", "At least %(count)d partners.", int(least)
            ) % {"count": int(least)}
        if most is not None:
            return ngettext(
                "At most %(count)d partner.", "At most %(count)d partners.", int(most)
            ) % {"count": int(most)}
        return ""

    def input_text(self, question, stored):
        return stored or []

    def carry(self, question, stored):
        if not isinstance(stored, list):
            return None
        return clean_rows(stored) or None


def _row_problems(number, row):
    problems = []
    if not row.get("name"):
        problems.append(_("Partner %(number)d: the name is missing.") % {"number": number})
    if not row.get("kind"):
        problems.append(_("Partner %(number)d: choose the kind of actor.") % {"number": number})
    elif row["kind"] not in PARTNER_KINDS:
        problems.append(_("Partner %(number)d: unknown kind of actor.") % {"number": number})
    if row.get("siret"):
        try:
            validate_siren_or_siret(row["siret"])
        except ValidationError as error:
            problems.append(
                _("Partner %(number)d: %(problem)s")
                % {"number": number, "problem": " ".join(error.messages)}
            )
    return problems
