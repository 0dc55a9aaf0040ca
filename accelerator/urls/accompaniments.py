"""URLs of the journey: an accompaniment's page and what is recorded on it (included in
accelerator.urls, namespace "accelerator")."""

from django.urls import path

from accelerator.views.staff import accompaniment_files, accompaniment_records, accompaniments

ROOT = "accompaniments/<int:pk>/"

urlpatterns = [
    path(ROOT, accompaniments.accompaniment_detail, name="accompaniment"),
    path(f"{ROOT}move/", accompaniments.move, name="accompaniment_moves"),
    path(f"{ROOT}move/<str:name>/", accompaniments.move, name="accompaniment_move"),
    path(f"{ROOT}people/", accompaniments.change_people, name="accompaniment_people"),
    path(f"{ROOT}milestones/", accompaniments.milestone_add, name="accompaniment_milestone_add"),
    path(
        f"{ROOT}milestones/<int:milestone_pk>/status/",
        accompaniments.milestone_status,
        name="accompaniment_milestone_status",
    ),
    # What the stages need.
    path(
        f"{ROOT}label-decisions/",
        accompaniment_records.label_decision_add,
        name="accompaniment_label_decision",
    ),
    path(
        f"{ROOT}seed-grants/", accompaniment_records.seed_grant_add, name="accompaniment_seed_grant"
    ),
    path(
        f"{ROOT}seed-grants/<int:grant_pk>/agreement/",
        accompaniment_records.agreement_sign,
        name="accompaniment_agreement",
    ),
    path(
        f"{ROOT}seed-grants/<int:grant_pk>/payments/",
        accompaniment_records.payment_add,
        name="accompaniment_payment",
    ),
    path(f"{ROOT}rounds/", accompaniment_records.round_add, name="accompaniment_round"),
    path(f"{ROOT}rounds/skip/", accompaniment_records.round_skip, name="accompaniment_skip"),
    path(
        f"{ROOT}rounds/<int:round_pk>/commitments/",
        accompaniment_records.commitment_add,
        name="accompaniment_commitment",
    ),
    path(
        f"{ROOT}rounds/<int:round_pk>/close/",
        accompaniment_records.round_close,
        name="accompaniment_round_close",
    ),
    path(
        f"{ROOT}rounds/<int:round_pk>/skip/",
        accompaniment_records.round_skip,
        name="accompaniment_round_skip",
    ),
    # Notes and documents.
    path(f"{ROOT}notes/", accompaniment_files.note_add, name="accompaniment_note"),
    path(f"{ROOT}documents/", accompaniment_files.document_add, name="accompaniment_document_add"),
    path(
        f"{ROOT}documents/<int:document_pk>/",
        accompaniment_files.document_download,
        name="accompaniment_document",
    ),
    path(
        f"{ROOT}documents/<int:document_pk>/remove/",
        accompaniment_files.document_remove,
        name="accompaniment_document_remove",
    ),
]
