"""Benchmark of the form builder's three costs at two sizes each: the check run when staff publish
an edited live form, the applicant's dossier page, and the dossier PDF.

    .venv/bin/python bench/form_builder.py                      # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor .venv/bin/python bench/form_builder.py

It creates its own throwaway database (a SQLite file in a temporary folder, or on PostgreSQL the
database `essor_bench_form_builder`, or BENCH_DATABASE), migrates it, fabricates four calls, then
measures with time.perf_counter and prints, for each size, the time and the SQL query count of:

1. the publish-time check (`draft_answers` then `form_changes`, the edited form deleting one
   question and removing one choice) of a call whose 12-question form 200, then 2,000 drafts
   answer (BENCH_DRAFTS changes the larger size); CHECK_RUNS runs, median and maximum;
2. the applicant's dossier page (GET through Django's test client, logged in as the structure's
   owner) of a draft answering a form of 12, then 60 questions, every answer filled;
   PAGE_REQUESTS requests after a warm-up, median and maximum;
3. `dossier_pdf` of those two drafts, PDF_RUNS runs after a warm-up: median, maximum, size.

Then it drops the database. Exit status 0 when every target is met, 1 otherwise: the check of
the larger call under 2 s (its maximum), the dossier page under 0.5 s (median, both sizes), the
PDF of 60 questions under 2 s (median), and each query count the same at both sizes.

The forms are raw StreamField data as the Wagtail admin stores them (choices as items whose id is
the key answers store), every kind of question, sections and a display condition; the dossiers
are written with bulk_create, drafts directly, as a fixture would: going through the applicant's
forms for 2,000 dossiers would measure nothing of the check.
"""

import copy
import logging
import os
import random
import re
import statistics
import sys
import time
from decimal import Decimal

from common import analyze, throwaway_database  # also puts the project on the import path

# Plain data, importable before django.setup().
from cms.demo.data import PUBLICS, STAGES  # noqa: E402

DRAFT_SIZES = (200, int(os.environ.get("BENCH_DRAFTS", 2000)))
QUESTION_SIZES = (12, 60)  # one copy of the 12-question pattern, then five
SUBMITTED_PER_CALL = 50  # dossiers that keep their snapshot: the check must not read them
CHECK_RUNS = 5
PAGE_REQUESTS = 10
PDF_RUNS = 5
CHECK_TARGET_SECONDS = 2.0
PAGE_TARGET_SECONDS = 0.5
PDF_TARGET_SECONDS = 2.0
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "essor_bench_form_builder")

# The keys and labels of the choice questions: the demo's own (the admin gives each item an id).
# What the edited form of the check changes: this question deleted, this choice removed.
DELETED_QUESTION = "q-summary"
CHOICE_QUESTION, REMOVED_CHOICE = "q-publics", "c-public-rural"
PARTNER_KINDS = ["association", "company", "public_body", "university"]
SENTENCES = [
    "Le projet ouvre un tiers-lieu solidaire au cœur du bourg, avec une épicerie en circuit court.",
    "Les habitants participent à la gouvernance et aux choix des activités proposées chaque mois.",
    "Une équipe de trois salariés et une vingtaine de bénévoles accueillent le public six jours "
    "sur sept.",
    "Nous travaillons avec la mairie, le centre social et deux associations d'insertion du "
    "territoire.",
    "Le modèle économique repose sur les ventes, une subvention d'amorçage et du mécénat local.",
    "L'expérimentation menée en 2025 a touché cent vingt familles, dont la moitié en zone rurale.",
    "Nous mesurons l'impact avec les usagers : fréquentation, emplois créés, liens noués.",
    "L'essaimage vers deux communes voisines est prévu au terme des dix-huit mois.",
]


# --- the forms -----------------------------------------------------------------------------


# The twelve questions of every kind, in two sections: (block type, id, label, settings). A form
# of 60 questions holds five copies, each with its own ids (and choice keys).
PATTERN = [
    ("section", "s-project", "Votre projet", {}),
    ("short_text", "q-name", "Nom du projet", {"max_length": 120}),
    ("long_text", "q-summary", "Résumé du projet", {"limit_unit": "words", "limit": 250}),
    ("single_choice", "q-stage", "Où en est le projet ?", {"choices": STAGES}),
    ("multiple_choice", "q-publics", "Publics visés", {"choices": PUBLICS, "max_selected": 3}),
    ("number", "q-beneficiaries", "Bénéficiaires", {"min_value": "1", "integer_only": True}),
    ("yes_no", "q-coalition", "Projet porté en coalition ?", {}),
    ("partners", "q-partners", "Partenaires", {"show_if": "q-coalition", "max_rows": 10}),
    ("section", "s-economy", "Modèle économique", {}),
    ("money", "q-budget", "Budget sur dix-huit mois", {"min_value": "5000"}),
    ("money", "q-amount", "Financement sollicité", {"min_value": "1000", "max_value": "30000"}),
    ("date", "q-start", "Date de démarrage envisagée", {}),
    ("long_text", "q-model", "Modèle économique", {"limit_unit": "characters", "limit": 1500}),
    ("file", "q-budget-file", "Budget détaillé", {"max_files": 1, "accepted_types": ["pdf"]}),
]


def _block(block_type, block_id, label, settings, suffix):
    if block_type == "section":
        return {"type": "section", "value": {"heading": label, "help_text": ""}, "id": block_id}
    settings = dict(settings)
    source = settings.pop("show_if", "")
    if "choices" in settings:
        settings["choices"] = [
            {"type": "item", "value": text, "id": f"{key}{suffix}"}
            for key, text in settings["choices"].items()
        ]
    value = {
        "label": label,
        "help_text": "Répondez en quelques phrases simples.",
        "required": True,
        "show_if_question": f"{source}{suffix}" if source else "",
        "show_if_operator": "is",
        "show_if_answers": "yes" if source else "",
        **settings,
    }
    return {"type": block_type, "value": value, "id": block_id}


def application_form(questions):
    """The raw StreamField data of a form of `questions` questions (a multiple of 12), as the
    Wagtail admin stores it (choices as items whose id is the key answers store)."""
    blocks = []
    for number in range(questions // 12):
        suffix = "" if number == 0 else f"-{number + 1}"
        blocks += [
            _block(kind, f"{block_id}{suffix}", label, settings, suffix)
            for kind, block_id, label, settings in PATTERN
        ]
    return blocks


def edited_form(live):
    """The live form as staff publish it: DELETED_QUESTION deleted, REMOVED_CHOICE removed."""
    edited = [block for block in copy.deepcopy(live) if block["id"] != DELETED_QUESTION]
    for block in edited:
        if block["id"] == CHOICE_QUESTION:
            choices = block["value"]["choices"]
            block["value"]["choices"] = [c for c in choices if c["id"] != REMOVED_CHOICE]
    return edited


def _text(rng, words):
    chosen = []
    while sum(len(sentence.split()) for sentence in chosen) < words:
        chosen.append(rng.choice(SENTENCES))
    return " ".join(chosen)


def answers_for(form, rng, *, filled=False):
    """A dossier's answers to `form`: every question answered when `filled` (the dossier page and
    the PDF), else as drafts are, a question in ten left unanswered."""
    from tests import factories

    answers = {}
    for block in form:
        kind, key, value = block["type"], block["id"], block["value"]
        if kind in ("section", "file") or (not filled and rng.random() < 0.1):
            continue
        keys = [choice["id"] for choice in value.get("choices", [])]
        if kind == "short_text":
            answers[key] = f"Tiers-lieu {rng.randint(1, 999)}"
        elif kind == "long_text":
            words = 200 if value["limit_unit"] == "words" else 180
            answers[key] = _text(rng, words if filled else rng.randint(20, words))
        elif kind == "single_choice":
            answers[key] = rng.choice(keys)
        elif kind == "multiple_choice":
            answers[key] = rng.sample(keys, rng.randint(1, 3))
        elif kind == "number":
            answers[key] = str(rng.randint(10, 5000))
        elif kind == "money":
            answers[key] = f"{rng.randint(5, 30) * 1000}.00"
        elif kind == "date":
            answers[key] = f"2026-{rng.randint(9, 12):02d}-01"
        elif kind == "yes_no":
            answers[key] = "yes" if filled or rng.random() < 0.5 else "no"
        elif kind == "partners":
            answers[key] = [
                {
                    "name": f"Partenaire {n}",
                    "kind": PARTNER_KINDS[n % len(PARTNER_KINDS)],
                    "siret": factories.valid_siret(900000 + n),
                    "role": "Met à disposition des locaux et co-anime les ateliers.",
                }
                for n in range(rng.randint(1, 4))
            ]
    return answers


# --- the data ------------------------------------------------------------------------------


def fabricate(rng):
    """The calls and their dossiers: {"check": [call] by size of drafts, "shown": [dossier] by
    size of form, "owner": the user who owns the shown dossiers' structure}."""
    from django.utils import timezone

    from accelerator.models import LegalForm, MemberRole, Membership, Structure, User
    from applications.models import Attachment, Dossier, DossierState
    from tests import factories

    now = timezone.now()
    department = factories.department()
    structures = Structure.objects.bulk_create(
        Structure(
            name=f"Structure {n:04d}",
            legal_form=LegalForm.ASSOCIATION,
            siret=factories.valid_siret(300000 + n),
            department=department,
            creation_year=2015,
            annual_budget=Decimal("120000.00"),
            employees=4,
        )
        for n in range(max(DRAFT_SIZES) + SUBMITTED_PER_CALL)
    )
    check = []
    for drafts in DRAFT_SIZES:
        form = application_form(12)
        call = factories.make_call(
            form=form, criteria=0, title=f"Appel {drafts}", slug=f"appel-bench-form-{drafts}"
        )
        dossiers = [
            Dossier(
                reference=f"F{drafts}-{n:05d}",
                call=call,
                structure=structure,
                state=DossierState.DRAFT,
                answers=answers_for(form, rng),
            )
            for n, structure in enumerate(structures[:drafts])
        ]
        # Submitted dossiers answer their snapshot: the check leaves them out.
        dossiers += [
            Dossier(
                reference=f"F{drafts}-S{n:04d}",
                call=call,
                structure=structure,
                state=DossierState.SUBMITTED,
                submitted_at=now,
                form_snapshot=form,
                answers=answers_for(form, rng),
            )
            for n, structure in enumerate(structures[drafts : drafts + SUBMITTED_PER_CALL])
        ]
        Dossier.objects.bulk_create(dossiers, batch_size=500)
        check.append(call)

    owner = User.objects.create(
        email="owner@structure-bench.example.org", first_name="Camille", last_name="Owner"
    )
    Membership.objects.create(structure=structures[0], user=owner, role=MemberRole.OWNER)
    shown = []
    for questions in QUESTION_SIZES:
        form = application_form(questions)
        call = factories.make_call(
            form=form,
            criteria=0,
            title=f"Appel à {questions} questions",
            slug=f"appel-bench-questions-{questions}",
        )
        dossier = Dossier.objects.create(
            reference=f"Q{questions}-00001",
            call=call,
            structure=structures[0],
            created_by=owner,
            answers=answers_for(form, rng, filled=True),
        )
        Attachment.objects.bulk_create(
            Attachment(
                dossier=dossier,
                field_id=block["id"],
                file=f"dossiers/{call.pk}/{dossier.pk}/budget.pdf",
                original_name=f"budget-{block['id']}.pdf",
                content_type="application/pdf",
                size=184_320,
                uploaded_by=owner,
            )
            for block in form
            if block["type"] == "file"
        )
        shown.append(dossier)
    return {"check": check, "shown": shown, "owner": owner}


# --- the measures --------------------------------------------------------------------------


def timed(action, runs):
    """(seconds of each of `runs` calls of `action`, the SQL query count of one more call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        action()
    return times, len(queries)


def measure_check(call):
    from applications.domain.form_changes import draft_answers, form_changes
    from applications.models import Call

    # The live form as the publish check reads it: the call's stored row (one query, whatever
    # the drafts), then the form staff send, as the admin's cleaned StreamValue prepares it.
    live = list(Call.objects.values_list("form", flat=True).get(pk=call.pk).raw_data)
    edited = edited_form(live)
    found = []

    def check():
        found[:] = form_changes(live, edited, draft_answers(call))

    times, queries = timed(check, CHECK_RUNS)
    return {"times": times, "queries": queries, "changes": list(found)}


def measure_page(client, dossier):
    from django.urls import reverse

    url = reverse("applications:dossier", kwargs={"dossier_id": dossier.pk})
    warm = client.get(url)  # connection, templates and translations loaded once
    html = warm.content.decode()
    assert warm.status_code == 200, warm.status_code
    last = [key for key in dossier.answers if key.startswith("q-model")][-1]
    assert f'name="{last}"' in html, "the page does not show the form's last question"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    times, queries = timed(page, PAGE_REQUESTS)
    return {"times": times, "queries": queries, "size": len(warm.content)}


def measure_pdf(dossier):
    from applications.domain.dossier_pdf import dossier_pdf
    from applications.models import Dossier

    # Loaded as the download view loads it. Nothing is cached between runs: every run reads the
    # attachments and lays the whole document out again.
    related = ("call", "call__programme", "structure", "last_saved_by")
    dossier = Dossier.objects.select_related(*related).get(pk=dossier.pk)
    content = dossier_pdf(dossier, "fr")  # fonts registered once
    assert content.startswith(b"%PDF"), "not a PDF"
    times, queries = timed(lambda: dossier_pdf(dossier, "fr"), PDF_RUNS)
    pages = len(re.findall(rb"/Type /Page\b", content))
    return {"times": times, "queries": queries, "size": len(content), "pages": pages}


def measure(data):
    from django.test import Client

    figures = {"check": [], "page": [], "pdf": []}
    for call in data["check"]:
        figures["check"].append(measure_check(call))
    client = Client()
    client.force_login(data["owner"])
    for dossier in data["shown"]:
        figures["page"].append(measure_page(client, dossier))
        figures["pdf"].append(measure_pdf(dossier))
    return figures


# --- the report ----------------------------------------------------------------------------


def _seconds(times):
    return f"median {statistics.median(times):.3f} s, max {max(times):.3f} s"


def _queries(count):
    return f"{count} SQL {'query' if count == 1 else 'queries'}"


def report(figures):
    """Print the figures; return the targets as (description, met)."""
    print(f"Publish-time check (draft_answers + form_changes), {CHECK_RUNS} runs:")
    for drafts, found in zip(DRAFT_SIZES, figures["check"], strict=True):
        print(f"  {drafts:>5} drafts: {_seconds(found['times'])}, {_queries(found['queries'])}")
        for change in found["changes"]:
            print(f"    {change.message()}")
    print(f"Dossier page (GET as the structure's owner), {PAGE_REQUESTS} requests:")
    for questions, page in zip(QUESTION_SIZES, figures["page"], strict=True):
        print(
            f"  {questions:>3} questions: {_seconds(page['times'])}, {_queries(page['queries'])}, "
            f"{page['size'] // 1024} KiB of HTML"
        )
    print(f"dossier_pdf, {PDF_RUNS} runs:")
    for questions, pdf in zip(QUESTION_SIZES, figures["pdf"], strict=True):
        print(
            f"  {questions:>3} questions: {_seconds(pdf['times'])}, {_queries(pdf['queries'])}, "
            f"{pdf['size'] / 1024:.0f} KB, {pdf['pages']} pages"
        )
    check, page, pdf = figures["check"], figures["page"], figures["pdf"]
    return [
        (
            f"check of {DRAFT_SIZES[-1]} drafts < {CHECK_TARGET_SECONDS:.0f} s (max)",
            max(check[-1]["times"]) < CHECK_TARGET_SECONDS,
        ),
        (
            f"dossier page < {PAGE_TARGET_SECONDS} s (median, both sizes)",
            all(statistics.median(p["times"]) < PAGE_TARGET_SECONDS for p in page),
        ),
        (
            f"PDF of {QUESTION_SIZES[-1]} questions < {PDF_TARGET_SECONDS:.0f} s (median)",
            statistics.median(pdf[-1]["times"]) < PDF_TARGET_SECONDS,
        ),
        (
            "query counts the same at both sizes",
            all(len({f["queries"] for f in figures[name]}) == 1 for name in figures),
        ),
    ]


def main():
    import django

    django.setup()
    from django.conf import settings

    # Page and task logs of the fabrication would bury the figures.
    logging.disable(logging.INFO)
    # Not setup_test_environment(): its instrumented template rendering would add to the page's
    # time. The test client still needs its host allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    with throwaway_database(DATABASE_NAME) as connection:
        print(f"Migrated in {time.perf_counter() - started:.1f} s.", flush=True)
        started = time.perf_counter()
        data = fabricate(random.Random(2026))
        analyze(connection)
        print(
            f"Fabricated calls of {' and '.join(map(str, DRAFT_SIZES))} drafts (12 questions, "
            f"{SUBMITTED_PER_CALL} submitted dossiers each) and dossiers answering "
            f"{' and '.join(map(str, QUESTION_SIZES))} questions on {connection.vendor} in "
            f"{time.perf_counter() - started:.1f} s."
        )
        figures = measure(data)
    targets = report(figures)
    for description, met in targets:
        print(f"Target {description}: {'met' if met else 'NOT met'}.")
    return 0 if all(met for _description, met in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
