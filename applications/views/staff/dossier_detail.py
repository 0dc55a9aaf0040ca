"""One dossier seen by the staff: profile, answers, files, history, and their actions on it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain.answer_display import display_rows
from applications.domain.dossiers import change_state
from applications.domain.extensions import grant_extension
from applications.domain.info_requests import default_reply_date, request_info
from applications.forms.staff import ExtensionForm, RequestInfoForm, TransitionForm
from applications.models import Dossier, DossierState
from applications.views.staff.access import staff_required

# The transitions the staff run from this page, in the order their buttons appear.
STAFF_ACTIONS = {
    "request_info": {
        "label": gettext_lazy("Request information"),
        "comment_label": gettext_lazy("What does the structure need to add or clarify?"),
        "comment_required": True,
        "button": "button",
        "done": gettext_lazy("The structure was asked for more information."),
    },
    "mark_eligible": {
        "label": gettext_lazy("Mark eligible"),
        "comment_label": gettext_lazy("Comment (optional)"),
        "comment_required": False,
        "button": "button",
        "done": gettext_lazy("The dossier is now eligible."),
    },
    "mark_ineligible": {
        "label": gettext_lazy("Mark ineligible"),
        "comment_label": gettext_lazy("Reason (the structure will read it)"),
        "comment_required": True,
        "button": "button button--danger",
        "done": gettext_lazy("The dossier is now ineligible."),
    },
}


def _load_dossier(dossier_id):
    return get_object_or_404(
        Dossier.objects.select_related(
            "call",
            "call__programme",
            "structure",
            "structure__department",
            "created_by",
            "deadline_extended_by",
        ),
        pk=dossier_id,
    )


def _transition_form(name, data=None):
    # Labels are set before the form is bound: a bound form's fields render as they were then.
    if name == "request_info":
        form = RequestInfoForm(data, prefix=name, initial={"reply_by": default_reply_date()})
    else:
        form = TransitionForm(data, prefix=name)
    spec = STAFF_ACTIONS[name]
    form.fields["comment"].label = spec["comment_label"]
    if spec["comment_required"]:
        form.fields["comment"].widget.attrs["required"] = True
    return form


def _available_actions(dossier, user, bound=None):
    """The staff actions allowed now, each with its form (`bound` keeps a refused one's input)."""
    available = {t.name for t in dossier.get_available_state_transitions()}
    actions = []
    for name, spec in STAFF_ACTIONS.items():
        if name not in available or not user.has_perm(f"applications.{name}_dossier", dossier):
            continue
        form = bound[1] if bound and bound[0] == name else _transition_form(name)
        actions.append({"name": name, "form": form, **spec})
    if bound and bound[0] not in {action["name"] for action in actions}:
        # The refused action is no longer possible (the state moved): still show the typed
        # comment and the reasons, read-only, so nothing typed is lost.
        name, form = bound
        for field in form.fields.values():
            field.widget.attrs["readonly"] = True
        actions.append({"name": name, "form": form, "stale": True, **STAFF_ACTIONS[name]})
    return actions


def _render_detail(request, dossier, *, bound_action=None, extension_form=None):
    attachments = list(dossier.attachments.select_related("uploaded_by"))
    by_field = {}
    for attachment in attachments:
        by_field.setdefault(attachment.field_id, []).append(attachment)
    rows = [row for row in display_rows(dossier, attachments) if row.get("visible", True)]
    for row in rows:
        row["attachments"] = by_field.get(row["id"], [])
    members = dossier.structure.memberships.select_related("user").order_by("role", "user__email")
    context = {
        "dossier": dossier,
        "call": dossier.call,
        "structure": dossier.structure,
        "rows": rows,
        "attachments": attachments,
        "members": members,
        "transitions": dossier.transitions.select_related("actor").order_by("at", "pk"),
        "actions": _available_actions(dossier, request.user, bound_action),
        "can_extend": dossier.state == DossierState.DRAFT,
        # The form just refused, for the error summary at the top of the page.
        "sent_form": bound_action[1] if bound_action else extension_form,
        "extension_form": extension_form
        or ExtensionForm(prefix="extension", initial={"until": dossier.deadline_extended_to}),
    }
    return render(request, "applications/staff/dossier_detail.html", context)


@staff_required
def dossier_detail(request, dossier_id):
    return _render_detail(request, _load_dossier(dossier_id))


@staff_required
@require_POST
def dossier_transition(request, dossier_id, name):
    if name not in STAFF_ACTIONS:
        raise Http404
    dossier = _load_dossier(dossier_id)
    form = _transition_form(name, request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"].strip()
        try:
            if name == "request_info":
                request_info(dossier, request.user, comment, form.cleaned_data["reply_by"])
            else:
                change_state(dossier, name, request.user, comment)
        except Refused as refusal:
            show_refusal(request, refusal, form, field="comment")
        else:
            messages.success(request, STAFF_ACTIONS[name]["done"])
            return redirect("applications:staff_dossier", dossier_id=dossier.pk)
    # The state may have moved under us: show the page as it is now, with the typed comment.
    return _render_detail(request, _load_dossier(dossier_id), bound_action=(name, form))


@staff_required
@require_POST
def dossier_extension(request, dossier_id):
    dossier = _load_dossier(dossier_id)
    form = ExtensionForm(request.POST, prefix="extension")
    if form.is_valid():
        try:
            grant_extension(
                dossier, form.cleaned_data["until"], request.user, form.cleaned_data["reason"]
            )
        except Refused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request,
                _("The new deadline is saved and the structure's members were told by e-mail."),
            )
            return redirect("applications:staff_dossier", dossier_id=dossier.pk)
    return _render_detail(request, _load_dossier(dossier_id), extension_form=form)
