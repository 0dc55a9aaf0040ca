"""The dossier page: written by editors while editable, read by every member and the staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.answer_display import display_rows
from applications.domain.answer_input import DOSSIER_CHARACTER_CAP
from applications.domain.answers import attachment_counts
from applications.domain.attachments import remove_attachment
from applications.domain.completeness import missing_answers
from applications.domain.deliberation import history_shown_to_applicant, state_shown_to_applicant
from applications.domain.dossiers import change_state
from applications.domain.drafting import (
    AnswersTooLarge,
    SaveConflict,
    control_characters_message,
    save_answers,
)
from applications.domain.form_definition import form_definition
from applications.domain.profile_answers import prefill
from applications.forms.dossier import DossierForm
from applications.models import DossierState
from applications.views.applicant.access import load_dossier
from applications.views.applicant.dossier_context import completeness_for, warn_on_profile
from applications.views.applicant.files import attach_uploads


def _attachments(dossier):
    return list(dossier.attachments.select_related("uploaded_by"))


def _info_request(dossier, transitions):
    """The staff's last request for information, shown while the dossier waits for it."""
    if dossier.state != DossierState.INFO_REQUESTED:
        return None
    requests = [t for t in transitions if t.name == "request_info"]
    return requests[-1] if requests else None


def _render(request, dossier, *, form=None, revision=None, status=200):
    user = request.user
    attachments = _attachments(dossier)
    logged = list(dossier.transitions.select_related("actor"))
    # No decision before its letter is released: the state and history say "Under review".
    transitions = history_shown_to_applicant(dossier, logged)
    can_edit = user.has_perm("applications.change_dossier", dossier)
    deadline_passed = dossier.state == DossierState.DRAFT and dossier.deadline_passed()
    definition = form_definition(dossier)
    if can_edit and form is None:
        form = DossierForm(
            definition,
            answers=dossier.answers,
            attachments=attachments,
            # A question linked to the profile and left blank shows the profile's answer.
            prefill=prefill(definition, dossier.answers, dossier.structure),
        )
    elif form is not None:
        form.attachments = attachments
    completeness = None
    if form is not None and can_edit:
        current = form.current_answers()
        completeness = completeness_for(form, definition, current, attachment_counts(attachments))
        warn_on_profile(form, definition, current, dossier.structure)
    context = {
        "dossier": dossier,
        "form": form if can_edit else None,
        "revision": dossier.revision if revision is None else revision,
        "rows": None if can_edit else display_rows(dossier, attachments),
        "attachments": attachments,
        "completeness": completeness,
        "shown_state": state_shown_to_applicant(dossier),
        "transitions": transitions,
        "info_request": _info_request(dossier, transitions),
        "can_edit": can_edit,
        # After the closing time the draft stays readable and savable, and the page says when
        # the call closed instead of offering a button the server would refuse.
        "can_submit": can_edit
        and not deadline_passed
        and can_proceed(dossier.submit)
        and user.has_perm("applications.submit_dossier", dossier),
        "can_withdraw": can_proceed(dossier.withdraw)
        and user.has_perm("applications.withdraw_dossier", dossier),
        "deadline": dossier.deadline,
        "deadline_passed": deadline_passed,
        "size_cap": DOSSIER_CHARACTER_CAP,
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or "",
    }
    return render(request, "applications/dossier/page.html", context, status=status)


def _saved_at(moment):
    return date_format(timezone.localtime(moment), "H:i")


@login_required
def dossier_page(request, dossier_id):
    dossier = load_dossier(request, dossier_id)
    if request.method != "POST":
        return _render(request, dossier)
    if not request.user.has_perm("applications.change_dossier", dossier):
        raise PermissionDenied
    return _save_and_act(request, dossier)


def _save_and_act(request, dossier):
    """Save what was typed (always, even incomplete), store new files, then do the action asked:
    stay on the draft, remove a file, or submit."""
    user = request.user
    action = request.POST.get("action", "save")
    try:
        base_revision = int(request.POST.get("revision", ""))
    except ValueError:
        base_revision = -1
    form = DossierForm(form_definition(dossier), data=request.POST, answers=dossier.answers)
    form.is_valid()  # every field takes what was typed; this only reads the values
    try:
        save_answers(dossier, form.answers(), user, base_revision)
    except Refused as refusal:
        show_refusal(request, refusal)
        if isinstance(refusal, SaveConflict):
            # The form keeps the typed text and the old revision: saving again stays refused
            # until the person reloads and sees their colleague's version.
            return _render(request, dossier, form=form, revision=base_revision, status=409)
        if isinstance(refusal, AnswersTooLarge):
            return _render(request, dossier, form=form, revision=base_revision, status=400)
        return redirect("applications:dossier", dossier.pk)

    stripped = form.stripped_labels()
    if stripped:
        messages.warning(request, control_characters_message(stripped))
    # A refused file or answer keeps the page, with each reason next to what was typed.
    held_back = attach_uploads(request, dossier, form)
    if form.refused:
        messages.error(
            request,
            _(
                "Your draft is saved, except the answers marked below, which were not saved: "
                "what you typed is still in them."
            ),
        )
        held_back = True

    if action.startswith("remove:"):
        target = action.split(":", 1)[1]
        attachment = dossier.attachments.filter(pk=target).first() if target.isdigit() else None
        if attachment is not None:
            attachment.dossier = dossier
            remove_attachment(attachment, user)
            messages.success(
                request, _("“%(name)s” was removed.") % {"name": attachment.original_name}
            )
        return _after_save(request, dossier, form, held_back)

    if action == "submit":
        return _submit(request, dossier, form, held_back)
    if not form.refused:
        messages.success(
            request, _("Draft saved at %(time)s.") % {"time": _saved_at(dossier.last_saved_at)}
        )
    return _after_save(request, dossier, form, held_back)


def _after_save(request, dossier, form, held_back):
    if held_back:
        return _render(request, dossier, form=form, status=400)
    return redirect("applications:dossier", dossier.pk)


def _submit(request, dossier, form, held_back):
    if not request.user.has_perm("applications.submit_dossier", dossier):
        raise PermissionDenied
    problems = missing_answers(dossier)
    if problems or held_back:
        form.add_problems(problems)
        messages.error(
            request,
            _(
                "Your draft is saved, but it cannot be submitted yet: please look at the answers "
                "marked below."
            ),
        )
        return _render(request, dossier, form=form, status=400)
    try:
        change_state(dossier, "submit", request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
        return _render(request, dossier, form=form, status=400)
    messages.success(
        request,
        _(
            "Your dossier is submitted. A receipt is on its way by e-mail to the structure's "
            "owners and editors."
        ),
    )
    return redirect("applications:dossier", dossier.pk)
