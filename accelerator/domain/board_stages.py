"""The stages as the cohort board shows them: the columns' order, their labels in the active
language and their colours, shared by the columns, the totals, the chart and its legend."""

from accelerator.models import STAGE_ORDER, Stage

# The board's columns: the journey in its order, then the stages aside from it.
BOARD_STAGES = STAGE_ORDER
# One colour per stage for the chart and the columns, told apart also by colour-blind readers
# (Okabe–Ito palette); the table under the chart gives the same figures without colour.
# accelerator/css/journey-board.css repeats them for the columns and the legend (the policy
# refuses style attributes); a test in tests/test_security_headers.py keeps the two equal.
STAGE_COLOURS = {
    Stage.SOURCING: "#8c96a8",
    Stage.LABELLING: "#56b4e9",
    Stage.SEED_FUNDING: "#0072b2",
    Stage.FUNDRAISING: "#e69f00",
    Stage.IMPACT_MEASUREMENT: "#009e73",
    Stage.ALUMNI: "#cc79a7",
    Stage.PAUSED: "#f0e442",
    Stage.EXITED: "#d55e00",
}


def stage_labels():
    """Stage labels in the active language, read once (get_FOO_display re-reads every choice)."""
    return {stage.value: str(stage.label) for stage in Stage}
