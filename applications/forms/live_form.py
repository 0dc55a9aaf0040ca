"""Editing a live call's form safely: the dossier counts shown in the form tab, the confirmation
asked before a change that would set drafts' answers aside, the form builder's script with its
words, and the preview of the application form itself."""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import Panel

# The call's model imports this module (through its admin form) before the dossier's model
# exists: what reads dossiers is imported by the functions that use it.

CONFIRM = "confirm_form_changes"


def _live_definition(call):
    """The form drafts answer now: the call's stored row, not the revision being edited."""
    stored = type(call).objects.filter(pk=call.pk).values_list("form", flat=True).first()
    return list(stored.raw_data) if stored is not None else []


class LiveFormMixin(forms.Form):
    """Mixed into the call's admin form (first among its bases): publishing a change that would
    set drafts' answers aside is refused until the box below the dossier counts is ticked.

    Only a change that reaches the drafts is checked: a publication, or any save of a call that is
    not live (Wagtail writes its row at once). Saving a draft revision of a live call, its
    autosave and its preview change nothing drafts answer, so they are never held back."""

    confirm_form_changes = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "Publish these changes anyway. Answers that can be carried are carried (renamed "
            "choices, compatible kinds); the others are kept aside in each dossier, never erased, "
            "and come back if the question or the choice returns."
        ),
    )

    # The changes found by the last clean() that reach drafts, for the dossier counts panel.
    form_changes = ()

    def clean(self):
        from applications.domain.form_changes import needs_confirmation

        cleaned = super().clean()
        self.form_changes = self._changes_reaching_drafts(cleaned)
        if needs_confirmation(self.form_changes) and not cleaned.get(CONFIRM):
            self.add_error(
                None,
                forms.ValidationError(
                    [
                        _("Publishing this form would set answers of drafts aside:"),
                        *(change.message() for change in self.form_changes),
                        _(
                            "Check the box at the top of the “Application form” tab to publish "
                            "anyway, or undo these changes."
                        ),
                    ],
                    code="form_changes",
                ),
            )
        return cleaned

    def _changes_reaching_drafts(self, cleaned):
        from applications.domain.form_changes import draft_answers, form_changes, keep_choice_keys

        call = self.instance
        edited = cleaned.get("form")
        if call.pk is None or edited is None:
            return ()
        keep_choice_keys(_live_definition(call), edited)
        if not self._reaches_drafts():
            return ()
        answers = draft_answers(call)
        if not answers:
            return ()
        return tuple(form_changes(_live_definition(call), edited.get_prep_value(), answers))

    def _reaches_drafts(self):
        return bool(self.data.get("action-publish")) or not self.instance.live

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["applications/admin/form_builder.css"]},
            js=[
                forms.Script(
                    "applications/admin/form_builder.js",
                    defer=True,
                    **{"data-form-builder-words": json.dumps(builder_words())},
                )
            ],
        )


def builder_words():
    """The words of the form builder's script, in the editor's language, and the kinds of
    question a condition may test: {name: their fixed answers, or None when the block's own
    choices are the answers}."""
    from applications.questions import KINDS

    sources = {
        name: (
            None
            if kind.fixed_answers is None
            else [[key, str(label)] for key, label in kind.fixed_answers]
        )
        for name, kind in KINDS.items()
        if kind.condition_source
    }
    return {
        "sources": sources,
        "showIf": _("Show this question only if…"),
        "always": _("Always show this question"),
        "operator": _("Comparison"),
        "is": _("is"),
        "isOneOf": _("is one of"),
        "isNot": _("is not"),
        "answers": _("Answers"),
        "untitled": _("Untitled question"),
        "noSource": _(
            "Add a yes/no or choice question above this one to make this question conditional."
        ),
        "missing": _(
            "The question this one depended on is gone or moved below it: pick another one."
        ),
        "missingOption": _("(a question no longer above this one)"),
        "pickAnswer": _("Pick at least one answer."),
    }


class DossierCountsPanel(Panel):
    """The call's dossiers by state, shown above the form builder, and the confirmation asked
    when a change would set drafts' answers aside. Nothing on a call being created."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Dossiers answering this call"))
        super().__init__(**kwargs)

    def get_form_options(self):
        # The confirmation box is drawn here, next to the changes it confirms.
        base_form = getattr(self.model, "base_form_class", None)
        if isinstance(base_form, type) and issubclass(base_form, LiveFormMixin):
            return {"fields": [CONFIRM]}
        return {}

    class BoundPanel(Panel.BoundPanel):
        template_name = "applications/admin/dossier_counts.html"

        def is_shown(self):
            return bool(self.instance is not None and self.instance.pk)

        @cached_property
        def counts(self):
            from applications.domain.form_changes import dossier_counts

            return dossier_counts(self.instance)

        @cached_property
        def by_state(self):
            from applications.domain.form_changes import dossiers_by_state

            return dossiers_by_state(self.instance)

        def get_context_data(self, parent_context=None):
            from applications.domain.form_changes import needs_confirmation

            context = super().get_context_data(parent_context)
            changes = tuple(getattr(self.form, "form_changes", ()))
            confirm = (
                self.form[CONFIRM]
                if self.form is not None and CONFIRM in self.form.fields
                else None
            )
            context.update(
                {
                    "summary": counts_sentence(self.counts),
                    "has_dossiers": self.counts["total"] > 0,
                    "by_state": self.by_state,
                    "changes": changes,
                    "refused": needs_confirmation(changes),
                    "confirm": confirm if needs_confirmation(changes) else None,
                }
            )
            return context


def counts_sentence(counts):
    """The call's dossiers in one sentence: "This call has 14 dossiers: 5 drafts, 8 submitted,
    1 withdrawn." (a state with none is left out)."""
    total = counts["total"]
    if not total:
        return _("No dossier answers this call yet: its form can change freely.")
    parts = []
    if counts["drafts"]:
        parts.append(
            ngettext("%(count)s draft", "%(count)s drafts", counts["drafts"])
            % {"count": counts["drafts"]}
        )
    if counts["submitted"]:
        parts.append(
            ngettext("%(count)s submitted", "%(count)s submitted", counts["submitted"])
            % {"count": counts["submitted"]}
        )
    if counts["withdrawn"]:
        parts.append(
            ngettext("%(count)s withdrawn", "%(count)s withdrawn", counts["withdrawn"])
            % {"count": counts["withdrawn"]}
        )
    return ngettext(
        "This call has %(count)s dossier: %(parts)s.",
        "This call has %(count)s dossiers: %(parts)s.",
        total,
    ) % {"count": total, "parts": ", ".join(parts)}


def preview_response(call, request):
    """The application form of `call` (as edited, not yet published), as an applicant sees it.

    Only reached through Wagtail's preview views, which check the editor's rights on the page;
    checked again here, since this renders a page of the site for whoever asks it."""
    from applications.domain.answer_input import DOSSIER_CHARACTER_CAP
    from applications.forms.dossier import DossierForm

    if not getattr(request, "is_preview", False):
        raise Http404
    user = request.user
    if not user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    if call.pk is not None and not call.permissions_for_user(user).can_edit():
        raise PermissionDenied
    # The blocks added in the editor get their ids here, as they will when published.
    definition = list(call.form.get_prep_value())
    context = {
        "call": call,
        "form": DossierForm(definition),
        "preview": True,
        "revision": 0,
        "size_cap": DOSSIER_CHARACTER_CAP,
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or "",
        "max_upload_mb": _max_upload_mb(),
        "can_submit": False,
        "deadline_passed": False,
    }
    return render(request, "applications/admin/form_preview.html", context)


def _max_upload_mb():
    from applications.domain.attachments import max_upload_bytes

    return max_upload_bytes() // (1024 * 1024)
