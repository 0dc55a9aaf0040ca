"""The streamed CSV export of a call's dossiers with their answers."""

import csv
import io

from django.core.files.base import ContentFile
from django.urls import reverse

from applications.domain.exports import safe_cell
from applications.models import Attachment
from tests import factories
from tests.applications.staff_support import submitted_dossier

FORM_WITH_FILE = [
    *factories.DEFAULT_FORM,
    {
        "type": "file",
        "value": {
            "label": "Budget",
            "key": "",
            "help_text": "",
            "required": False,
            "show_if_key": "",
            "show_if_value": "",
            "max_files": 2,
        },
        "id": "f-budget",
    },
]


def _export_url(call, query=""):
    url = reverse("applications:staff_export", kwargs={"call_id": call.pk})
    return f"{url}?{query}" if query else url


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def _rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _attach(dossier, name):
    return Attachment.objects.create(
        dossier=dossier,
        field_id="f-budget",
        file=ContentFile(b"%PDF-1.4 test", name=name),
        original_name=name,
        content_type="application/pdf",
        size=13,
    )


def test_export_header_rows_and_french_excel_format(client, staff):
    call = factories.make_call()
    dossier = submitted_dossier(
        call,
        factories.StructureFactory(name="Ferme des Possibles", siret=factories.valid_siret(7001)),
    )
    client.force_login(staff)

    response, content = _download(client, _export_url(call))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    header, *rows = _rows(content)
    assert header == [
        "Reference",
        "State",
        "Structure",
        "SIRET",
        "Legal form",
        "Département",
        "Submitted at",
        "Nom du projet",
        "Description",
    ]
    assert rows == [
        [
            dossier.reference,
            "Submitted",
            "Ferme des Possibles",
            dossier.structure.siret,
            "Association (loi 1901)",
            "45 Loiret",
            rows[0][6],
            "Tiers-lieu",
            "Un projet.",
        ]
    ]
    # Submitted at: ISO 8601 in Paris time, with its offset.
    assert rows[0][6].startswith(str(dossier.submitted_at.year))
    assert rows[0][6][-6:] in ("+01:00", "+02:00")


def test_export_follows_the_list_filters(client, staff):
    call = factories.make_call()
    submitted_dossier(call, factories.StructureFactory(name="Ferme des Possibles"))
    draft = factories.make_dossier(call=call, structure=factories.StructureFactory(name="Coop"))
    factories.make_dossier(call=factories.make_call())
    client.force_login(staff)

    _response, content = _download(client, _export_url(call, "state=draft"))
    assert [row[0] for row in _rows(content)[1:]] == [draft.reference]
    _response, content = _download(client, _export_url(call, "q=ferme"))
    assert [row[2] for row in _rows(content)[1:]] == ["Ferme des Possibles"]
    _response, content = _download(client, _export_url(call))
    assert len(_rows(content)) == 3


def test_submitted_dossier_exports_its_snapshot_answers(client, staff):
    call = factories.make_call()
    dossier = submitted_dossier(call)
    # Staff edit the form after submission: rename a question and add one.
    form = [dict(block) for block in call.form.raw_data]
    form[1] = {**form[1], "value": {**form[1]["value"], "label": "Project title"}}
    form.append(
        {
            "type": "short_text",
            "value": {
                "label": "Website",
                "key": "",
                "help_text": "",
                "required": False,
                "show_if_key": "",
                "show_if_value": "",
                "max_length": 100,
            },
            "id": "f-web",
        }
    )
    call.form = form
    call.save()
    client.force_login(staff)

    _response, content = _download(client, _export_url(call))
    header, row = _rows(content)
    assert header[7:] == ["Project title", "Description", "Website"]
    assert row[0] == dossier.reference
    assert row[7:] == ["Tiers-lieu", "Un projet.", ""]


def test_export_neutralises_spreadsheet_formulas(client, staff):
    call = factories.make_call()
    factories.make_dossier(
        call=call,
        structure=factories.StructureFactory(name='=HYPERLINK("http://evil")'),
        answers={"f-name": "+33 rue", "f-desc": "@SUM(A1)"},
    )
    client.force_login(staff)
    _response, content = _download(client, _export_url(call))
    row = _rows(content)[1]
    assert row[2] == '\'=HYPERLINK("http://evil")'
    assert row[7:] == ["'+33 rue", "'@SUM(A1)"]


def test_safe_cell():
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("Tiers-lieu") == "Tiers-lieu"
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"


def test_export_lists_files_by_name(client, staff):
    call = factories.make_call(form=FORM_WITH_FILE)
    dossier = factories.make_dossier(call=call)
    _attach(dossier, "budget-2026.pdf")
    client.force_login(staff)
    _response, content = _download(client, _export_url(call))
    header, row = _rows(content)
    assert header[-1] == "Budget"
    assert "budget-2026.pdf" in row[-1]


def test_export_query_count_does_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    from tests.applications.staff_support import count_queries

    call = factories.make_call(form=FORM_WITH_FILE)
    _attach(submitted_dossier(call), "a.pdf")
    client.force_login(staff)
    url = _export_url(call, "department=45")

    (_response, content), one_row = count_queries(lambda: _download(client, url))
    assert len(_rows(content)) == 2

    for index in range(29):
        dossier = submitted_dossier(call) if index % 2 else factories.make_dossier(call=call)
        _attach(dossier, f"file-{index}.pdf")
    with django_assert_max_num_queries(one_row):
        _response, content = _download(client, url)
    rows = _rows(content)
    assert len(rows) == 31
    assert all(row[-1] for row in rows[1:])
