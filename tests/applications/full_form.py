"""A call form using every kind of block, shared by the applicant-side dossier tests."""


def _field(block_id, kind, label, *, required=True, show_if=None, **extra):
    """One question; `show_if` is (question id, answer) or (question id, operator, [answers])."""
    value = {"label": label, "help_text": f"Help for {label}", "required": required, **extra}
    if show_if:
        source, *rest = show_if
        operator, answers = ("is", rest) if len(rest) == 1 else (rest[0], rest[1])
        value.update(
            show_if_question=source, show_if_operator=operator, show_if_answers="\n".join(answers)
        )
    return {"type": kind, "value": value, "id": block_id}


FULL_FORM = [
    {"type": "section", "value": {"heading": "The project", "help_text": "Tell us"}, "id": "s-1"},
    _field("q-name", "short_text", "Project name", max_length=40),
    _field("q-desc", "long_text", "Description", limit_unit="words", limit=10),
    _field("q-pitch", "long_text", "Pitch", required=False, limit_unit="characters", limit=20),
    _field(
        "q-people", "number", "People reached", min_value="1", max_value="1000", integer_only=True
    ),
    _field("q-budget", "money", "Budget", min_value="1000", max_value="50000"),
    _field("q-start", "date", "Start date"),
    _field("q-funded", "yes_no", "Already funded?"),
    _field("q-funder", "short_text", "Which funder?", show_if=("q-funded", "yes"), max_length=""),
    # Choices written by hand, as plain strings: each label is its own key.
    _field("q-area", "single_choice", "Area", choices=["Rural", "Urban", "Both"]),
    _field(
        "q-villages",
        "number",
        "How many villages?",
        show_if=("q-area", "Rural"),
        min_value=None,
        max_value=None,
        integer_only=False,
    ),
    _field(
        "q-themes",
        "multiple_choice",
        "Themes",
        choices=["Food", "Mobility", "Housing"],
        max_selected=2,
    ),
    _field("q-files", "file", "Budget file", max_files=2),
    _field("q-partners", "partners", "Partners", min_rows=1, max_rows=3),
]

COMPLETE_ANSWERS = {
    "q-name": "Tiers-lieu",
    "q-desc": "A third place for the village.",
    "q-people": "120",
    "q-budget": "12500.00",
    "q-start": "2026-09-01",
    "q-funded": "no",
    "q-area": "Urban",
    "q-themes": ["Food"],
    "q-partners": [{"name": "Mairie", "kind": "public_body", "siret": "", "role": "Premises"}],
}


def form_post(answers=None, **extra):
    """The POST data a browser sends for `answers` of FULL_FORM (files aside)."""
    answers = COMPLETE_ANSWERS if answers is None else answers
    data = {}
    for key, value in answers.items():
        if key == "q-partners":
            for column in ("name", "kind", "siret", "role"):
                data[f"{key}.{column}"] = [row.get(column, "") for row in value]
        else:
            data[key] = value
    data.update(extra)
    return data


def ensure_wagtail_tree():
    """Give a transactional test the Wagtail root page its migrations create: a transactional
    test that ran before (a browser test with its live server) may have emptied the database."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        locale = Locale.objects.first() or Locale.objects.create(
            language_code=settings.LANGUAGE_CODE
        )
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
