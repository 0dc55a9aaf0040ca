"""Short and long texts: their fields, caps, checks, counters, rules, PDF lines and what other
kinds' answers carry over into them."""

from django import forms

from tests.applications.questions.helpers import question

SHORT = question("short_text", max_length=40)
LONG_WORDS = question("long_text", limit=10, limit_unit="words")
LONG_CHARACTERS = question("long_text", limit=20, limit_unit="characters")


def test_a_short_text_is_one_line_with_its_limit_and_cap_for_the_page_script():
    field = SHORT.kind.field(SHORT, {"aria-required": "true"})
    assert isinstance(field.widget, forms.TextInput) and not field.required
    assert field.widget.attrs == {
        "aria-required": "true",
        "data-max-characters": 540,
        "data-limit": 40,
        "data-limit-unit": "characters",
    }


def test_a_long_text_keeps_its_paragraphs_as_typed():
    field = LONG_WORDS.kind.field(LONG_WORDS, {})
    assert isinstance(field.widget, forms.Textarea) and field.widget.attrs["rows"] == 8
    assert field.clean("  Un.\n\nDeux.  ") == "  Un.\n\nDeux.  "
    assert field.widget.attrs["data-limit-unit"] == "words"


def test_a_text_over_its_soft_limit_is_stored_and_reported_at_submission():
    assert SHORT.kind.refusals(SHORT, "x" * 41) == []
    assert SHORT.kind.problems(SHORT, "x" * 41) == [
        "Please keep this answer under 40 characters (it has 41)."
    ]
    assert LONG_WORDS.kind.problems(LONG_WORDS, "un " * 11) == [
        "Please keep this answer under 10 words (it has 11)."
    ]
    # A line break sent as \r\n counts as one character, as people count it.
    assert LONG_CHARACTERS.kind.problems(LONG_CHARACTERS, "a" * 10 + "\r\n" + "b" * 9) == []


def test_a_text_over_its_hard_cap_is_never_stored():
    assert SHORT.kind.refusals(SHORT, "x" * 541) == [
        "This answer is too long to be saved: 541 characters, at most 540. Shorten it; what you "
        "typed is still here."
    ]
    free = question("short_text")
    assert free.kind.refusals(free, "x" * 2000) == []
    assert free.kind.refusals(free, "x" * 2001)


def test_a_required_text_left_blank_is_to_fill_in():
    assert SHORT.kind.problems(SHORT, "  ") == ["This answer is required."]
    assert not SHORT.kind.is_answered(SHORT, "  ")
    optional = question("short_text", required=False)
    assert optional.kind.problems(optional, None) == []


def test_text_limits_are_shown_before_anything_is_typed():
    assert SHORT.kind.rules(SHORT) == "40 characters at most."
    assert LONG_WORDS.kind.rules(LONG_WORDS) == "10 words at most."
    assert LONG_CHARACTERS.kind.rules(LONG_CHARACTERS) == "20 characters at most."
    one = question("long_text", limit=1, limit_unit="words")
    assert one.kind.rules(one) == "1 word at most."
    assert question("long_text").kind.rules(question("long_text")) == ""


def test_the_counter_follows_the_limit():
    assert LONG_WORDS.kind.counter(LONG_WORDS, "un deux trois") == {
        "count": 3,
        "limit": 10,
        "unit": "words",
        "over": False,
    }
    assert SHORT.kind.counter(SHORT, "x" * 41)["over"] is True
    assert question("long_text").kind.counter(question("long_text"), "abc") is None


def test_a_long_text_prints_one_paragraph_per_line():
    text = "Premier paragraphe.\n\n  Deuxième, sur\ndeux lignes.  "
    assert LONG_WORDS.kind.pdf_paragraphs(LONG_WORDS, text, []) == [
        "Premier paragraphe.",
        "Deuxième, sur",
        "deux lignes.",
    ]
    assert LONG_WORDS.kind.display(LONG_WORDS, text, []) == (text, text)
    assert LONG_WORDS.kind.export_text(LONG_WORDS, text, []) == text


def test_texts_carry_over_text_numbers_and_dates_but_not_lists_or_choice_keys():
    assert LONG_WORDS.kind.carry(LONG_WORDS, "Un court texte") == "Un court texte"
    assert SHORT.kind.carry(SHORT, "12500.50") == "12500.50"
    assert SHORT.kind.carry(SHORT, ["a", "b"]) is None
    assert SHORT.kind.carry(SHORT, [{"name": "Mairie"}]) is None
    # A Wagtail item id is the key of a former choice, not text anyone typed.
    assert SHORT.kind.carry(SHORT, "0b7d5a4e-3f1c-4d2e-9a6b-1c2d3e4f5a6b") is None
    assert SHORT.kind.carry(SHORT, "") is None
