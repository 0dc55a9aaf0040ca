"""How complete a dossier's answers are, over the whole form: the problems that stop them from
being submitted, and the required questions answered so far (the progress bar). Questions hidden
by their condition count for neither."""

from dataclasses import dataclass, field

from applications.domain.answer_checks import answer_problems
from applications.domain.answers import attachment_counts, dossier_files, is_blank
from applications.domain.form_definition import form_definition, questions, visible_ids


def problems(definition, answers, file_counts=None):
    """Every problem that stops these answers from being submitted, as {question id: [messages]}.
    Questions hidden by their condition are ignored."""
    file_counts = file_counts or {}
    shown = visible_ids(definition, answers)
    found = {}
    for question in questions(definition):
        if question.id not in shown:
            continue
        messages = answer_problems(
            question, answers.get(question.id), file_counts.get(question.id, 0)
        )
        if messages:
            found[question.id] = messages
    return found


def missing_answers(dossier, attachments=None):
    """The problems that stop `dossier` from being submitted, as {field_id: [messages]}."""
    files = attachment_counts(dossier_files(dossier, attachments))
    return problems(form_definition(dossier), dossier.answers or {}, files)


@dataclass
class Completeness:
    required: int
    answered: int
    missing: list = field(default_factory=list)

    @property
    def percent(self):
        return 100 if not self.required else round(100 * self.answered / self.required)

    @property
    def is_complete(self):
        return self.answered == self.required


def measure(definition, answers, file_counts=None):
    """How many required questions that apply are answered, and the labels of the others."""
    file_counts = file_counts or {}
    shown = visible_ids(definition, answers)
    result = Completeness(required=0, answered=0)
    for question in questions(definition):
        if question.id not in shown or not question.required:
            continue
        result.required += 1
        if question.type == "file":
            answered = file_counts.get(question.id, 0) > 0
        else:
            answered = not is_blank(answers.get(question.id))
        if answered:
            result.answered += 1
        else:
            result.missing.append(question.label)
    return result


def completeness(dossier, attachments=None):
    """Required count, answered count and the labels still missing, for the progress bar."""
    files = attachment_counts(dossier_files(dossier, attachments))
    return measure(form_definition(dossier), dossier.answers or {}, files)
