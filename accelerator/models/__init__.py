"""The models of the programme, one module per part of the domain; every model is importable
from `accelerator.models`."""

from accelerator.models.followup import (  # noqa: F401
    OBSTACLE_TRANSITIONS,
    OPEN_OBSTACLE_STATES,
    Document,
    Note,
    ObstacleEvent,
    ObstacleState,
    RegulatoryObstacle,
    Visibility,
)
from accelerator.models.impact import (  # noqa: F401
    NUMERIC_TYPES,
    Aggregation,
    Direction,
    ImpactPlan,
    Indicator,
    IndicatorCategory,
    PlannedIndicator,
    ReportingSchedule,
    ValueType,
)
from accelerator.models.journey import (  # noqa: F401
    ACTIVE_STAGES,
    ADVANCE,
    JOURNEY,
    STAGE_ORDER,
    TRANSITIONS,
    Accompaniment,
    AccompanimentTransition,
    Cohort,
    Disbursement,
    FundraisingCommitment,
    FundraisingRound,
    Instrument,
    LabelDecision,
    Milestone,
    MilestoneOwner,
    MilestoneTemplate,
    SeedGrant,
    Source,
    Stage,
)
from accelerator.models.people import User, UserManager  # noqa: F401
from accelerator.models.reports import (  # noqa: F401
    EDITABLE_REPORT_STATES,
    OPEN_REPORT_STATES,
    REPORT_TRANSITIONS,
    ImpactReport,
    ImpactReportTransition,
    ReportComment,
    ReportEvidence,
    ReportState,
    ReportValue,
)
from accelerator.models.structures import (  # noqa: F401
    Invitation,
    JoinRequest,
    LegalForm,
    MemberRole,
    Membership,
    Structure,
    _new_token,
)
from accelerator.models.territories import Department, Programme, Region, SupportPoint  # noqa: F401
from accelerator.models.transitions import TransitionLog  # noqa: F401
