"""Blind review: when a call's review hides the applicants, and what a juror then reads of a
dossier (a neutral code, neutral file names, answers scrubbed of identity, facts in bands).

Rules:
- what names the applicant in a text is replaced by a marker (`blind_scrubber`);
- the budget, creation year and staff count are shown in bands, never as exact figures: together
  they would single out one structure in a pool of a few hundred.
"""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.domain.answer_display import display_rows
from applications.domain.blind_scrubber import identity_scrubber
from applications.domain.form_definition import form_definition
from applications.domain.review_phases import active_phase
from applications.models import ReviewPhase
from applications.questions import kind_of

# --- when the review is blind -------------------------------------------------------------


def is_blind(call, now=None):
    """Whether jurors see `call`'s dossiers without the applicant's identity: the active phase's
    rule; between phases, the last phase's; before any phase, the first one's. Identity must not
    flash into view in the gap between two blind phases."""
    now = now or timezone.now()
    phase = active_phase(call, now)
    if phase is None:
        phase = (
            ReviewPhase.objects.filter(call=call, starts_at__lte=now).order_by("-ends_at").first()
            or ReviewPhase.objects.filter(call=call).order_by("starts_at").first()
        )
    return bool(phase and phase.blind)


def neutral_code(dossier):
    """A stable code for `dossier` that says nothing of it (not even its reference's order)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"dossier:{dossier.pk}".encode(), hashlib.sha256
    ).hexdigest()
    number = int(digest[:12], 16)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    letters = []
    for _position in range(6):
        number, index = divmod(number, len(alphabet))
        letters.append(alphabet[index])
    return f"N-{''.join(letters)}"


def dossier_label(dossier, blind):
    return neutral_code(dossier) if blind else dossier.reference


# --- the form's partners ----------------------------------------------------------------------


def partner_rows(dossier, live_form=None):
    """The rows of `dossier`'s partners tables (`live_form`: the call's form when already read,
    to spare reading it again per dossier). Read as stored, not through the kind: a name typed
    in a former version of the form is still one to hide."""
    if dossier.form_snapshot is not None:
        definition = dossier.form_snapshot
    else:
        definition = live_form if live_form is not None else form_definition(dossier)
    # The questions answered by a table of organisations (the partners kind).
    ids = sorted(
        {
            str(b.get("id"))
            for b in definition or []
            if kind_of(b.get("type")).answer_layout == "table"
        }
    )
    rows = []
    for field_id in ids:
        answer = (dossier.answers or {}).get(field_id)
        rows += [row for row in answer if isinstance(row, dict)] if isinstance(answer, list) else []
    return rows


def partner_names(dossier, live_form=None):
    """The partners' names, as typed, in `dossier`'s partners tables."""
    names = (str(row.get("name") or "").strip() for row in partner_rows(dossier, live_form))
    return [name for name in names if name]


# --- facts in bands ---------------------------------------------------------------------------

# (upper bound, excluded; label). The one place that says how coarse a blind fact is.
BUDGET_BANDS = (
    (Decimal("50000"), gettext_lazy("under €50,000")),
    (Decimal("200000"), gettext_lazy("€50,000 to €200,000")),
    (Decimal("1000000"), gettext_lazy("€200,000 to €1 million")),
    (Decimal("5000000"), gettext_lazy("€1 million to €5 million")),
    (None, gettext_lazy("€5 million or more")),
)
EMPLOYEE_BANDS = (
    (1, gettext_lazy("no employee")),
    (6, gettext_lazy("1 to 5 employees")),
    (21, gettext_lazy("6 to 20 employees")),
    (51, gettext_lazy("21 to 50 employees")),
    (None, gettext_lazy("more than 50 employees")),
)
CREATION_PERIODS = (
    (1990, gettext_lazy("before 1990")),
    (2000, gettext_lazy("1990 to 1999")),
    (2010, gettext_lazy("2000 to 2009")),
    (2020, gettext_lazy("2010 to 2019")),
    (None, gettext_lazy("2020 or later")),
)


def band(value, bands):
    """The label of the band holding `value`; None for no value."""
    if value is None:
        return None
    for upper, label in bands:
        if upper is None or value < upper:
            return label
    return None


@dataclass
class StructureFacts:
    """The structure's figures as a juror reads them: exact, or in bands when blind."""

    blind: bool
    creation: object
    budget: object
    employees: object


def structure_facts(structure, blind):
    if not blind:
        return StructureFacts(
            False, structure.creation_year, structure.annual_budget, structure.employees
        )
    return StructureFacts(
        True,
        band(structure.creation_year, CREATION_PERIODS),
        band(structure.annual_budget, BUDGET_BANDS),
        band(structure.employees, EMPLOYEE_BANDS),
    )


# --- the juror's reading ----------------------------------------------------------------------


def neutral_file_name(attachment, number):
    """“Attachment 3.pdf”: the file's place in the dossier and its kind, nothing of its name."""
    name = _("Attachment %(number)d") % {"number": number}
    return f"{name}.{attachment.extension}" if attachment.extension else name


def juror_files(dossier):
    """The dossier's attachments in a fixed order; a juror asks for a file by its number."""
    return list(dossier.attachments.order_by("uploaded_at", "pk"))


@dataclass
class JurorView:
    """What a juror reads of a dossier: `rows` (as display_rows, files as
    {"number", "name", "size"}, partners emptied in blind mode, texts and PDF lines scrubbed),
    `files`, `members`, the structure's `description` and `facts`."""

    label: str
    blind: bool
    rows: list
    files: list
    members: list
    scrub: object
    description: str = ""
    facts: StructureFacts = None


def juror_view(dossier, blind):
    """The dossier's answers for a juror. In blind mode what identifies the applicant is replaced
    by markers in the texts, partners are left out, figures are in bands and each file is named
    by its number. Staff's preview reads the very same."""
    attachments = juror_files(dossier)
    numbers = {attachment.pk: n for n, attachment in enumerate(attachments, start=1)}
    memberships = list(
        dossier.structure.memberships.select_related("user").order_by("role", "user__last_name")
    )
    members = [m.user for m in memberships]
    scrub = identity_scrubber(dossier, members, partner_rows(dossier)) if blind else (lambda t: t)

    def file_entry(attachment):
        number = numbers[attachment.pk]
        name = neutral_file_name(attachment, number) if blind else attachment.original_name
        return {"number": number, "name": name, "size": attachment.size}

    rows = []
    for row in display_rows(dossier, attachments):
        if not row.get("visible", True):
            continue
        row = dict(row)
        if row["layout"] == "files":
            row["value"] = [file_entry(a) for a in row["value"] or []]
            row["text"] = ", ".join(f["name"] for f in row["value"])
            row["pdf"] = [f["name"] for f in row["value"]]
        elif row["layout"] == "table" and blind:
            row["hidden_count"] = len(row["value"] or [])
            row["value"] = []
            row["text"] = ""
            row["pdf"] = []
        else:
            row["label"] = scrub(row["label"])
            row["text"] = scrub(row["text"])
            row["pdf"] = [scrub(line) for line in row.get("pdf") or []]
        rows.append(row)
    return JurorView(
        label=dossier_label(dossier, blind),
        blind=blind,
        rows=rows,
        files=[file_entry(a) for a in attachments],
        members=[] if blind else memberships,
        scrub=scrub,
        description=scrub(dossier.structure.description),
        facts=structure_facts(dossier.structure, blind),
    )
