"""The catalogue of impact indicators staff keep: what may change once an indicator is in use.

An indicator's figures are stored as numbers or words according to its type of value, so once a
plan or a report holds it, a new type would make those figures mean something else (a 1 read as
"yes", 1,5 FTE read as 2). Such an indicator keeps its type and is never deleted; staff make it
inactive, and plans that chose it keep it.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.domain.refusals import Refused
from accelerator.models import Indicator, PlannedIndicator, ReportValue


def in_use(indicators):
    """The ids, among `indicators` (a queryset or a list of indicators), of those a plan or a
    report holds, in one query."""
    ids = [indicator.pk for indicator in indicators if indicator.pk]
    if not ids:
        return set()
    return set(
        Indicator.objects.filter(pk__in=ids)
        .filter(
            Exists(PlannedIndicator.objects.filter(indicator=OuterRef("pk")))
            | Exists(ReportValue.objects.filter(indicator=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )


def check_value_type_change(indicator, value_type):
    """Refuse, on the field, a new type of value for an indicator that plans or reports already
    hold. A new indicator, or one nobody uses yet, may take any type."""
    if indicator.pk is None:
        return
    stored = Indicator.objects.filter(pk=indicator.pk).values_list("value_type", flat=True).first()
    if stored is None or stored == value_type:
        return
    if not in_use([indicator]):
        return
    raise Refused(
        {
            "value_type": _(
                "Impact plans or reports already hold figures of this indicator: its type of "
                "value cannot change, or those figures would be read wrongly. Create a new "
                "indicator with the type you need, and untick “offered for new plans” on this one."
            )
        }
    )


def check_deletable(indicators):
    """Refuse to delete indicators a plan or a report holds (they are kept for those figures)."""
    used_ids = in_use(indicators)
    used = [indicator for indicator in indicators if indicator.pk in used_ids]
    if used:
        raise Refused(
            ngettext(
                "“%(names)s” is used in impact plans or reports: it cannot be deleted. Untick "
                "“offered for new plans” instead.",
                "“%(names)s” are used in impact plans or reports: they cannot be deleted. Untick "
                "“offered for new plans” instead.",
                len(used),
            )
            % {"names": ", ".join(str(indicator) for indicator in used)}
        )
