"""Around the journey: milestones (from the programme's templates or by hand), notes and
documents, each seen by its audience."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.files import (
    check_upload,
    delete_with_file,
    display_name,
    save_with_file,
)
from accelerator.models import (
    ACTIVE_STAGES,
    Document,
    Milestone,
    MilestoneTemplate,
    Note,
    Stage,
    Visibility,
)
from accelerator.permissions import (
    is_accompaniment_member,
    is_accompaniment_support_point,
    is_programme_staff,
)

# --- who sees what


def audience(user, accompaniment):
    """The visibilities `user` may read on `accompaniment`, widest first; empty when none."""
    if is_programme_staff(user):
        return [Visibility.STAFF, Visibility.SUPPORT_POINT, Visibility.EVERYONE]
    if is_accompaniment_support_point(user, accompaniment):
        return [Visibility.SUPPORT_POINT, Visibility.EVERYONE]
    if is_accompaniment_member(user, accompaniment):
        return [Visibility.EVERYONE]
    return []


def visible_to(queryset, user, accompaniment):
    """Notes or documents of `accompaniment` that `user` may see."""
    return queryset.filter(
        accompaniment=accompaniment, visibility__in=audience(user, accompaniment)
    )


def _check_visibility(actor, accompaniment, visibility):
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who may see it."), code="visibility")
    # Nobody writes for an audience they are not part of (a support point's note for staff
    # only would vanish from its own author's view).
    if visibility not in audience(actor, accompaniment):
        raise ValidationError(_("You cannot choose this audience."), code="visibility")


# --- milestones


def _templates(programme_id, stage):
    return MilestoneTemplate.objects.filter(
        programme_id=programme_id, stage=stage, active=True
    ).order_by("position", "pk")


def _milestone(template, accompaniment, stage, actor, today):
    """The milestone `template` gives `accompaniment` entering `stage` on `today`."""
    due_on = None
    if template.due_after_days is not None:
        due_on = today + datetime.timedelta(days=template.due_after_days)
    return Milestone(
        accompaniment=accompaniment,
        template=template,
        stage=stage,
        title=template.title,
        description=template.description,
        kind=template.kind,
        owner=template.owner,
        due_on=due_on,
        created_by=actor,
    )


def open_stage_milestones(accompaniment, stage=None, actor=None, today=None):
    """Create the milestones of the programme's active templates for `stage` (the current stage
    by default), due N days from `today`. A template already used for this accompaniment is
    skipped, so a stage entered again after a pause keeps its milestones. Returns those created."""
    stage = stage or accompaniment.stage
    if stage not in ACTIVE_STAGES:
        return []
    today = today or timezone.localdate()
    templates = _templates(accompaniment.cohort.programme_id, stage).exclude(
        milestones__accompaniment=accompaniment
    )
    return Milestone.objects.bulk_create(
        [_milestone(t, accompaniment, stage, actor, today) for t in templates]
    )


def open_first_milestones(accompaniments, programme_id, actor=None, today=None):
    """The sourcing milestones of structures that just joined a cohort of the programme: the
    templates read once, the milestones written in one go, whatever the number of structures."""
    today = today or timezone.localdate()
    templates = list(_templates(programme_id, Stage.SOURCING))
    return Milestone.objects.bulk_create(
        [
            _milestone(template, accompaniment, Stage.SOURCING, actor, today)
            for accompaniment in accompaniments
            for template in templates
        ]
    )


def add_milestone(accompaniment, actor, title, **fields):
    """A milestone added by hand, in the current stage unless `stage` is given."""
    if not actor.has_perm("accelerator.plan_milestone", accompaniment):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the milestone a title."), code="title")
    fields.setdefault("stage", accompaniment.stage)
    allowed = {"stage", "description", "due_on", "owner", "kind"}
    unexpected = set(fields) - allowed
    if unexpected:
        raise ValueError(f"add_milestone takes no {', '.join(sorted(unexpected))}")
    return Milestone.objects.create(
        accompaniment=accompaniment, title=title, created_by=actor, **fields
    )


def set_milestone_status(milestone, status, actor):
    """Mark a milestone open, done or dropped; records who closed it and when."""
    if not actor.has_perm("accelerator.close_milestone", milestone):
        raise PermissionDenied
    if status not in Milestone.Status.values:
        raise ValidationError(_("Unknown milestone status."), code="status")
    milestone.status = status
    if status == Milestone.Status.OPEN:
        milestone.closed_at, milestone.closed_by = None, None
    else:
        milestone.closed_at, milestone.closed_by = timezone.now(), actor
    milestone.save(update_fields=["status", "closed_at", "closed_by"])
    return milestone


# --- notes and documents


def add_note(accompaniment, actor, body, visibility=Visibility.STAFF):
    if not actor.has_perm("accelerator.annotate_accompaniment", accompaniment):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The note is empty."), code="empty")
    _check_visibility(actor, accompaniment, visibility)
    return Note.objects.create(
        accompaniment=accompaniment, author=actor, body=body, visibility=visibility
    )


def add_document(accompaniment, actor, uploaded, title="", visibility=Visibility.STAFF):
    """Check and store a document; ValidationError in plain words naming the file otherwise."""
    if not actor.has_perm("accelerator.annotate_accompaniment", accompaniment):
        raise PermissionDenied
    _check_visibility(actor, accompaniment, visibility)
    content_type, extension = check_upload(uploaded)
    name = display_name(uploaded.name)
    document = Document(
        accompaniment=accompaniment,
        title=(title or "").strip() or name,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        visibility=visibility,
        uploaded_by=actor,
    )
    return save_with_file(document, uploaded, extension)


def remove_document(document, actor):
    """Staff, or the person who uploaded it, remove a document and its stored file."""
    if not (is_programme_staff(actor) or document.uploaded_by_id == actor.pk):
        raise PermissionDenied
    delete_with_file(document)
