"""Partners tables: rows read from the page, caps, checks, display, PDF lines, rules, carry."""

from django.utils.datastructures import MultiValueDict

from tests.applications.questions.helpers import question

PARTNERS = question("partners", min_rows=1, max_rows=3)
MAIRIE = {"name": "Mairie", "kind": "public_body", "siret": "", "role": "Locaux"}


def test_the_table_is_read_by_columns_and_empty_rows_dropped():
    widget = PARTNERS.kind.field(PARTNERS, {}).widget
    data = MultiValueDict(
        {
            "q.name": ["Mairie", ""],
            "q.kind": ["public_body", ""],
            "q.siret": ["", ""],
            "q.role": ["Locaux", ""],
        }
    )
    rows = widget.value_from_datadict(data, {}, "q")
    assert len(rows) == 2
    assert PARTNERS.kind.normalise(PARTNERS, rows) == [MAIRIE]


def test_the_empty_row_the_page_adds_is_no_change():
    field = PARTNERS.kind.field(PARTNERS, {})
    blank = {"name": "", "kind": "", "siret": "", "role": ""}
    assert not field.has_changed(None, [blank])
    assert not field.has_changed([MAIRIE], [MAIRIE, blank])
    assert field.has_changed([MAIRIE], [blank])


def test_partners_are_checked_row_by_row():
    assert PARTNERS.kind.problems(PARTNERS, None) == ["Please add at least 1 partner."]
    found = PARTNERS.kind.problems(
        PARTNERS, [{"name": "", "kind": "spaceship", "siret": "12345678901234", "role": ""}]
    )
    assert "Partner 1: the name is missing." in found
    assert "Partner 1: unknown kind of actor." in found
    assert PARTNERS.kind.refusals(PARTNERS, [MAIRIE] * 101) == [
        "At most 100 partners can be saved."
    ]


def test_partners_read_back_one_per_line():
    rows, text = PARTNERS.kind.display(PARTNERS, [MAIRIE], [])
    assert rows[0]["kind_label"] == "Public body"
    assert text == "Mairie (Public body, Locaux)"
    second = {"name": "Coop", "kind": "company", "siret": "", "role": ""}
    assert PARTNERS.kind.pdf_paragraphs(PARTNERS, [MAIRIE, second], []) == [
        "Mairie (Public body, Locaux)",
        "Coop (Company)",
    ]


def test_the_rows_expected_are_shown_before_typing():
    assert PARTNERS.kind.rules(PARTNERS) == "Between 1 and 3 partners."
    most = question("partners", max_rows=1)
    assert most.kind.rules(most) == "At most 1 partner."


def test_only_rows_carry_into_a_partners_table():
    assert PARTNERS.kind.carry(PARTNERS, [MAIRIE, "x"]) == [MAIRIE]
    assert PARTNERS.kind.carry(PARTNERS, "Mairie") is None
