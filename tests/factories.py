"""Factories for the test suite: real objects in the database, no mocks."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Site

from accelerator.models import (
    Department,
    LegalForm,
    MemberRole,
    Membership,
    Programme,
    Region,
    Structure,
    SupportPoint,
    User,
)
from applications.models import Call, Dossier, EvaluationCriterion
from cms.models import CallIndexPage, HomePage

_siren_numbers = count(1)


def valid_siret(n=None):
    """A SIRET with a correct Luhn key, different for every call."""
    from stdnum import luhn

    n = next(_siren_numbers) if n is None else n
    base = f"{73282932 + n:08d}"
    siren = base + luhn.calc_check_digit(base)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    # Tests read e-mails in English; French e-mails are tested by asking for French.
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        # allauth refuses unverified addresses at log-in; test users are verified unless asked.
        if create:
            self.save()
            if extracted is not False:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.get_or_create(
                    user=self, email=self.email, defaults={"verified": True, "primary": True}
                )


class StaffFactory(UserFactory):
    is_staff = True


def region_centre():
    region, _ = Region.objects.get_or_create(code="24", defaults={"name": "Centre-Val de Loire"})
    return region


def department(code="45", name="Loiret"):
    dep, _ = Department.objects.get_or_create(
        code=code, defaults={"name": name, "region": region_centre()}
    )
    return dep


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "Accélérateur d'innovations sociales Centre-Val de Loire"
    slug = "cvl"
    region = factory.LazyFunction(region_centre)


class ManagerFactory(StaffFactory):
    """Programme staff who manage the programme (by default the demo's): they move any
    accompanied structure and run its cohorts."""

    @factory.post_generation
    def programme(self, create, extracted, **kwargs):
        if create:
            (extracted or ProgrammeFactory()).managers.add(self)


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    legal_form = LegalForm.ASSOCIATION
    siret = factory.LazyFunction(valid_siret)
    department = factory.LazyFunction(department)
    creation_year = 2015
    annual_budget = Decimal("120000.00")
    employees = 4


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    structure = factory.SubFactory(StructureFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.OWNER


class SupportPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPoint

    name = factory.Sequence(lambda n: f"Point d'appui {n}")
    department = factory.LazyFunction(department)


def call_index():
    """The site's home page and its calls index, created once per test database."""
    index = CallIndexPage.objects.first()
    if index:
        return index
    # Transactional tests flush every table, Wagtail's root page included: make it again.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )
    home = HomePage(title="Essor", slug="essor-home")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    index = CallIndexPage(title="Appels", slug="appels")
    home.add_child(instance=index)
    return index


DEFAULT_FORM = [
    {"type": "section", "value": {"heading": "Le projet", "help_text": ""}, "id": "sec-1"},
    {
        "type": "short_text",
        "value": {
            "label": "Nom du projet",
            "key": "project_name",
            "help_text": "",
            "required": True,
            "show_if_key": "",
            "show_if_value": "",
            "max_length": 120,
        },
        "id": "f-name",
    },
    {
        "type": "long_text",
        "value": {
            "label": "Description",
            "key": "",
            "help_text": "",
            "required": True,
            "show_if_key": "",
            "show_if_value": "",
            "limit_unit": "words",
            "limit": 300,
        },
        "id": "f-desc",
    },
]


def make_call(*, form=None, opens_at=None, closes_at=None, criteria=2, **fields):
    """A live call under the calls index, open for 30 days unless told otherwise."""
    now = timezone.now()
    n = Call.objects.count() + 1
    call = Call(
        title=fields.pop("title", f"Appel {n}"),
        slug=fields.pop("slug", f"appel-{n}"),
        programme=fields.pop("programme", None) or ProgrammeFactory(),
        summary=fields.pop("summary", "Un appel à projets d'innovation sociale."),
        opens_at=opens_at or now - timedelta(days=10),
        closes_at=closes_at or now + timedelta(days=30),
        form=DEFAULT_FORM if form is None else form,
        **fields,
    )
    call_index().add_child(instance=call)
    for i in range(criteria):
        EvaluationCriterion.objects.create(call=call, title=f"Critère {i + 1}", sort_order=i)
    return call


def make_dossier(call=None, structure=None, answers=None, **fields):
    """A draft dossier; move it to another state with the domain's `change_state`."""
    call = call or make_call()
    structure = structure or StructureFactory()
    dossier = Dossier.objects.create(
        reference=f"D-{Dossier.objects.count() + 1:05d}",
        call=call,
        structure=structure,
        answers=answers
        if answers is not None
        else {"f-name": "Tiers-lieu", "f-desc": "Un projet."},
        **fields,
    )
    return dossier
