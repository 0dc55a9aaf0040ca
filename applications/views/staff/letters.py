"""The staff's decision letters for a call: the templates per outcome, the letters prepared as
held e-mails, each one edited on its own page, then all released together at a chosen time."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accelerator.domain.refusals import Refused
from accelerator.views.refusals import show_refusal
from applications.domain import letters as domain
from applications.domain.deliberation import DECIDED_STATES, last_decision
from applications.forms.letters import LetterForm, LetterTemplateForm, ReleaseForm, placeholder_list
from applications.models import (
    Call,
    DecisionLetter,
    DecisionOutcome,
    Dossier,
    DossierState,
    Score,
)
from applications.templatetags.call_tags import paris_datetime
from applications.views.staff.deliberation import staff_permission_required

letters_required = staff_permission_required("applications.manage_decision_letters")


def _call(call_id):
    return get_object_or_404(Call.objects.select_related("programme"), pk=call_id)


def _letter_status(dossier, now):
    """What the list says about a decided dossier's letter, and whether it needs a hand."""
    letter = getattr(dossier, "decision_letter", None)
    if letter is None:
        return _("Not prepared"), True
    if not domain.is_current(letter, dossier):
        return _("Says an earlier decision: prepare the letters again"), True
    if letter.release_at is None:
        return _("Prepared, held until release"), False
    if letter.release_at > now:
        return _("Scheduled for %(moment)s") % {"moment": paris_datetime(letter.release_at)}, False
    return _("Released on %(moment)s") % {"moment": paris_datetime(letter.release_at)}, False


def _template_forms(call, language, bound=None):
    templates = domain.letter_templates(call, language)
    forms_by_outcome = []
    for outcome, template in templates.items():
        if bound and bound[0] == outcome:
            form = bound[1]
        else:
            form = LetterTemplateForm(instance=template, prefix=outcome)
        forms_by_outcome.append({"outcome": outcome, "label": template, "form": form})
    return forms_by_outcome


# The list shows a page of the decided dossiers; the counts above it cover them all (one grouped
# query), so the page costs the same on a call of 50 decisions or of 5,000.
PAGE_SIZE = 50
# What the list reads of a dossier and its letter: not the answers, nor the letter's text.
LIST_FIELDS = (
    "reference",
    "state",
    "structure__name",
    "decision_letter__outcome",
    "decision_letter__release_at",
)


def _back(request, call):
    """The letters page as it was shown (its page), after a form posted from it."""
    url = reverse("applications:staff_letters", kwargs={"call_id": call.pk})
    number = request.GET.get("page")
    return redirect(f"{url}?{urlencode({'page': number})}" if number else url)


def _render_page(request, call, *, bound_template=None, release_form=None, status=200):
    now = timezone.now()
    counts = domain.letter_counts(call, now)
    paginator = Paginator(
        Dossier.objects.filter(call=call, state__in=DECIDED_STATES)
        .select_related("structure", "decision_letter")
        .only(*LIST_FIELDS)
        .order_by("state", "reference"),
        PAGE_SIZE,
    )
    paginator.count = counts["decided"]  # known already: spares a count of the call
    page = paginator.get_page(request.GET.get("page"))
    dossiers = list(page.object_list)
    # get_FOO_display hashes the whole list of (lazy) choices at every call: label rows once.
    labels = dict(DossierState.choices)
    for dossier in dossiers:
        dossier.state_label = labels[dossier.state]
        dossier.letter_status, dossier.letter_needs_work = _letter_status(dossier, now)
    context = {
        "call": call,
        "templates": _template_forms(call, request.user.language, bound_template),
        "placeholders": placeholder_list(),
        "dossiers": dossiers,
        "page": page,
        # Appended to the forms' addresses, so that each one brings staff back to this page.
        "page_query": f"?{urlencode({'page': page.number})}" if page.number > 1 else "",
        "decided": counts["decided"],
        "not_ready": counts["not_ready"],
        "held": counts["held"],
        "scheduled": counts["scheduled"],
        "release_form": release_form or ReleaseForm(),
        # The form just refused, for the error summary at the top of the page.
        "sent_form": bound_template[1] if bound_template else release_form,
    }
    return render(request, "applications/staff/letters/page.html", context, status=status)


@letters_required
def letters_page(request, call_id):
    call = _call(call_id)
    if request.method != "POST":
        return _render_page(request, call)
    outcome = request.POST.get("outcome", "")
    # Checked before the templates are read: reading them writes the missing defaults.
    if outcome not in DecisionOutcome.values:
        raise Http404
    templates = domain.letter_templates(call, request.user.language)
    form = LetterTemplateForm(request.POST, instance=templates[outcome], prefix=outcome)
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _(
                "The template is saved. Letters already prepared keep their text: rewrite one "
                "from its own page if needed."
            ),
        )
        return _back(request, call)
    return _render_page(request, call, bound_template=(outcome, form), status=400)


@letters_required
@require_POST
def prepare(request, call_id):
    call = _call(call_id)
    written = domain.prepare_letters(call, request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d letter was written. Its e-mails are held until you release them.",
            "%(count)d letters were written. Their e-mails are held until you release them.",
            written,
        )
        % {"count": written}
        if written
        else _("Every decided dossier already has its letter."),
    )
    return _back(request, call)


@letters_required
@require_POST
def release(request, call_id):
    call = _call(call_id)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _render_page(request, call, release_form=form, status=400)
    moment = form.cleaned_data["release_at"]
    try:
        count = domain.release_letters(call, request.user, moment)
    except Refused as refusal:
        show_refusal(request, refusal, form)
        return _render_page(request, call, release_form=form, status=400)
    if moment is None:
        text = ngettext(
            "%(count)d letter is released and on its way.",
            "%(count)d letters are released and on their way.",
            count,
        ) % {"count": count}
    else:
        text = ngettext(
            "%(count)d letter will be sent on %(moment)s.",
            "%(count)d letters will be sent on %(moment)s.",
            count,
        ) % {"count": count, "moment": paris_datetime(moment)}
    messages.success(request, text)
    return _back(request, call)


@letters_required
@require_POST
def cancel(request, call_id):
    call = _call(call_id)
    count = domain.cancel_release(call, request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d scheduled letter is held again.",
            "%(count)d scheduled letters are held again.",
            count,
        )
        % {"count": count},
    )
    return _back(request, call)


# --- one dossier's letter --------------------------------------------------------------------


def _decided_dossier(call, dossier_id):
    return get_object_or_404(
        Dossier.objects.filter(call=call, state__in=DECIDED_STATES).select_related(
            "call", "structure"
        ),
        pk=dossier_id,
    )


def _jury_comments(dossier):
    """The comments of submitted reviews, by criterion; staff choose which reach the letter."""
    return list(
        Score.objects.filter(
            review__assignment__dossier=dossier, review__submitted_at__isnull=False
        )
        .exclude(comment="")
        .select_related("criterion")
        .order_by("criterion__sort_order", "criterion__pk", "pk")
    )


def _render_letter(request, call, dossier, *, letter_form=None, status=200):
    letter = DecisionLetter.objects.filter(dossier=dossier).first()
    locked = letter is not None and domain.is_locked(letter)
    if letter is not None and letter_form is None:
        letter_form = LetterForm(initial={"subject": letter.subject, "body": letter.body})
    context = {
        "call": call,
        "dossier": dossier,
        "decision": last_decision(dossier),
        "letter": letter,
        "current": domain.is_current(letter, dossier),
        "locked": locked,
        "letter_form": letter_form,
        "comments": _jury_comments(dossier),
        "outbox": list(domain.letter_messages(letter)) if letter else [],
    }
    return render(request, "applications/staff/letters/letter.html", context, status=status)


@letters_required
def letter_page(request, call_id, dossier_id):
    call = _call(call_id)
    dossier = _decided_dossier(call, dossier_id)
    if request.method != "POST":
        return _render_letter(request, call, dossier)
    action = request.POST.get("action", "")
    letter = DecisionLetter.objects.filter(dossier=dossier).select_related("dossier").first()
    if action in ("share", "share_rewrite"):
        ids = [int(value) for value in request.POST.getlist("shared") if value.isdigit()]
        domain.share_comments(dossier, request.user, ids)
        done = _("Your choice of comments is saved.")
        if action == "share_rewrite" and letter is not None:
            letter.dossier = dossier
            return _rewrite(request, call, dossier, letter, done)
        messages.success(request, done)
        return redirect("applications:staff_letter", call_id=call.pk, dossier_id=dossier.pk)
    if letter is None:
        messages.error(request, _("This dossier has no letter yet: prepare the letters first."))
        return redirect("applications:staff_letter", call_id=call.pk, dossier_id=dossier.pk)
    letter.dossier = dossier
    if action == "rewrite":
        return _rewrite(request, call, dossier, letter, "")
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            domain.edit_letter(letter, request.user, **form.cleaned_data)
        except Refused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(
                request, _("The letter is saved; its held e-mails now carry the new text.")
            )
            return redirect("applications:staff_letter", call_id=call.pk, dossier_id=dossier.pk)
    return _render_letter(request, call, dossier, letter_form=form, status=400)


def _rewrite(request, call, dossier, letter, done):
    try:
        domain.rewrite_letter(letter, request.user)
    except Refused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(
            request,
            " ".join(filter(None, [done, _("The letter is written again from its template.")])),
        )
    return redirect("applications:staff_letter", call_id=call.pk, dossier_id=dossier.pk)
