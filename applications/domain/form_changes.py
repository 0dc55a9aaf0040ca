"""What publishing an edited form does to the drafts that answer the live one (questions deleted,
choices removed, kinds changed), and the call's dossiers counted by state for the form builder."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.domain.form_definition import questions
from applications.models import Dossier, DossierState

DELETED, CHOICES_REMOVED, KIND_CHANGED = "deleted", "choices_removed", "kind_changed"

# The dossiers that answer the call's live form: a draft, or a dossier back with its applicant
# that was never submitted (a submitted one keeps `form_snapshot`, the form it answered).
FOLLOWING_STATES = (DossierState.DRAFT, DossierState.INFO_REQUESTED)


@dataclass(frozen=True)
class FormChange:
    """One change of the form that reaches drafts' answers. `touched`: drafts whose answer can no
    longer be read and is set aside (kept in the dossier, out of view); `carried`: drafts whose
    answer is read in the question's new shape."""

    question_id: str
    label: str
    change: str  # DELETED | CHOICES_REMOVED | KIND_CHANGED
    what: str  # what changed, in plain words
    touched: int
    carried: int

    def message(self):
        """The change and the drafts it reaches, in one sentence for the person publishing."""
        parts = []
        if self.change == DELETED:
            parts.append(
                ngettext(
                    "%(count)s draft answered it",
                    "%(count)s drafts answered it",
                    self.touched,
                )
                % {"count": self.touched}
            )
        else:
            if self.touched:
                parts.append(
                    ngettext(
                        "the answer of %(count)s draft cannot be carried",
                        "the answers of %(count)s drafts cannot be carried",
                        self.touched,
                    )
                    % {"count": self.touched}
                )
            if self.carried:
                parts.append(
                    ngettext(
                        "the answer of %(count)s draft is carried",
                        "the answers of %(count)s drafts are carried",
                        self.carried,
                    )
                    % {"count": self.carried}
                )
        return _("%(change)s: %(drafts)s.") % {"change": self.what, "drafts": ", ".join(parts)}


def following_drafts(call):
    """The dossiers of `call` that answer its live form and whose applicant may still edit them."""
    return Dossier.objects.filter(call=call, form_snapshot__isnull=True, state__in=FOLLOWING_STATES)


def draft_answers(call):
    """The answers of the drafts following `call`'s live form, in one query."""
    return list(following_drafts(call).values_list("answers", flat=True))


def form_changes(live, edited, answers):
    """The changes from the definition `live` to `edited` that reach the drafts' `answers` (a list
    of answer dicts), in the live form's order. A change no draft answered is left out; a choice
    renamed keeps its key, so it changes nothing."""
    edited_by_id = {question.id: question for question in questions(edited)}
    changes = []
    for old in questions(live):
        new = edited_by_id.get(old.id)
        touched = carried = 0
        for stored in answers:
            stored = stored if isinstance(stored, dict) else {}
            before = old.kind.carry(old, stored.get(old.id))
            if before is None:
                # Unanswered, or already set aside by an earlier change: nothing more to lose.
                continue
            after = None if new is None else new.kind.carry(new, stored.get(old.id))
            if after is None or _lost_some(before, after):
                touched += 1
            elif new.type != old.type:
                carried += 1
        if touched or carried:
            changes.append(_change(old, new, touched, carried))
    return changes


def _lost_some(before, after):
    # A selection read with fewer choices (a multiple choice whose choice was removed).
    if isinstance(before, list) and isinstance(after, list):
        return bool(set(map(str, before)) - set(map(str, after)))
    return False


def _change(old, new, touched, carried):
    label = old.label or _("Untitled question")
    if new is None:
        what = _("“%(label)s” deleted") % {"label": label}
        return FormChange(old.id, label, DELETED, what, touched, carried)
    if new.type != old.type:
        what = _("“%(label)s” changed from “%(old)s” to “%(new)s”") % {
            "label": label,
            "old": _kind_label(old),
            "new": _kind_label(new),
        }
        return FormChange(old.id, label, KIND_CHANGED, what, touched, carried)
    kept = {choice.key for choice in new.choices}
    removed = [choice.label for choice in old.choices if choice.key not in kept]
    what = ngettext(
        "“%(label)s”: the choice %(choices)s removed",
        "“%(label)s”: the choices %(choices)s removed",
        len(removed),
    ) % {"label": label, "choices": ", ".join(_quoted(name) for name in removed)}
    return FormChange(old.id, label, CHOICES_REMOVED, what, touched, carried)


def _quoted(text):
    return _("“%(text)s”") % {"text": text}


def _kind_label(question):
    # The name staff read in the form builder's menu of blocks ("Short text", "Yes / no").
    block_class = getattr(question.kind, "block_class", None)
    label = getattr(getattr(block_class, "_meta_class", None), "label", None)
    return str(label or question.type)


def keep_choice_keys(live, edited):
    """Give a choice deleted and added again under the same label its former key, so that the
    drafts' answers and the display conditions that name it still find it. `edited` is the
    form's StreamValue as the admin cleaned it; changed in place."""
    former = {question.id: question.choices for question in questions(live)}
    for block in edited:
        choices = former.get(str(block.id))
        items = getattr(block.value, "get", lambda _name: None)("choices")
        if not choices or items is None or not hasattr(items, "bound_blocks"):
            continue
        current = {str(item.id) for item in items.bound_blocks if item.id}
        free = {
            choice.label.strip().casefold(): choice.key
            for choice in choices
            if choice.key not in current
        }
        for item in items.bound_blocks:
            key = free.pop(str(item.value).strip().casefold(), None)
            if key is not None and str(item.id) not in {c.key for c in choices}:
                item.id = key


def needs_confirmation(changes):
    """Whether publishing `changes` sets any draft's answer aside."""
    return any(change.touched for change in changes)


def dossier_counts(call):
    """{"total", "drafts", "submitted", "withdrawn"} of `call`'s dossiers, in one query. Drafts
    follow the live form; submitted ones (whatever came after) keep the form they answered.
    "by_state" lists (state label, count) for every state that has dossiers, in the machine's
    order."""
    following = Q(form_snapshot__isnull=True, state__in=FOLLOWING_STATES)
    withdrawn = Q(state=DossierState.WITHDRAWN)
    counts = Dossier.objects.filter(call=call).aggregate(
        total=Count("pk"),
        drafts=Count("pk", filter=following),
        withdrawn=Count("pk", filter=withdrawn),
    )
    counts["submitted"] = counts["total"] - counts["drafts"] - counts["withdrawn"]
    return counts


def dossiers_by_state(call):
    """(state label, count) of `call`'s dossiers for every state that has some, in one query."""
    found = dict(
        Dossier.objects.filter(call=call)
        .order_by()
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    return [(state.label, found[state.value]) for state in DossierState if found.get(state.value)]
