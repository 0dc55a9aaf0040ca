"""Calls, dossiers and the jury. Each module owns one part; everything is importable from here."""

from applications.models.blind import BlindLeakReport
from applications.models.calls import Call, CallKind, CallPhase, EvaluationCriterion
from applications.models.dossiers import (
    WITHDRAWABLE,
    Attachment,
    Dossier,
    DossierState,
    DossierTransition,
    PrivateStorage,
    attachment_path,
    private_storage,
)
from applications.models.jury import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    DecisionLetter,
    DecisionLetterTemplate,
    DecisionOutcome,
    Juror,
    JurorRole,
    PeerScores,
    Recommendation,
    Review,
    ReviewPhase,
    Score,
)
from applications.models.partners import DossierPartnerName
from applications.models.ranking import CallRankingGrid, DossierRanking

__all__ = [
    "WITHDRAWABLE",
    "Assignment",
    "Attachment",
    "BlindLeakReport",
    "Call",
    "CallKind",
    "CallPhase",
    "CallRankingGrid",
    "ConflictDeclaration",
    "ConflictKind",
    "DecisionLetter",
    "DecisionLetterTemplate",
    "DecisionOutcome",
    "Dossier",
    "DossierPartnerName",
    "DossierRanking",
    "DossierState",
    "DossierTransition",
    "EvaluationCriterion",
    "Juror",
    "JurorRole",
    "PeerScores",
    "PrivateStorage",
    "Recommendation",
    "Review",
    "ReviewPhase",
    "Score",
    "attachment_path",
    "private_storage",
]
