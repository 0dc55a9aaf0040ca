"""Autosave: the dossier page posts the form as JSON while the person types.

Answers in JSON so the page's script can tell a saved draft from an expired session (401), a lost
right (403), a colleague's newer save (409), a dossier that is no longer editable (409) and answers
too large to be saved (413); a saved draft lists the answers refused by the hard caps.
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accelerator.domain.refusals import Refused
from applications.domain.answers import attachment_counts
from applications.domain.drafting import (
    AnswersTooLarge,
    SaveConflict,
    control_characters_message,
    save_answers,
)
from applications.domain.form_definition import form_definition, visible_ids
from applications.forms.dossier import DossierForm
from applications.views.applicant.access import load_dossier
from applications.views.applicant.dossier_context import (
    completeness_for,
    completeness_json,
    warn_on_profile,
)


def _refused(message, status, **extra):
    return JsonResponse({"ok": False, "message": message, **extra}, status=status)


def too_large_body_message():
    return _(
        "Not saved: the page sent more than the server accepts at once. Shorten the longest "
        "answers; what you typed is kept in this browser."
    )


def _form_data(payload):
    data = payload.get("data")
    if not isinstance(data, dict):
        return None
    values = {}
    for name, value in data.items():
        items = value if isinstance(value, list) else [value]
        values[str(name)] = [str(item) for item in items if isinstance(item, (str, int, float))]
    return MultiValueDict(values)


@require_POST
def autosave(request, dossier_id):
    if not request.user.is_authenticated:
        return _refused(
            _(
                "Not saved: your session has expired. Log in again in a new tab; what you typed "
                "is kept in this browser."
            ),
            401,
        )
    try:
        dossier = load_dossier(request, dossier_id)
    except Http404:
        return _refused(_("Not saved: this dossier was not found."), 404)
    if not request.user.has_perm("applications.change_dossier", dossier):
        return _refused(_("Not saved: you can read this dossier but not change it."), 403)
    try:
        body = request.body
    except RequestDataTooBig:
        return _refused(too_large_body_message(), 413, too_large=True)
    try:
        payload = json.loads(body or b"{}")
        base_revision = int(payload.get("revision"))
    except (ValueError, TypeError, AttributeError):
        return _refused(_("Not saved: the page sent something unreadable. Reload it."), 400)
    data = _form_data(payload)
    if data is None:
        return _refused(_("Not saved: the page sent something unreadable. Reload it."), 400)

    definition = form_definition(dossier)
    form = DossierForm(definition, data=data, answers=dossier.answers)
    form.is_valid()
    try:
        save_answers(dossier, form.answers(), request.user, base_revision)
    except Refused as refusal:
        reason = " ".join(refusal.messages)
        if isinstance(refusal, AnswersTooLarge):
            return _refused(reason, 413, too_large=True)
        extra = {}
        if isinstance(refusal, SaveConflict):
            extra = {"conflict": True, "revision": refusal.dossier.revision}
        return _refused(_("Not saved: %(reason)s") % {"reason": reason}, 409, **extra)
    except PermissionDenied:
        return _refused(_("Not saved: you can read this dossier but not change it."), 403)

    saved_at = date_format(timezone.localtime(dossier.last_saved_at), "H:i")
    message = _("Saved at %(time)s") % {"time": saved_at}
    if form.refused:
        message = _(
            "Saved at %(time)s, except the answers marked in red: what you typed is still in them."
        ) % {"time": saved_at}
    stripped = form.stripped_labels()
    counts = attachment_counts(dossier.attachments.all())
    measured = completeness_for(form, definition, dossier.answers, counts)
    warnings = warn_on_profile(form, definition, dossier.answers, dossier.structure)
    return JsonResponse(
        {
            "ok": True,
            "revision": dossier.revision,
            "saved_at": dossier.last_saved_at.isoformat(),
            "message": message,
            # Answers not stored, with why; the page shows each next to its field.
            "refused": {field_id: list(map(str, m)) for field_id, m in form.refused.items()},
            "notice": control_characters_message(stripped) if stripped else "",
            # Each line with the id of its field, for the page to link it.
            "completeness": completeness_json(measured),
            # Answers that differ from the structure's profile: a warning each, never a refusal.
            "warnings": {field_id: str(message) for field_id, message in warnings.items()},
            "visible": sorted(visible_ids(definition, dossier.answers)),
        }
    )
