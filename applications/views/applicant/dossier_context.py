"""What the dossier page and its autosave both show beside the answers: the completeness with a
link from each answer to fill in or to correct to its field, and the warnings where an answer
differs from the structure's profile."""

from applications.domain.completeness_links import linked_measure
from applications.domain.form_definition import visible_ids
from applications.domain.profile_answers import contradictions


def completeness_for(form, definition, answers, file_counts):
    """The completeness of `answers`, its lines as {"anchor", "label"} in `missing_links` and
    `to_correct_links` (the anchor is the id of the field's first input in `form`)."""
    measured = linked_measure(definition, answers, file_counts)
    measured.missing_links = _links(form, measured.missing_ids, measured.missing)
    measured.to_correct_links = _links(form, measured.to_correct_ids, measured.to_correct)
    return measured


def _links(form, ids, labels):
    return [
        {"anchor": form.anchor(qid) if qid in form.fields else "completeness", "label": label}
        for qid, label in zip(ids, labels, strict=True)
    ]


def completeness_json(measured):
    return {
        "required": measured.required,
        "answered": measured.answered,
        "percent": measured.percent,
        "missing": measured.missing,
        "to_correct": measured.to_correct,
        # The same lines with the id of the field each links to.
        "missing_links": measured.missing_links,
        "to_correct_links": measured.to_correct_links,
    }


def warn_on_profile(form, definition, answers, structure):
    """Set `form.warnings` to the answers shown that differ from the profile of `structure`."""
    form.warnings = contradictions(
        definition, answers, structure, shown=visible_ids(definition, answers)
    )
    return form.warnings
