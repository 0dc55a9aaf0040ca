"""Writes the demo of `cms.demo.data` to the database, once: a second load finds everything by its
natural key (e-mail, SIRET, slug under its parent, call and structure) and changes nothing.

Dossiers move through the same domain functions as in the product (`start_dossier`,
`save_answers`, `change_state`), and so does the closed call's jury (invitations, conflicts,
automatic assignment, reviews, deliberation, decision letters); only their timestamps are moved
back afterwards, so that the history reads as if it had happened over the past months.

The closed call's dossiers stop before their deliberation while the jury is assigned and reviews
them (a dossier takes jurors only while under review), then go on to their decision.

The programme's cohort is formed from the closed call's selection (`form_cohort_from_call`) and
from structures sourced elsewhere (`add_structure`); each structure moves only through
`change_stage`, once what the stage needs is recorded by the funding and follow-up functions.
Their dates are moved back the same way, so the board has ten weeks of history.

The previous cohort, whose structures measure their impact, is loaded by `cms.demo.impact`
(mixed into the loader) before the current one; each cohort has its reporting schedule before any
of its structures enters impact measurement.

The public site (pages, menus, the territory's actors and agenda, the portfolio's consents) is
loaded last by `cms.demo.site` (mixed in too), once there are calls and accompanied structures.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from accelerator.domain.accompaniments import set_referent
from accelerator.domain.cohorts import add_structure, create_cohort
from accelerator.domain.followup import add_note, set_milestone_status
from accelerator.domain.funding import (
    add_commitment,
    close_round,
    record_label_decision,
    record_round,
    record_seed_grant,
)
from accelerator.domain.impact_reports import schedule_reports
from accelerator.domain.journey import change_stage, disburse
from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.identifiers import validate_siren_or_siret
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    Cohort,
    Department,
    MemberRole,
    Membership,
    Milestone,
    MilestoneTemplate,
    Note,
    ObstacleEvent,
    Programme,
    Region,
    RegulatoryObstacle,
    Source,
    Structure,
    SupportPoint,
    User,
)
from applications.domain.assignment import assign, notify_new_assignments
from applications.domain.auto_assignment import auto_assign
from applications.domain.cohorts import form_cohort_from_call
from applications.domain.conflicts import (
    blocked_pairs,
    declare_conflict,
    record_conflict,
    suggested_conflicts,
)
from applications.domain.deliberation import DECISIONS, decide, shortlist
from applications.domain.dossiers import change_state
from applications.domain.drafting import save_answers, start_dossier
from applications.domain.jury_invitations import accept_invitation, invite_juror
from applications.domain.letters import (
    letters_not_ready,
    prepare_letters,
    release_letters,
    share_comments,
)
from applications.domain.review_phases import save_phase
from applications.domain.reviews import grid_of, save_review
from applications.models import (
    Assignment,
    Attachment,
    Call,
    ConflictDeclaration,
    ConflictKind,
    DecisionLetter,
    DecisionLetterTemplate,
    Dossier,
    DossierState,
    DossierTransition,
    EvaluationCriterion,
    Juror,
    Review,
    ReviewPhase,
    Score,
)
from cms.demo import data
from cms.demo.impact import ImpactEvents
from cms.demo.site import PublicSite
from cms.models import CallIndexPage, HomePage
from workers import reminders
from workers.models import OutboxMessage, OutboxStatus

# Page permissions of the programme staff on the calls index (and so on every call under it).
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# The staff's model permissions in the Wagtail admin: the programme's cohorts, milestones and
# impact indicators.
STAFF_MODEL_PERMISSIONS = [
    ("accelerator", codename)
    for model in ("cohort", "milestonetemplate", "indicator")
    for codename in (f"add_{model}", f"change_{model}", f"view_{model}")
]
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
LOGIN_PATH = "/accounts/login/"
ADMIN_PATH = "/admin/"
OUTBOX_NOTE = "Demo data: recorded as sent, never delivered."
BUDGET_FILE_NAME = "budget-previsionnel.pdf"


@dataclass
class Login:
    role_fr: str
    role_en: str
    email: str
    where: tuple = (LOGIN_PATH,)  # the pages, under the site, where to log in


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    outbox_marked_sent: int = 0
    logins: list = field(default_factory=list)
    jury_call_id: int | None = None  # the closed call, whose jury and ranking the demo fills
    cohort_id: int | None = None  # the programme's cohort, whose board the demo fills
    programme_id: int | None = None
    # The previous cohort, whose structures report on their impact (one graduated).
    impact_cohort_id: int | None = None


def load_demo(now=None):
    """Load the demo in one transaction and return what was created and the logins to print."""
    now = now or timezone.now()
    plan = data.build_plan(now)
    result = LoadResult()
    with transaction.atomic():
        outbox_before = OutboxMessage.objects.aggregate(last=Max("pk"))["last"] or 0
        loader = _Loader(plan, now, result)
        loader.run()
        # The reminders due now (drafts near their deadline, reviews, milestones, reports): the
        # demo's bells show them as a real scan would have.
        reminders.scan(now=now)
        result.jury_call_id = loader.calls[data.JURY_CALL].pk
        result.cohort_id = loader.cohort.pk
        result.programme_id = loader.programme.pk
        result.impact_cohort_id = (
            Cohort.objects.filter(
                programme=loader.programme, accompaniments__impact_reports__isnull=False
            )
            .exclude(pk=loader.cohort.pk)
            .values_list("pk", flat=True)
            .first()
        )
        # Transitions queue e-mails to the demo's people: they are recorded, never delivered, so
        # that `make run` does not print a hundred messages on the console.
        result.outbox_marked_sent = OutboxMessage.objects.filter(
            pk__gt=outbox_before, status__in=[OutboxStatus.PENDING, OutboxStatus.DRAFT]
        ).update(status=OutboxStatus.SENT, sent_at=now, last_error=OUTBOX_NOTE)
    result.logins = logins()
    return result


def logins():
    """Who to log in as, in French and English, with the page where to do it."""
    rows = [
        Login("Candidat·e (propriétaire)", "Applicant (owner)", data.APPLICANT.email),
        Login("Collègue (rédaction)", "Colleague (editor)", data.COLLEAGUE.email),
        Login("Collègue (lecture)", "Colleague (viewer)", data.VIEWER.email),
        Login("Structure accompagnée", "Accompanied structure", data.ACCOMPANIED.email),
        Login(
            "Structure en mesure d'impact",
            "Structure measuring its impact",
            data.IMPACT_REPORTER.email,
        ),
        Login("Équipe du programme", "Programme staff", data.STAFF.email, (LOGIN_PATH, ADMIN_PATH)),
    ]
    for number, juror in enumerate(data.JURORS, start=1):
        rows.append(Login(f"Juré·e {number}", f"Juror {number}", juror.email))
    for code, name, _article in data.DEPARTMENTS:
        email = data.SUPPORT_POINT_PEOPLE[code][0]
        rows.append(Login(f"Point d'appui {name} ({code})", "Support point", email))
    rows.append(Login("Administrateur", "Administrator", data.ADMIN.email, (ADMIN_PATH,)))
    return rows


class _Loader(ImpactEvents, PublicSite):
    def __init__(self, plan, now, result):
        self.plan = plan
        self.now = now
        self.created = result.created
        self.password = make_password(data.PASSWORD)

    def run(self):
        self.departments = self.load_territories()
        self.programme = self.get_or_create(
            Programme,
            slug=data.PROGRAMME["slug"],
            defaults={
                "name": data.PROGRAMME["name"],
                "description": data.PROGRAMME["description"],
                "region": self.region,
            },
        )
        self.load_people()
        # The demo's staff member runs the programme: forms its cohort and moves its structures.
        self.programme.managers.add(self.staff)
        self.home, self.index = self.load_site()
        self.load_staff_permissions()
        self.structures = self.load_structures()
        self.calls = {plan.key: self.load_call(plan) for plan in self.plan.calls}
        # (dossier, plan) of the dossiers stopped before their deliberation, for the jury.
        self.awaiting_deliberation = []
        for dossier_plan in self.plan.dossiers:
            self.load_dossier(dossier_plan)
        jury_call = self.calls[data.JURY_CALL]
        self.load_jury(jury_call)
        for dossier, dossier_plan in self.awaiting_deliberation:
            self.deliberate(dossier, dossier_plan)
        self.load_letters(jury_call)
        self.load_milestone_templates()
        self.load_previous_cohort()
        self.load_cohort(jury_call)
        # Last: the portfolio shows accompanied structures, and the news link to the calls.
        self.load_public_site()

    def get_or_create(self, model, defaults=None, **lookup):
        instance, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self.created[model._meta.label] += 1
        return instance

    # --- territories, people --------------------------------------------------------------

    def load_territories(self):
        # The accelerator's data migration loads every région and département; these lines only
        # matter on a database where it did not run.
        code, name = data.REGION
        self.region = self.get_or_create(Region, code=code, defaults={"name": name})
        return {
            code: self.get_or_create(
                Department, code=code, defaults={"name": name, "region": self.region}
            )
            for code, name, _article in data.DEPARTMENTS
        }

    def user(self, person, **flags):
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create(
                email=person.email.lower(),
                first_name=person.first_name,
                last_name=person.last_name,
                organisation=person.organisation,
                language="fr",
                password=self.password,
                **flags,
            )
            self.created[User._meta.label] += 1
        else:
            changed = [name for name, value in flags.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, flags[name])
            if changed:
                user.save(update_fields=changed)
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            self.created[EmailAddress._meta.label] += 1
        elif not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        return user

    def load_people(self):
        self.staff = self.user(data.STAFF, is_staff=True)
        self.staff.groups.add(self.group(data.STAFF_GROUP))
        self.user(data.ADMIN, is_staff=True, is_superuser=True)
        for juror in data.JURORS:
            self.user(juror)
        for code, _name, _article in data.DEPARTMENTS:
            email, first_name, last_name = data.SUPPORT_POINT_PEOPLE[code]
            name = data.support_point_name(code)
            person = data.PersonPlan(email, first_name, last_name, organisation=name)
            support_point = self.get_or_create(
                SupportPoint,
                name=name,
                department=self.departments[code],
                defaults={"email": email},
            )
            support_point.members.add(self.user(person))

    def group(self, name):
        return self.get_or_create(Group, name=name)

    # --- the public site --------------------------------------------------------------------

    def load_site(self):
        home = HomePage.objects.order_by("pk").first()  # as written, before its translations
        if home is None:
            home = HomePage(**data.HOME_PAGE)
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
            self.created[HomePage._meta.label] += 1
        self.make_default_site(home)
        self.remove_welcome_page(home)

        index = CallIndexPage.objects.child_of(home).filter(slug=data.CALL_INDEX_PAGE["slug"])
        index = index.first()
        if index is None:
            index = CallIndexPage(
                title=data.CALL_INDEX_PAGE["title"],
                slug=data.CALL_INDEX_PAGE["slug"],
                intro=data.CALL_INDEX_PAGE["intro"],
            )
            home.add_child(instance=index)
            index.save_revision().publish()
            self.created[CallIndexPage._meta.label] += 1
        return home, index

    def make_default_site(self, home):
        # Wagtail serves the default site for any host it does not know, 127.0.0.1:8000 included.
        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
        )
        wanted = {
            "hostname": "localhost",
            "port": 80,
            "root_page_id": home.pk,
            "is_default_site": True,
            "site_name": "Essor",
        }
        if site is None:
            Site.objects.create(**wanted)
            self.created[Site._meta.label] += 1
            return
        changed = [name for name, value in wanted.items() if getattr(site, name) != value]
        if changed:
            for name in changed:
                setattr(site, name, wanted[name])
            site.save()

    def remove_welcome_page(self, home):
        """Wagtail's "Welcome to your new Wagtail site!" page, a plain Page that nothing uses."""
        plain_page = ContentType.objects.get_for_model(Page)
        welcome = Page.objects.filter(depth=2, slug="home", content_type=plain_page).exclude(
            pk=home.pk
        )
        for page in welcome:
            if page.numchild == 0 and not Site.objects.filter(root_page=page).exists():
                page.delete()

    def load_staff_permissions(self):
        group = self.group(data.STAFF_GROUP)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in STAFF_MODEL_PERMISSIONS
            ]
        )
        self.grant_page_permissions(group, self.index)
        root_collection = Collection.get_first_root_node()
        for app_label, codename in STAFF_COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            self.get_or_create(
                GroupCollectionPermission,
                group=group,
                collection=root_collection,
                permission=permission,
            )

    def grant_page_permissions(self, group, page):
        """The staff's rights on `page` and every page under it."""
        page_type = ContentType.objects.get_for_model(Page)
        for codename in STAFF_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            self.get_or_create(GroupPagePermission, group=group, page=page, permission=permission)

    # --- structures -----------------------------------------------------------------------

    def load_structures(self):
        applicant = self.user(data.APPLICANT)
        structures = {}
        for plan in self.plan.structures:
            validate_siren_or_siret(plan.siret)
            seed = plan.seed
            structure = self.get_or_create(
                Structure,
                siret=plan.siret,
                defaults={
                    "name": seed.name,
                    "legal_form": seed.legal_form,
                    "rna": plan.rna,
                    "esus_approved": plan.esus_approved_on is not None,
                    "esus_approved_on": plan.esus_approved_on,
                    "address": plan.address,
                    "postcode": seed.postcode,
                    "city": seed.city,
                    "department": self.departments[seed.department],
                    "creation_year": plan.creation_year,
                    "annual_budget": plan.annual_budget,
                    "employees": plan.employees,
                    "website": plan.website,
                    "description": seed.activity,
                },
            )
            if seed.name == data.APPLICANT_STRUCTURE:
                owner = applicant
                self.member(structure, self.user(data.COLLEAGUE), MemberRole.EDITOR)
                self.member(structure, self.user(data.VIEWER), MemberRole.VIEWER)
            else:
                owner = self.user(plan.owner)
            if seed.name == data.ACCOMPANIED_STRUCTURE:
                self.member(structure, self.user(data.ACCOMPANIED), MemberRole.EDITOR)
            self.member(structure, owner, MemberRole.OWNER)
            structures[seed.name] = (structure, owner)
        return structures

    def member(self, structure, user, role):
        # Owners are their structure's contacts, as the migration that added contacts made them:
        # the demo support point sees them, and no other member.
        return self.get_or_create(
            Membership,
            structure=structure,
            user=user,
            defaults={"role": role, "is_contact": role == MemberRole.OWNER},
        )

    # --- calls ----------------------------------------------------------------------------

    def load_call(self, plan):
        call = Call.objects.child_of(self.index).filter(slug=plan.slug).first()
        if call is not None:
            return call
        call = Call(
            title=plan.title,
            slug=plan.slug,
            programme=self.programme,
            summary=plan.summary,
            description=plan.description,
            kind=plan.kind,
            opens_at=plan.opens_at,
            closes_at=plan.closes_at,
            timeline=plan.timeline,
            form=plan.form,
            eligible_legal_forms=plan.eligible_legal_forms,
            min_age_years=plan.min_age_years,
            budget_min=plan.budget_min,
            budget_max=plan.budget_max,
            exclude_same_department=plan.exclude_same_department,
        )
        call.eligible_departments = list(self.departments.values())
        call.criteria = [
            EvaluationCriterion(
                title=title,
                description=description,
                weight=weight,
                scale_min=0,
                scale_max=5,
                allow_not_applicable=not_applicable,
                sort_order=order,
            )
            for order, (title, description, weight, not_applicable) in enumerate(plan.criteria)
        ]
        self.index.add_child(instance=call)
        call.save_revision(user=self.staff).publish(user=self.staff)
        self.created[Call._meta.label] += 1
        return Call.objects.get(pk=call.pk)

    # --- dossiers -------------------------------------------------------------------------

    def load_dossier(self, plan):
        call = self.calls[plan.call_key]
        structure, owner = self.structures[plan.structure.name]
        if Dossier.objects.filter(call=call, structure=structure).exists():
            return
        started_at = plan.times[0]
        dossier, _created = start_dossier(call, structure, owner, now=started_at)
        dossier = save_answers(dossier, plan.answers, owner, base_revision=dossier.revision)
        if plan.with_budget_file:
            self.attach_budget(dossier, owner)
        stop = plan.deliberation_index if plan.call_key == data.JURY_CALL else None
        for index, name in enumerate(plan.transitions[:stop]):
            actor = owner if name in data.APPLICANT_TRANSITIONS else self.staff
            with self.open_for_structures(call, name):
                dossier = change_state(dossier, name, actor, plan.comment_for(index))
        if stop is None:
            self.backdate(dossier, plan)
        else:
            self.awaiting_deliberation.append((dossier, plan))
        self.created[Dossier._meta.label] += 1

    def deliberate(self, dossier, plan):
        """The staff's deliberation on a dossier the jury reviewed: shortlist, then decisions."""
        for index in range(plan.deliberation_index, len(plan.transitions)):
            name = plan.transitions[index]
            if name == "shortlist":
                dossier = shortlist(
                    dossier,
                    self.staff,
                    audition_at=plan.audition_at(self.now),
                    notes=data.SHORTLIST_NOTES,
                )
            elif name in DECISIONS:
                dossier = decide(dossier, name, self.staff, plan.comment_for(index))
            else:
                dossier = change_state(dossier, name, self.staff, plan.comment_for(index))
        self.backdate(dossier, plan)

    @contextmanager
    def open_for_structures(self, call, transition_name):
        """A closed call's dossiers were submitted while it was open: reopen it for the moment of
        the structure's own transitions, then close it again (the published page never changes)."""
        if transition_name not in data.APPLICANT_TRANSITIONS or call.closes_at > self.now:
            yield
            return
        Call.objects.filter(pk=call.pk).update(closes_at=self.now + timedelta(days=1))
        try:
            yield
        finally:
            Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at)

    def attach_budget(self, dossier, owner):
        content = demo_pdf(f"Budget prévisionnel — {dossier.structure.name}")
        attachment = Attachment(
            dossier=dossier,
            field_id="q-budget-file",
            original_name=BUDGET_FILE_NAME,
            content_type="application/pdf",
            size=len(content),
            uploaded_by=owner,
        )
        attachment.file.save(BUDGET_FILE_NAME, ContentFile(content), save=False)
        attachment.save()

    def backdate(self, dossier, plan):
        """Spread the dossier's history over the past months, as the plan dates it."""
        times = plan.times
        # The plan's transitions, in the order they were made (the jury may add one later).
        logs = list(dossier.transitions.order_by("pk").values_list("pk", "name"))
        submitted_at = None
        for (pk, name), moment in zip(logs, times[1:], strict=True):
            DossierTransition.objects.filter(pk=pk).update(at=moment)
            if name == "submit":
                submitted_at = moment
        last_saved_at = (submitted_at or times[-1]) - timedelta(minutes=12)
        Dossier.objects.filter(pk=dossier.pk).update(
            created_at=times[0],
            last_saved_at=max(last_saved_at, times[0]),
            submitted_at=submitted_at,
        )
        dossier.attachments.update(uploaded_at=times[0] + timedelta(hours=1))

    # --- the closed call's jury ----------------------------------------------------------------

    def load_jury(self, call):
        """The jury, its phases and letter templates; then, once, its work: suggestions
        dismissed, assignments, declarations and reviews, as they happened over the months."""
        jurors = self.load_jurors(call)
        self.load_review_phases(call)
        for outcome, (subject, body) in data.LETTER_TEMPLATES.items():
            self.get_or_create(
                DecisionLetterTemplate,
                call=call,
                outcome=outcome,
                defaults={"subject": subject, "body": body},
            )
        if Assignment.objects.filter(juror__call=call).exists():
            return
        self.criteria = grid_of(call.pk)
        self.dismiss_suggestions(call)
        self.assign_automatically(call)
        self.declare_the_conflict(call, jurors)
        demo_juror = jurors[data.DEMO_JUROR.email]
        in_review = {
            d.structure.name: d
            for d in Dossier.objects.filter(
                call=call,
                state=DossierState.UNDER_REVIEW,
                structure__name__in=list(data.IN_REVIEW),
            ).select_related("structure")
        }
        for dossier in in_review.values():
            at = self.second_phase.starts_at + timedelta(hours=2)
            self.give_by_hand(demo_juror, dossier, at)
        notify_new_assignments(call)
        Assignment.objects.filter(juror__call=call).update(
            notified_at=F("assigned_at") + timedelta(minutes=5)
        )
        self.review_deliberated_dossiers()
        self.review_dossiers_in_review(in_review, demo_juror)

    def load_jurors(self, call):
        """The six jurors, invited by staff and seated on acceptance, by e-mail address."""
        invited_at = self.plan.phases[0].starts_at - timedelta(days=12)
        jurors = {}
        for number, seat in enumerate(data.JURY):
            email = seat.person.email.lower()
            juror = Juror.objects.filter(call=call, email=email).first()
            if juror is None:
                juror = invite_juror(
                    call,
                    email,
                    seat.role,
                    department=self.departments[seat.department] if seat.department else None,
                    organisation=seat.person.organisation,
                    actor=self.staff,
                )
                accepted_at = invited_at + timedelta(days=1 + number % 3, hours=2 + number)
                juror = accept_invitation(juror, self.user(seat.person), now=accepted_at)
                Juror.objects.filter(pk=juror.pk).update(invited_at=invited_at)
                self.created[Juror._meta.label] += 1
            jurors[email] = juror
        return jurors

    def load_review_phases(self, call):
        if call.review_phases.exists():
            return
        for phase in self.plan.phases:
            values = {
                "name": phase.name,
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
                "presidents_only": phase.presidents_only,
                "peer_scores": phase.peer_scores,
                "blind": phase.blind,
            }
            save_phase(call, values, self.staff)
            self.created[ReviewPhase._meta.label] += 1

    @property
    def second_phase(self):
        return self.plan.phases[-1]

    def dismiss_suggestions(self, call):
        """Staff dismiss the suggested conflicts of the jurors who may review the dossier (from
        another département): the demo's addresses share a domain, nothing more."""
        before = min(
            p.time_of(data.JURY_STEP)
            for p in self.plan.dossiers
            if p.call_key == data.JURY_CALL and data.JURY_STEP in p.transitions
        ) - timedelta(hours=2)
        for juror, dossier, _reason in suggested_conflicts(call):
            same_department = juror.department_id == dossier.structure.department_id
            if ConflictDeclaration.objects.filter(juror=juror, dossier=dossier).exists():
                continue
            if call.exclude_same_department and same_department:
                continue
            declaration = record_conflict(
                juror, dossier, ConflictKind.NONE, data.DISMISSED_SUGGESTION_NOTE, self.staff
            )
            ConflictDeclaration.objects.filter(pk=declaration.pk).update(declared_at=before)

    def review_started_at(self, plan):
        """When the jury got the dossier: its review's start in the plan, else (reviewed only now)
        at the start of the open phase."""
        if data.JURY_STEP in plan.transitions:
            return plan.time_of(data.JURY_STEP)
        return self.second_phase.starts_at + timedelta(hours=1)

    def assign_automatically(self, call):
        """The automatic assignment, each dossier's jurors dated from the start of its review;
        an eligible dossier it puts under review is dated from the open phase."""
        started = set(
            DossierTransition.objects.filter(dossier__call=call, name=data.JURY_STEP).values_list(
                "pk", flat=True
            )
        )
        auto_assign(call, self.staff)
        plans = {p.structure.name: p for p in self.plan.dossiers if p.call_key == data.JURY_CALL}
        assigned = Dossier.objects.filter(call=call, assignments__isnull=False).distinct()
        for dossier in assigned.select_related("structure"):
            plan = plans.get(dossier.structure.name)
            if plan is None:
                continue
            at = self.review_started_at(plan)
            if data.JURY_STEP not in plan.transitions:
                dossier.transitions.filter(name=data.JURY_STEP).exclude(pk__in=started).update(
                    at=at - timedelta(minutes=10)
                )
            dossier.assignments.update(assigned_at=at + timedelta(minutes=10))

    def declare_the_conflict(self, call, jurors):
        """The demo's typed conflict, on the first dossier of the juror's that went on to
        deliberation; staff then give that dossier another juror by hand."""
        juror = jurors[data.CONFLICTED_JUROR.email]
        assigned = set(juror.assignments.values_list("dossier_id", flat=True))
        declared = set(juror.conflicts.values_list("dossier_id", flat=True))
        candidates = sorted(
            (
                (dossier, plan)
                for dossier, plan in self.awaiting_deliberation
                if dossier.pk in assigned - declared
            ),
            key=lambda candidate: candidate[0].reference,
        )
        if not candidates:
            return
        dossier, plan = candidates[0]
        start, end = plan.review_window
        declared_at = start + (end - start) * 0.1
        declaration = declare_conflict(
            juror, dossier, data.CONFLICT_KIND, data.CONFLICT_DETAILS, juror.user
        )
        ConflictDeclaration.objects.filter(pk=declaration.pk).update(declared_at=declared_at)
        replacement = self.replacement_for(call, dossier, jurors.values())
        if replacement is not None:
            self.give_by_hand(replacement, dossier, declared_at + timedelta(hours=2))

    def replacement_for(self, call, dossier, jurors):
        """The least-loaded juror who may take the dossier (no conflict, another département)."""
        blocked = blocked_pairs(call)
        taken = set(dossier.assignments.values_list("juror_id", flat=True))
        loads = Counter(
            Assignment.objects.filter(juror__call=call).values_list("juror_id", flat=True)
        )
        candidates = [
            juror
            for juror in jurors
            if juror.pk not in taken
            and (juror.pk, dossier.pk) not in blocked
            and not (
                call.exclude_same_department
                and juror.department_id == dossier.structure.department_id
            )
        ]
        return min(candidates, key=lambda j: (loads[j.pk], j.email), default=None)

    def give_by_hand(self, juror, dossier, at):
        """Staff assign the dossier to the juror by hand, unless it is already theirs."""
        if Assignment.objects.filter(juror=juror, dossier=dossier).exists():
            return
        assignment = assign(juror, dossier, self.staff, notify=False)
        Assignment.objects.filter(pk=assignment.pk).update(assigned_at=at)

    def jurors_of(self, dossier):
        """The dossier's assignments whose juror declared no conflict (or not yet), in the order
        of the jurors' e-mail addresses."""
        conflicted = ConflictDeclaration.objects.filter(dossier=dossier).exclude(
            kind=ConflictKind.NONE
        )
        return list(
            Assignment.objects.filter(dossier=dossier)
            .exclude(juror_id__in=conflicted.values("juror_id"))
            .select_related("juror", "juror__user", "dossier")
            .order_by("juror__email")
        )

    def review_deliberated_dossiers(self):
        """Every juror of a dossier since deliberated on reviewed it in the first phase."""
        for number, (dossier, plan) in enumerate(self.awaiting_deliberation):
            start, end = plan.review_window
            reviews = data.DELIBERATED_REVIEWS.get(plan.structure.name, [])
            for slot, assignment in enumerate(self.jurors_of(dossier)):
                if reviews:
                    moment = data.review_moment(start, end, slot)
                    self.review(assignment, reviews[slot % len(reviews)], moment, number + slot)

    def review_dossiers_in_review(self, dossiers, demo_juror):
        """The dossiers still under review: drafts, submitted reviews, declarations to make."""
        start = self.second_phase.starts_at + timedelta(hours=3)
        end = self.now - timedelta(hours=1)
        for number, (name, (own, others)) in enumerate(data.IN_REVIEW.items()):
            if name not in dossiers:
                continue
            assignments = self.jurors_of(dossiers[name])
            ordered = [a for a in assignments if a.juror_id == demo_juror.pk] + [
                a for a in assignments if a.juror_id != demo_juror.pk
            ]
            for slot, (assignment, review) in enumerate(zip(ordered, [own, *others], strict=False)):
                moment = data.review_moment(start, end, slot)
                self.review(assignment, review, moment, number + slot)

    def review(self, assignment, plan, moment, variant):
        """The juror's declaration ("no conflict") and review of the dossier, made at `moment`."""
        if plan.step == "undeclared":
            return
        juror, dossier = assignment.juror, assignment.dossier
        if not ConflictDeclaration.objects.filter(juror=juror, dossier=dossier).exists():
            declaration = declare_conflict(juror, dossier, ConflictKind.NONE, "", juror.user)
            declared_at = max(moment - timedelta(hours=2), assignment.assigned_at)
            ConflictDeclaration.objects.filter(pk=declaration.pk).update(declared_at=declared_at)
        if plan.step == "declared":
            return
        scores = {}
        for index, (criterion, value) in enumerate(zip(self.criteria, plan.scores, strict=False)):
            if value is None:
                continue
            scores[criterion.pk] = {
                "value": None if value == data.NA else value,
                "not_applicable": value == data.NA,
                "comment": data.score_comment(index, value, variant + index),
            }
        review = save_review(
            assignment,
            {
                "scores": scores,
                "recommendation": plan.recommendation,
                "comment": data.overall_comment(plan.recommendation, variant),
                "private_note": plan.private_note,
            },
            juror.user,
            submit=plan.step == "submitted",
            now=moment,
        )
        Review.objects.filter(pk=review.pk).update(
            created_at=moment - timedelta(minutes=35), updated_at=moment
        )
        self.created[Review._meta.label] += 1

    # --- decision letters ----------------------------------------------------------------------

    def load_letters(self, call):
        """Letters for the decided dossiers that have none, with a few of the jury's comments
        shared, prepared and released together, once, after the last decision."""
        waiting = letters_not_ready(call)
        if not waiting:
            return
        for dossier in waiting:
            self.share_feedback(dossier)
        written = prepare_letters(call, self.staff)
        release_letters(call, self.staff)
        decided_at = DossierTransition.objects.filter(
            dossier__call=call, name__in=list(DECISIONS)
        ).aggregate(last=Max("at"))["last"]
        released_at = min(data.morning_after(decided_at, days=2), self.now - timedelta(hours=1))
        prepared_at = min(decided_at + timedelta(hours=2), released_at - timedelta(hours=1))
        DecisionLetter.objects.filter(dossier__in=[d.pk for d in waiting]).update(
            prepared_at=prepared_at, release_at=released_at
        )
        self.created[DecisionLetter._meta.label] += written

    def share_feedback(self, dossier):
        """Staff share the first review's comments on a few criteria with the structure."""
        review = (
            Review.objects.filter(assignment__dossier=dossier, submitted_at__isnull=False)
            .order_by("assignment__juror__email")
            .first()
        )
        if review is None:
            return
        shared = Score.objects.filter(
            review=review, criterion__sort_order__in=data.SHARED_CRITERIA
        ).exclude(comment="")
        share_comments(dossier, self.staff, list(shared.values_list("pk", flat=True)))

    # --- the cohort and the accompaniment journey -----------------------------------------------

    def load_milestone_templates(self):
        for position, (stage, title, description, days, owner, kind) in enumerate(
            data.MILESTONE_TEMPLATES
        ):
            self.get_or_create(
                MilestoneTemplate,
                programme=self.programme,
                stage=stage,
                title=title,
                defaults={
                    "description": description,
                    "due_after_days": days,
                    "owner": owner,
                    "kind": kind,
                    "position": position,
                },
            )

    def load_cohort(self, call):
        """The cohort, once: the structures sourced elsewhere join when it starts, the closed
        call's selection a few days after the decision letters; then each journey."""
        started_at = data.days_ago(self.now, data.COHORT["started_days_ago"])
        name = data.COHORT["name"].format(year=started_at.year)
        self.cohort = Cohort.objects.filter(programme=self.programme, name=name).first()
        if self.cohort is not None:
            return
        starts_on = started_at.date()
        self.cohort = create_cohort(
            self.programme,
            self.staff,
            name=name,
            year=starts_on.year,
            capacity=data.COHORT["capacity"],
            starts_on=starts_on,
            ends_on=add_months(starts_on, data.COHORT["months"]),
            referents=[self.staff],
        )
        self.created[Cohort._meta.label] += 1
        self.load_reporting_schedule(self.cohort)
        plans = sorted(data.JOURNEYS, key=lambda plan: -plan.joined_days_ago)
        for plan in plans:
            if plan.source != Source.CALL:
                structure, _owner = self.structures[plan.structure]
                moment = data.days_ago(self.now, plan.joined_days_ago, hour=9)
                accompaniment = add_structure(
                    self.cohort, structure, plan.source, self.staff, plan.reference
                )
                self.date_joining(accompaniment, moment)
        formed_at = data.days_ago(self.now, data.COHORT_FORMED_DAYS_AGO, hour=9)
        for accompaniment in form_cohort_from_call(call, self.cohort, self.staff):
            self.date_joining(accompaniment, formed_at)
        accompaniments = {
            a.structure.name: a
            for a in Accompaniment.objects.filter(cohort=self.cohort).select_related("structure")
        }
        self.created[Accompaniment._meta.label] += len(accompaniments)
        for plan in plans:
            accompaniment = accompaniments[plan.structure]
            set_referent(accompaniment, self.staff, self.staff)
            self.load_journey(accompaniment, plan)

    def date_joining(self, accompaniment, moment):
        Accompaniment.objects.filter(pk=accompaniment.pk).update(
            created_at=moment, stage_entered_at=moment
        )
        self.date_milestones(accompaniment, moment, before=())

    def date_milestones(self, accompaniment, moment, before):
        """The milestones a stage opened (those not in `before`), dated from `moment`."""
        opened = accompaniment.milestones.exclude(pk__in=before).select_related("template")
        for milestone in opened:
            days = milestone.template.due_after_days if milestone.template else None
            Milestone.objects.filter(pk=milestone.pk).update(
                created_at=moment,
                due_on=moment.date() + timedelta(days=days) if days is not None else None,
            )

    def load_journey(self, accompaniment, plan):
        """The plan's events, in order; several on one day follow each other by the hour."""
        _structure, owner = self.structures[plan.structure]
        self.journey = {"owner": owner, "grant": None, "round": None, "obstacle": None}
        hours = Counter()
        for days, kind, *details in plan.events:
            hours[days] += 1
            moment = data.days_ago(self.now, days, hour=9 + hours[days])
            accompaniment = getattr(self, f"on_{kind}")(accompaniment, moment, *details)

    def on_done(self, accompaniment, moment, title, status=Milestone.Status.DONE):
        milestone = Milestone.objects.get(accompaniment=accompaniment, title=title)
        # The structure closes its own milestones; staff close theirs.
        actor = self.journey["owner"] if milestone.owner == "structure" else self.staff
        set_milestone_status(milestone, status, actor)
        Milestone.objects.filter(pk=milestone.pk).update(closed_at=moment)
        return accompaniment

    def on_dropped(self, accompaniment, moment, title):
        return self.on_done(accompaniment, moment, title, status=Milestone.Status.DROPPED)

    def on_move(self, accompaniment, moment, name, comment="", **arguments):
        before = list(accompaniment.milestones.values_list("pk", flat=True))
        if name == "start_impact_measurement":
            # The reports' periods count from the day the structure entered the stage, which is
            # moved back below: open them from that day, and the journey opens none again.
            schedule_reports(accompaniment, starts_on=moment.date())
        accompaniment = change_stage(accompaniment, name, self.staff, comment=comment, **arguments)
        log = accompaniment.transitions.order_by("-pk").first()
        AccompanimentTransition.objects.filter(pk=log.pk).update(at=moment)
        Accompaniment.objects.filter(pk=accompaniment.pk).update(stage_entered_at=moment)
        self.date_milestones(accompaniment, moment, before)
        return accompaniment

    def pdf(self, title):
        return demo_pdf(title)

    def on_exit(self, accompaniment, moment, reason):
        return self.on_move(accompaniment, moment, "exit", reason=reason)

    def on_label(self, accompaniment, moment, label_name, comments):
        record_label_decision(
            accompaniment, self.staff, moment.date(), "granted", label_name, comments
        )
        return accompaniment

    def on_grant(self, accompaniment, moment, amount, funder, signed):
        self.journey["grant"] = record_seed_grant(
            accompaniment,
            self.staff,
            Decimal(amount),
            funder,
            agreement_signed_on=moment.date() if signed else None,
        )
        return accompaniment

    def on_payment(self, accompaniment, moment, amount):
        disburse(self.journey["grant"], Decimal(amount), moment.date(), self.staff)
        return accompaniment

    def on_round(self, accompaniment, moment, target, instruments):
        self.journey["round"] = record_round(
            accompaniment, self.staff, Decimal(target), list(instruments)
        )
        return accompaniment

    def on_commitment(self, accompaniment, moment, funder, amount):
        add_commitment(self.journey["round"], self.staff, funder, Decimal(amount))
        return accompaniment

    def on_close_round(self, accompaniment, moment):
        close_round(self.journey["round"], self.staff, moment.date())
        return accompaniment

    def on_note(self, accompaniment, moment, author, visibility, body):
        if author == "support_point":
            email = data.SUPPORT_POINT_PEOPLE[accompaniment.structure.department.code][0]
            actor = User.objects.get(email__iexact=email)
        else:
            actor = self.staff
        note = add_note(accompaniment, actor, body, visibility)
        Note.objects.filter(pk=note.pk).update(created_at=moment)
        return accompaniment

    def on_obstacle(self, accompaniment, moment, regulation, blocks, proposed_change):
        # Reported by the structure itself, as the programme asks its structures to.
        obstacle = report_obstacle(
            accompaniment, self.journey["owner"], regulation, blocks, proposed_change
        )
        RegulatoryObstacle.objects.filter(pk=obstacle.pk).update(reported_at=moment)
        self.journey["obstacle"] = obstacle
        return accompaniment

    def on_obstacle_move(self, accompaniment, moment, name, comment):
        obstacle = change_obstacle_state(self.journey["obstacle"], name, self.staff, comment)
        event = obstacle.events.order_by("-pk").first()
        ObstacleEvent.objects.filter(pk=event.pk).update(at=moment)
        self.journey["obstacle"] = obstacle
        return accompaniment


def add_months(day, months):
    """The same day `months` later (the 28th at most, so that every month has it)."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def demo_pdf(title):
    """A one-page PDF whose only content is `title` (ASCII letters kept)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
