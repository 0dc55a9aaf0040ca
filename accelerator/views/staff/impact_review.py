"""The programme's side of an impact report: its référent and the programme's managers validate
it or send it back with a comment (through the report's machine, which logs the move and tells
the structure), and the staff and the territory's support point comment on it. Both re-render
the report's page when refused, with what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accelerator.domain.impact_records import add_comment
from accelerator.domain.impact_reports import change_report_state
from accelerator.domain.refusals import Refused
from accelerator.forms.impact_report import CommentForm, ReviewForm
from accelerator.views.impact_report_page import render_report, report_for, report_url
from accelerator.views.refusals import show_refusal

MOVED = {
    "validate": gettext_lazy("The report is validated; the structure is told."),
    "request_changes": gettext_lazy("The report is sent back to the structure with your comment."),
}


@login_required
@require_POST
def move(request, pk, name):
    if name not in MOVED:
        raise Http404
    report = report_for(request, pk, "accelerator.validate_impact")
    form = ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            change_report_state(report, name, request.user, comment)
        except Refused as refusal:
            # Sending back without a comment is refused on the comment; anything else (the
            # report moved meanwhile) on the form as a whole.
            missing = name == "request_changes" and not comment.strip()
            show_refusal(request, refusal, form, "comment" if missing else None)
        else:
            messages.success(request, str(MOVED[name]))
            return redirect(report_url(report))
    # The report may have moved under us: show it as it is now, with the comment typed.
    return render_report(request, report_for(request, pk), {"review": form})


@login_required
@require_POST
def comment(request, pk):
    report = report_for(request, pk, "accelerator.comment_impact")
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            add_comment(report, request.user, form.cleaned_data["body"])
        except Refused as refusal:
            show_refusal(request, refusal, form, "body")
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(report_url(report, "comments"))
    return render_report(request, report, {"comment": form})
