"""What the programme page shows: the five stages of the journey with the editors' words, and
the points d'appui grouped by département."""

from dataclasses import dataclass, field

from accelerator.models import Department, SupportPoint
from accelerator.models.journey import ACTIVE_STAGES


@dataclass
class JourneyStage:
    number: int
    label: str
    text: str


def journey(blocks):
    """The five stages in the programme's order, each with the text written for it (the first
    block of that stage; none when editors wrote nothing), whatever order the blocks are in."""
    texts = {}
    for block in blocks:
        texts.setdefault(block.value["stage"], block.value["text"])
    return [
        JourneyStage(number=number, label=stage.label, text=texts.get(stage.value, ""))
        for number, stage in enumerate(ACTIVE_STAGES, start=1)
    ]


@dataclass
class DepartmentSupport:
    department: Department
    support_points: list = field(default_factory=list)


def support_points_by_department():
    """Every département that has a point d'appui, by INSEE code, with its points d'appui by
    name: one query. Only their names are public, not their members."""
    groups = {}
    points = SupportPoint.objects.select_related("department").order_by("department__code", "name")
    for point in points.only("name", "department__code", "department__name"):
        groups.setdefault(point.department_id, DepartmentSupport(point.department))
        groups[point.department_id].support_points.append(point)
    return list(groups.values())
