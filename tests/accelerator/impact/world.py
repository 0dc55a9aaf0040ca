"""Structures in impact measurement, their plans and reports, built through the domain: the
helpers of the impact tests."""

import datetime
from decimal import Decimal

from accelerator.domain.impact_plans import agree, save_line
from accelerator.domain.impact_reports import change_report_state, save_report
from accelerator.domain.journey import change_stage
from accelerator.models import ImpactReport, Indicator, Stage
from tests import factories
from tests.accelerator.cohorts import accompany, advance, make_cohort
from tests.accelerator.test_journey_transitions import fulfil

BASELINE_ON = datetime.date(2026, 1, 1)
TARGET_ON = datetime.date(2027, 1, 1)


def indicator(code):
    """An indicator of the default catalogue (loaded by the migrations): "jobs-fte" (decimal,
    sum), "people-reached" (integer, sum), "own-revenue-share" (percentage, mean), "revenue"
    (money, sum), "waste-avoided" (decimal, tonnes, sum)…"""
    return Indicator.objects.get(code=code)


def in_impact_measurement(cohort=None, structure=None, referent=None, support_point=None):
    """An accompaniment moved by the domain into impact measurement (its reports opened), with
    its référent; the structure has an owner (`.owner`) and an editor (`.editor`)."""
    cohort = cohort or make_cohort()
    referent = referent or factories.StaffFactory()
    structure = structure or factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    editor = factories.MembershipFactory(structure=structure, role="editor").user
    accompaniment = accompany(cohort, structure, referent=referent, support_point=support_point)
    accompaniment = advance(accompaniment, Stage.FUNDRAISING, referent)
    fulfil(accompaniment, "start_impact_measurement")
    accompaniment = change_stage(accompaniment, "start_impact_measurement", referent)
    accompaniment.owner, accompaniment.editor = owner, editor
    return accompaniment


def agreed_plan(accompaniment, lines=None):
    """Lines {code: (baseline, target)} (typed as people type them) dated BASELINE_ON and
    TARGET_ON, agreed by the structure's editor and the référent."""
    lines = lines or {"jobs-fte": ("2", "6"), "people-reached": ("100", "300")}
    for code, (baseline, target) in lines.items():
        save_line(
            accompaniment,
            accompaniment.editor,
            indicator(code),
            baseline=baseline,
            baseline_on=BASELINE_ON,
            target=target,
            target_on=TARGET_ON,
        )
    plan = accompaniment.impact_plan
    agree(plan, accompaniment.editor)
    return agree(plan, accompaniment.referent)


def first_report(accompaniment):
    return ImpactReport.objects.filter(accompaniment=accompaniment).order_by("number").first()


def submitted(report, accompaniment, values, narrative="Un semestre riche."):
    """`report` filled with `values` {code: typed value} by the editor and submitted."""
    entries = {indicator(code): (value, False, "") for code, value in values.items()}
    report = save_report(report, accompaniment.editor, entries, narrative)
    return change_report_state(report, "submit", accompaniment.editor)


def validated(report, accompaniment, values):
    report = submitted(report, accompaniment, values)
    return change_report_state(report, "validate", accompaniment.referent)


def amount(text):
    return Decimal(text)
