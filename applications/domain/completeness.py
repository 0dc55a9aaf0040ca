"""How complete a dossier's answers are, over the whole form: the problems that stop them from
being submitted, and the required questions answered so far (the progress bar), apart from the
answers given that need a correction. Questions hidden by their condition count for none."""

from dataclasses import dataclass, field

from applications.domain.answers import attachment_counts, dossier_files
from applications.domain.form_definition import form_definition, questions, visible_ids


def _shown_questions(definition, answers, file_counts):
    """(question, its answer as its kind reads it, its file count) of the questions that apply."""
    shown = visible_ids(definition, answers)
    for question in questions(definition):
        kind = question.kind
        if question.id in shown and (kind.stores_answer or kind.takes_files):
            yield question, question.answer(answers), file_counts.get(question.id, 0)


def problems(definition, answers, file_counts=None):
    """Every problem that stops these answers from being submitted, as {question id: [messages]}.
    Questions hidden by their condition are ignored."""
    found = {}
    for question, value, count in _shown_questions(definition, answers, file_counts or {}):
        messages = question.kind.problems(question, value, count)
        if messages:
            found[question.id] = messages
    return found


def missing_answers(dossier, attachments=None):
    """The problems that stop `dossier` from being submitted, as {field_id: [messages]}."""
    files = attachment_counts(dossier_files(dossier, attachments))
    return problems(form_definition(dossier), dossier.answers or {}, files)


@dataclass
class Completeness:
    """`missing`: the labels of the required questions to fill in; `to_correct`: the labels of
    the questions filled in whose answer needs a correction."""

    required: int
    answered: int
    missing: list = field(default_factory=list)
    to_correct: list = field(default_factory=list)

    @property
    def percent(self):
        return 100 if not self.required else round(100 * self.answered / self.required)

    @property
    def is_complete(self):
        return self.answered == self.required and not self.to_correct


def measure(definition, answers, file_counts=None):
    """How many required questions that apply are answered, the labels of the others, and the
    labels of the answers given that need a correction."""
    result = Completeness(required=0, answered=0)
    for question, value, count in _shown_questions(definition, answers, file_counts or {}):
        kind = question.kind
        answered = kind.is_answered(question, value, count)
        if question.required:
            result.required += 1
            if answered:
                result.answered += 1
            else:
                result.missing.append(question.label)
        if answered and kind.problems(question, value, count):
            result.to_correct.append(question.label)
    return result


def completeness(dossier, attachments=None):
    """Required count, answered count, and the labels to fill in and to correct."""
    files = attachment_counts(dossier_files(dossier, attachments))
    return measure(form_definition(dossier), dossier.answers or {}, files)
