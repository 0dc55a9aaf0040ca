"""`manage.py load_demo`: the demo programme, calls, structures, dossiers and people, once."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from cms.demo import data
from cms.demo.loader import load_demo

# What the created rows are called in the summary (model label -> French / English).
NAMES = {
    "accelerator.User": "comptes / accounts",
    "accelerator.Structure": "structures",
    "accelerator.Membership": "membres / memberships",
    "accelerator.SupportPoint": "points d'appui / support points",
    "applications.Call": "appels / calls",
    "applications.Dossier": "dossiers",
    "applications.Juror": "juré·es / jurors",
    "applications.Review": "évaluations / reviews",
    "applications.DecisionLetter": "courriers de décision / decision letters",
    "accelerator.Cohort": "cohorte(s) / cohort(s)",
    "accelerator.Accompaniment": "structures accompagnées / accompanied structures",
    "cms.NewsArticlePage": "actualités / news articles",
    "cms.Actor": "acteurs de l'annuaire / directory actors",
    "cms.AgendaEntry": "rendez-vous de l'agenda / agenda entries",
    "cms.PortfolioConsent": "structures au portfolio / portfolio structures",
}


@contextmanager
def quiet_loggers(*names):
    """Keep the libraries' progress lines (pages created, tasks run) out of the console."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent: a second run creates nothing) and print the demo "
        "logins in French and English."
    )

    def add_arguments(self, parser):
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--quiet", action="store_true", help="Print nothing.")
        output.add_argument(
            "--logins-only",
            action="store_true",
            help="Load as usual, then print only the demo logins.",
        )

    def handle(self, *args, quiet=False, logins_only=False, **options):
        started = time.monotonic()
        with quiet_loggers("wagtail", "django_tasks", "kombu"):
            result = load_demo()
        if quiet:
            return
        if not logins_only:
            self.print_summary(result, time.monotonic() - started)
        self.print_logins(result)

    def print_summary(self, result, seconds):
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration prêtes / Demo data ready ({seconds:.1f} s)."
            )
        )
        created = [
            f"{result.created[label]} {name}"
            for label, name in NAMES.items()
            if result.created[label]
        ]
        if created:
            self.stdout.write("  Créé / created: " + ", ".join(created) + ".")
        else:
            self.stdout.write("  Déjà chargées : rien de nouveau / Already loaded: nothing new.")
        if result.outbox_marked_sent:
            self.stdout.write(
                f"  {result.outbox_marked_sent} courriels de la démo notés comme envoyés, jamais "
                "distribués / demo e-mails recorded as sent, never delivered."
            )
        self.stdout.write("")

    def print_logins(self, result):
        logins = result.logins
        base = settings.SITE_URL
        self.stdout.write(self.style.MIGRATE_HEADING("Comptes de démonstration / Demo accounts"))
        self.stdout.write(
            f"  Mot de passe de tous les comptes / Password of every account: {data.PASSWORD}"
        )
        self.stdout.write(f"  Se connecter / Log in: {base}/accounts/login/")
        self.stdout.write(f"  Administration (équipe, admin / staff, admin): {base}/admin/")
        self.stdout.write(
            "  Agenda et annuaire des acteurs / Agenda and directory of actors: "
            f"{base}{reverse('cms:agenda')} + {base}{reverse('cms:actors')}"
        )
        self.stdout.write(
            f"  Structure de la candidate / Applicant's structure: « {data.APPLICANT_STRUCTURE} »"
        )
        self.stdout.write(
            "  Espace du jury (juré·es) / Jury pages (jurors): "
            f"{base}{reverse('applications:juror_home')}"
        )
        if result.jury_call_id:
            jury = reverse("applications:staff_jury", args=[result.jury_call_id])
            ranking = reverse("applications:staff_ranking", args=[result.jury_call_id])
            self.stdout.write(
                "  Jury et classement de l'appel clos (équipe) / Closed call's jury and ranking "
                f"(staff): {base}{jury} + {base}{ranking}"
            )
        if result.cohort_id:
            board = reverse("accelerator:cohort_board", args=[result.cohort_id])
            self.stdout.write(
                f"  Tableau de la cohorte (équipe) / Cohort board (staff): {base}{board}"
            )
        if result.impact_cohort_id:
            impact = reverse("accelerator:cohort_impact", args=[result.impact_cohort_id])
            programme = reverse("accelerator:programme_impact", args=[result.programme_id])
            self.stdout.write(
                "  Impact de la cohorte précédente et du programme (équipe) / Previous cohort's "
                f"and programme's impact (staff): {base}{impact} + {base}{programme}"
            )
        self.stdout.write("")
        header = (
            "Se connecter en tant que … / Log in as …",
            "E-mail",
            "Mot de passe / Password",
            "Où / Where",
        )
        rows = [
            (
                f"{login.role_fr} / {login.role_en}",
                login.email,
                data.PASSWORD,
                " + ".join(f"{base}{path}" for path in login.where),
            )
            for login in logins
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]).rstrip())
