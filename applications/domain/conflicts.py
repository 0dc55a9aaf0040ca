"""Conflicts of interest between jurors and dossiers: declared, recorded by staff, suggested.

Rules:
- a juror declares once per assigned dossier, before seeing its content: no conflict, or a typed
  conflict ("other" needs a few words). The declaration is final for the juror; staff may record
  or correct one on their behalf;
- Essor suggests likely conflicts to staff: the juror is a member of the structure; the juror's
  e-mail domain is a member's (public webmail domains aside); the juror's organisation is a
  partner listed in the dossier. Staff dismiss a suggestion by recording "no conflict". The
  partners' names are stored per dossier (`refresh_partner_names`, when its answers are saved
  and when it is submitted), so the suggestions are found by indexes, whatever the call's size;
- `blocked_pairs` (declared conflicts and suggestions) keeps jurors away from those dossiers in
  assignment and out of their ranking.
"""

import re
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from accelerator.models import Membership
from applications.domain.blind import partner_names
from applications.domain.juror_access import UNREADABLE_STATES
from applications.domain.ranking_rows import refresh_after_transition, refresh_dossier_ranking
from applications.models import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierPartnerName,
    Juror,
)

# Addresses anyone can open: sharing one says nothing of a tie. Families end with ".*".
PUBLIC_EMAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "orange.fr",
    "free.fr",
    "wanadoo.fr",
    "laposte.net",
    "sfr.fr",
    "neuf.fr",
    "bbox.fr",
    "numericable.fr",
    "aliceadsl.fr",
    "club-internet.fr",
    "icloud.com",
    "me.com",
    "mac.com",
    "protonmail.com",
    "protonmail.ch",
    "proton.me",
    "pm.me",
    "gmx.fr",
    "gmx.com",
    "gmx.net",
    "aol.com",
    "msn.com",
    "mail.com",
    "tutanota.com",
    "yandex.com",
    "zoho.com",
}
PUBLIC_EMAIL_FAMILIES = ("hotmail.", "outlook.", "yahoo.", "live.", "ymail.")


class SuggestionReason(TextChoices):
    MEMBER = "member", gettext_lazy("The juror is a member of the structure")
    EMAIL_DOMAIN = "email_domain", gettext_lazy("The juror's e-mail domain is a member's")
    PARTNER = "partner", gettext_lazy("The juror's organisation is a listed partner")


# The kind of conflict staff record when they accept a suggestion.
KIND_FOR_REASON = {
    SuggestionReason.MEMBER: ConflictKind.MEMBER,
    SuggestionReason.EMAIL_DOMAIN: ConflictKind.MEMBER,
    SuggestionReason.PARTNER: ConflictKind.PARTNER,
}


def _clean(kind, details):
    details = (details or "").strip()
    if kind not in ConflictKind.values:
        raise Refused(_("Please choose one of the answers."))
    if kind == ConflictKind.OTHER and not details:
        raise Refused(_("Please say in a few words what the conflict is."))
    return details


def declare_conflict(juror, dossier, kind, details, actor):
    """The juror's own declaration on an assigned dossier. Final: a second one is refused."""
    if actor is None or juror.user_id is None or actor.pk != juror.user_id:
        raise PermissionDenied
    if not juror.has_accepted or dossier.call_id != juror.call_id:
        raise PermissionDenied
    if dossier.state in UNREADABLE_STATES:
        raise PermissionDenied
    if not Assignment.objects.filter(juror=juror, dossier=dossier).exists():
        raise PermissionDenied
    details = _clean(kind, details)
    final = Refused(
        _(
            "You already answered for this dossier. If your answer must change, write to the "
            "programme team: they can correct it."
        )
    )
    if ConflictDeclaration.objects.filter(juror=juror, dossier=dossier).exists():
        raise final
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                juror=juror,
                dossier=dossier,
                kind=kind,
                details=details if kind != ConflictKind.NONE else "",
                declared_by=actor,
            )
            # A conflict takes the juror's review, if any, out of the ranking; the juror's
            # count of declarations moves.
            refresh_dossier_ranking(dossier.pk, jurors=[juror.pk])
            return declaration
    except IntegrityError as error:
        # The same juror answered a moment ago in another tab: that answer stands.
        raise final from error


def record_conflict(juror, dossier, kind, details, actor):
    """Staff record, or correct, a juror's declaration on a dossier of the same call; returns it.
    "No conflict" recorded by staff also dismisses a suggestion for that pair."""
    if actor is None or not actor.has_perm("applications.manage_dossiers"):
        raise PermissionDenied
    if dossier.call_id != juror.call_id:
        raise Refused(_("This dossier is not part of the juror's call."))
    details = _clean(kind, details)
    with transaction.atomic():
        declaration, _created = ConflictDeclaration.objects.update_or_create(
            juror=juror,
            dossier=dossier,
            defaults={
                "kind": kind,
                "details": details,
                "declared_by": actor,
                "declared_at": timezone.now(),
            },
        )
        # A conflict recorded (or corrected to none) moves the juror's review in or out, and
        # their count of declarations (they may not be assigned the dossier).
        refresh_dossier_ranking(dossier.pk, jurors=[juror.pk])
    return declaration


def declarations_of(call):
    """Every declaration on `call`, with juror, dossier and author, in one query. Filtered on the
    dossier's call too (the same: a juror declares on their own call's dossiers only), so that
    PostgreSQL reads the call's dossiers only, not every call's."""
    return (
        ConflictDeclaration.objects.filter(juror__call=call, dossier__call=call)
        .select_related("juror", "juror__user", "dossier", "dossier__structure", "declared_by")
        .order_by("dossier__reference", "juror__email")
    )


# --- suggestions --------------------------------------------------------------------------


def email_domain(email):
    email = (email or "").strip().lower()
    return email.rsplit("@", 1)[1] if "@" in email else ""


def is_public_domain(domain):
    return not domain or domain in PUBLIC_EMAIL_DOMAINS or domain.startswith(PUBLIC_EMAIL_FAMILIES)


def normalise_name(name):
    """ "Réseau Tiers-Lieux  du Cher" -> "reseau tiers lieux du cher": case, accents and
    punctuation do not tell two organisations apart."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def table_names(answers):
    """The normalised names of every row of every table in `answers`: what `partner_names` reads
    under any version of the form, and more (a superset: the exact rule reads the few dossiers
    found)."""
    names = set()
    for answer in (answers or {}).values():
        if isinstance(answer, list):
            rows = (row for row in answer if isinstance(row, dict))
            names.update(normalise_name(str(row.get("name") or "")) for row in rows)
    return names - {""}


def refresh_partner_names(dossier):
    """Store again the partners' names of `dossier` (`DossierPartnerName`), in the transaction of
    the change: its answers saved, or it is submitted."""
    names = table_names(dossier.answers)
    DossierPartnerName.objects.filter(dossier_id=dossier.pk).exclude(name__in=names).delete()
    DossierPartnerName.objects.bulk_create(
        [DossierPartnerName(dossier_id=dossier.pk, call_id=dossier.call_id, name=n) for n in names],
        ignore_conflicts=True,
    )


def after_dossier_transition(dossier, log):
    """The dossier machine's after-step: a submission stores the names it is submitted with."""
    if log.name == "submit":
        refresh_partner_names(dossier)
    refresh_after_transition(dossier, log)


def _profiles(jurors):
    """[(juror, e-mail domains, normalised organisations)]: what the rules compare, per juror."""
    profiles = []
    for juror in jurors:
        domains = {email_domain(juror.email)}
        organisations = {normalise_name(juror.organisation)}
        if juror.user is not None:
            domains.add(email_domain(juror.user.email))
            organisations.add(normalise_name(juror.user.organisation))
        domains = {d for d in domains if not is_public_domain(d)}
        profiles.append((juror, domains, organisations - {""}))
    return profiles


def _candidate_ids(call, profiles):
    """The ids of the call's dossiers where a suggestion is possible, found by indexes: the
    structure has a juror, or a member sharing a juror's domain, among its members; or a stored
    partner's name is a juror's organisation. One query, whatever the call's size."""
    user_ids = {juror.user_id for juror, _d, _o in profiles if juror.user_id is not None}
    domains = set().union(*(domains for _j, domains, _o in profiles))
    organisations = set().union(*(organisations for _j, _d, organisations in profiles))
    members = Q(user_id__in=user_ids)
    for domain in domains:
        members |= Q(user__email__iendswith=f"@{domain}")
    structures = Membership.objects.filter(members).values("structure_id")
    by_member = Dossier.objects.filter(call=call, structure__in=structures).order_by()
    by_partner = DossierPartnerName.objects.filter(call=call, name__in=organisations).order_by()
    # A union, each side on its index (an OR would test every dossier of the call).
    union = by_member.values_list("pk").union(by_partner.values_list("dossier_id"))
    return {pk for (pk,) in union}


def suggested_conflicts(call):
    """Likely conflicts on `call` as [(juror, dossier, SuggestionReason)], one per pair and
    reason, in a constant number of queries whatever the numbers of jurors and dossiers: only
    the dossiers the database finds possible (`_candidate_ids`) are read, and only their
    declarations."""
    jurors = list(Juror.objects.filter(call=call).select_related("user"))
    if not jurors:
        return []
    profiles = _profiles(jurors)
    candidates = _candidate_ids(call, profiles)
    if not candidates:
        return []
    dossiers = list(
        Dossier.objects.filter(pk__in=candidates)
        .exclude(state__in=UNREADABLE_STATES)
        .select_related("structure")
        .order_by("reference")
    )
    if not dossiers:
        return []
    members = {}  # structure id -> [(user id, e-mail domain)]
    for structure_id, user_id, email in Membership.objects.filter(
        structure_id__in={d.structure_id for d in dossiers}
    ).values_list("structure_id", "user_id", "user__email"):
        members.setdefault(structure_id, []).append((user_id, email_domain(email)))
    # A pair staff already decided on (any declaration they recorded) is no longer a suggestion.
    decided = {
        (juror_id, dossier_id)
        for juror_id, dossier_id, author_id, juror_user_id in ConflictDeclaration.objects.filter(
            juror__call=call, dossier__in=[d.pk for d in dossiers]
        ).values_list("juror_id", "dossier_id", "declared_by_id", "juror__user_id")
        if author_id is None or author_id != juror_user_id
    }
    live_form = list(call.form.raw_data)

    suggestions = []
    for dossier in dossiers:
        people = members.get(dossier.structure_id, [])
        member_ids = {user_id for user_id, _domain in people}
        member_domains = {domain for _user, domain in people if not is_public_domain(domain)}
        partners = {normalise_name(n) for n in partner_names(dossier, live_form)}
        for juror, domains, organisations in profiles:
            if (juror.pk, dossier.pk) in decided:
                continue
            if juror.user_id is not None and juror.user_id in member_ids:
                suggestions.append((juror, dossier, SuggestionReason.MEMBER))
            if domains & member_domains:
                suggestions.append((juror, dossier, SuggestionReason.EMAIL_DOMAIN))
            if organisations & partners:
                suggestions.append((juror, dossier, SuggestionReason.PARTNER))
    return suggestions


def blocked_pairs(call):
    """{(juror id, dossier id)} kept apart on `call`: declared conflicts and suggested ones."""
    declared = set(
        ConflictDeclaration.objects.filter(juror__call=call)
        .exclude(kind=ConflictKind.NONE)
        .values_list("juror_id", "dossier_id")
    )
    return declared | {(juror.pk, dossier.pk) for juror, dossier, _r in suggested_conflicts(call)}
