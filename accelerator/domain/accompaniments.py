"""Who follows an accompaniment: its référent among the staff and the support point of the
structure's département. Changed by the people who move the structure."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accelerator.models import Accompaniment, SupportPoint


def referent_choices():
    """The people who may be a référent: active programme staff."""
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def support_point_choices(accompaniment):
    """The support points of the structure's département."""
    return SupportPoint.objects.filter(department_id=accompaniment.structure.department_id)


def _check_may_assign(actor, accompaniment):
    if not actor.has_perm("accelerator.move_accompaniment", accompaniment):
        raise PermissionDenied


def _update(accompaniment, **fields):
    # An update of these columns only: the stage is left to the machine, and a concurrent stage
    # change does not make this save fail.
    Accompaniment.objects.filter(pk=accompaniment.pk).update(**fields)
    for name, value in fields.items():
        setattr(accompaniment, name, value)
    return accompaniment


def set_referent(accompaniment, actor, referent):
    """Make `referent` (a staff member, or None) the accompaniment's référent."""
    _check_may_assign(actor, accompaniment)
    if referent is not None and not referent_choices().filter(pk=referent.pk).exists():
        raise ValidationError(
            {"referent": _("The référent must be a member of the programme staff.")}
        )
    return _update(accompaniment, referent=referent)


def set_support_point(accompaniment, actor, support_point):
    """Make `support_point` (one of the structure's département, or None) follow it."""
    _check_may_assign(actor, accompaniment)
    if (
        support_point is not None
        and support_point.department_id != accompaniment.structure.department_id
    ):
        raise ValidationError(
            {
                "support_point": _(
                    "%(support_point)s is not a support point of the structure's département."
                )
                % {"support_point": support_point.name}
            }
        )
    return _update(accompaniment, support_point=support_point)
