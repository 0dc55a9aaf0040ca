"""Questions written as the form builder stores them, for the tests of each kind."""

from applications.questions import Question


def question(kind, question_id="q", **value):
    return Question(
        id=question_id, type=kind, value={"label": "Question", "required": True, **value}
    )


def items(*labels):
    """Choices as the Wagtail admin stores them: list items with ids, "c-" and the label."""
    return [{"type": "item", "value": label, "id": f"c-{label.lower()}"} for label in labels]
