"""The one error contract: the domain says no with `Refused`, `show_refusal` puts its messages
where the person looks, and in each room a refusal reaches the page as the domain worded it."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accelerator.domain import members
from accelerator.domain.refusals import Refused
from accelerator.models import MemberRole, Membership
from accelerator.views.refusals import show_refusal
from applications.domain import jury
from applications.models import Juror, Review, ReviewPhase
from tests import factories
from tests.applications.jury.helpers import assign, jury_dossier, make_juror


class SiretForm(forms.Form):
    name = forms.CharField(required=False)
    siret = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _shown(request):
    return [(message.message, message.level) for message in get_messages(request)]


def _form():
    form = SiretForm({"name": "Atelier", "siret": "123"})
    assert form.is_valid()
    return form


def test_a_refusal_is_a_validation_error_read_through_its_messages():
    refusal = Refused({"siret": "Already registered.", NON_FIELD_ERRORS: "Nothing was saved."})
    assert isinstance(refusal, ValidationError)
    assert refusal.messages == ["Already registered.", "Nothing was saved."]
    assert refusal.message_dict == {
        "siret": ["Already registered."],
        NON_FIELD_ERRORS: ["Nothing was saved."],
    }
    assert Refused("One reason.").messages == ["One reason."]


def test_messages_tied_to_fields_go_next_to_them_and_the_others_on_top_of_the_form():
    request, form = _request(), _form()
    refusal = Refused(
        {
            "siret": "Already registered.",
            "department": "Not a field of this form.",
            NON_FIELD_ERRORS: "Nothing was saved.",
        }
    )
    show_refusal(request, refusal, form)
    assert form.errors["siret"] == ["Already registered."]
    assert form.non_field_errors() == ["Not a field of this form.", "Nothing was saved."]
    assert "name" not in form.errors
    assert _shown(request) == []


def test_messages_tied_to_no_field_go_next_to_the_field_the_view_names():
    request, form = _request(), _form()
    show_refusal(request, Refused(["Too long.", "Not allowed."]), form, field="name")
    assert form.errors["name"] == ["Too long.", "Not allowed."]
    assert form.non_field_errors() == []
    form = _form()
    show_refusal(request, Refused({"siret": "Taken.", "elsewhere": "Odd."}), form, field="name")
    assert (form.errors["siret"], form.errors["name"]) == (["Taken."], ["Odd."])


def test_a_plain_refusal_goes_on_top_of_the_form():
    request, form = _request(), _form()
    show_refusal(request, Refused(["First reason.", "Second reason."]), form)
    assert form.non_field_errors() == ["First reason.", "Second reason."]
    assert _shown(request) == []


def test_a_model_check_shows_the_same_way():
    request, form = _request(), _form()
    show_refusal(request, ValidationError({"name": ["Give a name."]}), form)
    assert form.errors["name"] == ["Give a name."]


def test_without_a_form_each_message_is_an_error_message_of_the_next_page():
    request = _request()
    show_refusal(request, Refused(["First reason.", "Second reason."]))
    show_refusal(request, Refused({"siret": "Already registered."}))
    assert _shown(request) == [
        ("First reason.", messages.ERROR),
        ("Second reason.", messages.ERROR),
        ("Already registered.", messages.ERROR),
    ]


# --- accelerator: a structure's members ------------------------------------------------------


@pytest.mark.django_db
def test_the_last_owner_who_leaves_reads_the_domains_refusal(client, structure, owner):
    with pytest.raises(Refused) as refused:
        members.leave_structure(structure, owner)
    [reason] = refused.value.messages
    assert "only owner" in reason
    client.force_login(owner)
    response = client.post(reverse("accelerator:leave", args=[structure.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:members", args=[structure.pk])
    assert _shown(response.wsgi_request) == [(reason, messages.ERROR)]
    page = client.get(response["Location"]).content.decode()
    assert escape(reason) in page
    assert Membership.objects.filter(structure=structure, user=owner).exists()


@pytest.mark.django_db
def test_inviting_a_member_again_puts_the_refusal_by_the_address(client, structure, owner, editor):
    with pytest.raises(Refused) as refused:
        members.invite_member(structure, owner, editor.email, MemberRole.VIEWER)
    [reason] = refused.value.messages
    client.force_login(owner)
    response = client.post(
        reverse("accelerator:invite", args=[structure.pk]),
        {"email": editor.email, "role": MemberRole.VIEWER},
    )
    assert response.status_code == 200
    form = response.context["invitation_form"]
    assert form.errors == {"email": [reason]}
    assert escape(reason) in response.content.decode()


# --- applications: the jury ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_juror_with_a_submitted_review_stays_and_staff_read_why(client, staff):
    call = factories.make_call()
    juror = make_juror(call)
    assignment = assign(juror, jury_dossier(call, staff), declared="none")
    Review.objects.create(assignment=assignment, submitted_at=timezone.now())
    with pytest.raises(Refused) as refused:
        jury.remove_juror(juror, staff)
    [reason] = refused.value.messages
    client.force_login(staff)
    response = client.post(reverse("applications:staff_jury_remove", args=[call.pk, juror.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:staff_jury", args=[call.pk])
    assert _shown(response.wsgi_request) == [(reason, messages.ERROR)]
    assert escape(reason) in client.get(response["Location"]).content.decode()
    assert Juror.objects.filter(pk=juror.pk).exists()


@pytest.mark.django_db
def test_a_phase_ending_before_it_starts_is_refused_next_to_its_end(client, staff):
    call = factories.make_call()
    client.force_login(staff)
    response = client.post(
        reverse("applications:staff_review_phases", kwargs={"call_id": call.pk}),
        {
            "new-name": "Première lecture",
            "new-starts_at": "2027-03-15T18:00",
            "new-ends_at": "2027-03-01T09:00",
            "new-peer_scores": "after_own",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"ends_at": ["A phase must end after it starts."]}
    assert not ReviewPhase.objects.filter(call=call).exists()
