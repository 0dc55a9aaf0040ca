"""The form a dossier answers: its definition (the raw StreamField data of `Call.form`, or the
dossier's `form_snapshot` once submitted), the questions read from it, and which of them apply
given the answers (display conditions)."""

from applications.questions import Question
from applications.questions.conditions import upgrade_conditions

SECTION = "section"


def form_definition(dossier):
    """The form this dossier answers: its snapshot once submitted, else the call's live form."""
    if dossier.form_snapshot is not None:
        return dossier.form_snapshot
    return list(dossier.call.form.raw_data)


def questions(definition):
    """The questions of a form definition, in order, sections left out; display conditions
    written the former way (by key) are read as today's."""
    return [
        Question(id=str(block.get("id")), type=block.get("type"), value=block.get("value") or {})
        for block in upgrade_conditions(definition)
        if block.get("type") != SECTION and block.get("id")
    ]


# --- which questions apply -----------------------------------------------------------------


def _testable(definition):
    """(question, its condition's source or None) in form order: a source is an earlier choice or
    yes/no question; a condition on anything else can never be met."""
    earlier = {}
    for question in questions(definition):
        condition = question.condition
        source = earlier.get(condition.question_id) if condition else None
        if source is not None and not source.kind.condition_source:
            source = None
        yield question, source
        earlier[question.id] = question


def visible_ids(definition, answers):
    """The ids of the questions that apply: a conditional question applies only when the earlier
    question it depends on applies and its answer passes the condition."""
    shown = set()
    for question, source in _testable(definition):
        condition = question.condition
        visible = condition is None or (
            source is not None
            and source.id in shown
            and source.kind.matches(source, source.answer(answers), condition)
        )
        if visible:
            shown.add(question.id)
    return shown


def conditions(definition):
    """For each conditional question whose condition can be tested, its Condition (the page's
    script shows and hides the question as the answers change)."""
    return {
        question.id: question.condition
        for question, source in _testable(definition)
        if source is not None
    }
