"""The completeness of a dossier with the question each line names, so that the page links every
answer to fill in or to correct to its field. Same counts as `completeness.measure`."""

from applications.domain.completeness import Completeness, _shown_questions


def linked_measure(definition, answers, file_counts=None):
    """`completeness.measure`'s result, with `missing_ids` and `to_correct_ids`: the ids of the
    questions its `missing` and `to_correct` labels name, in the same order."""
    result = Completeness(required=0, answered=0)
    result.missing_ids, result.to_correct_ids = [], []
    for question, value, count in _shown_questions(definition, answers, file_counts or {}):
        kind = question.kind
        answered = kind.is_answered(question, value, count)
        if question.required:
            result.required += 1
            if answered:
                result.answered += 1
            else:
                result.missing.append(question.label)
                result.missing_ids.append(question.id)
        if answered and kind.problems(question, value, count):
            result.to_correct.append(question.label)
            result.to_correct_ids.append(question.id)
    return result
