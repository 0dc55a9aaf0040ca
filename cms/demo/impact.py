"""The demo's impact measurement: each cohort's reporting schedule, and the previous cohort whose
structures measure their impact (plans agreed, reports in every state, a late one, a correction
under way, the support point's comments, one structure become alumni).

Everything moves through the domain (`impact_plans`, `impact_reports`, `impact_records`,
`impact_publication`, `change_stage`), as the events of `cms.demo.data.PREVIOUS_JOURNEYS`
say; only the timestamps are moved back afterwards, as the loader does for the rest of the
history, so that the reports fall due over the past eighteen months.
"""

from contextlib import contextmanager

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from accelerator.domain.accompaniments import set_referent
from accelerator.domain.cohorts import add_structure, create_cohort
from accelerator.domain.impact_plans import agree, save_line
from accelerator.domain.impact_publication import publishable, set_publication
from accelerator.domain.impact_records import add_comment, add_evidence
from accelerator.domain.impact_reports import change_report_state, save_report, start_correction
from accelerator.domain.impact_schedule import save_schedule
from accelerator.models import (
    Accompaniment,
    Cohort,
    ImpactPlan,
    ImpactReport,
    ImpactReportTransition,
    Indicator,
    MemberRole,
    ReportComment,
    ReportEvidence,
    ReportState,
    ReportValue,
    User,
)
from cms.demo import data


class ImpactEvents:
    """The impact part of the demo's loader (mixed into it): the previous cohort, the schedules,
    and the `on_<kind>` handlers of the impact events of a journey plan. They act through the
    loader's `staff`, `structures`, `journey` (the structure's owner) and helpers."""

    def load_reporting_schedule(self, cohort):
        """Before any of its structures enters impact measurement: their reports follow it."""
        save_schedule(cohort, self.staff, data.REPORTING_SCHEDULE)

    def load_previous_cohort(self):
        """The cohort before the current one, once, with its structures' whole journeys."""
        structure, _owner = self.structures[data.IMPACT_STRUCTURE]
        self.member(structure, self.user(data.IMPACT_REPORTER), MemberRole.EDITOR)
        started_at = data.days_ago(self.now, data.PREVIOUS_COHORT["started_days_ago"])
        name = data.PREVIOUS_COHORT["name"].format(year=started_at.year)
        if Cohort.objects.filter(programme=self.programme, name=name).exists():
            return
        starts_on = timezone.localdate(started_at)
        cohort = create_cohort(
            self.programme,
            self.staff,
            name=name,
            year=starts_on.year,
            capacity=data.PREVIOUS_COHORT["capacity"],
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=data.PREVIOUS_COHORT["months"]),
            referents=[self.staff],
        )
        self.created[Cohort._meta.label] += 1
        self.load_reporting_schedule(cohort)
        for plan in data.PREVIOUS_JOURNEYS:
            structure, _owner = self.structures[plan.structure]
            accompaniment = add_structure(
                cohort, structure, plan.source, self.staff, plan.reference
            )
            self.date_joining(accompaniment, data.days_ago(self.now, plan.joined_days_ago, hour=9))
            set_referent(accompaniment, self.staff, self.staff)
            self.load_journey(accompaniment, plan)
            self.created[Accompaniment._meta.label] += 1

    # --- who acts, on which report

    def reporter(self, accompaniment):
        """Who writes the structure's plan and reports: the demo's impact login for its
        structure, the owner for the others."""
        if accompaniment.structure.name == data.IMPACT_STRUCTURE:
            return User.objects.get(email__iexact=data.IMPACT_REPORTER.email)
        return self.journey["owner"]

    def actor(self, accompaniment, who):
        if who == "staff":
            return self.staff
        if who == "support_point":
            email = data.SUPPORT_POINT_PEOPLE[accompaniment.structure.department.code][0]
            return User.objects.get(email__iexact=email)
        return self.reporter(accompaniment)

    def report(self, accompaniment, number):
        """The latest version of the period's report."""
        return (
            ImpactReport.objects.filter(accompaniment=accompaniment, number=number)
            .order_by("-version")
            .first()
        )

    @contextmanager
    def dated(self, moment):
        """The report moves logged inside the block happened at `moment`."""
        before = ImpactReportTransition.objects.aggregate(last=Max("pk"))["last"] or 0
        yield
        ImpactReportTransition.objects.filter(pk__gt=before).update(at=moment)

    def entries(self, values):
        """The structure's entries for `save_report`: (code, typed value) or (code, None, why it
        was not measured)."""
        indicators = Indicator.objects.in_bulk([value[0] for value in values], field_name="code")
        entries = {}
        for code, typed, *reason in values:
            entries[indicators[code]] = (typed or "", typed is None, reason[0] if reason else "")
        return entries

    # --- the plan

    def on_impact_plan(self, accompaniment, moment, who, lines):
        """The plan's lines, from the day the structure entered impact measurement (its first
        period) to the end of its last period."""
        reports = ImpactReport.objects.filter(accompaniment=accompaniment, version=1)
        first, last = reports.order_by("number").first(), reports.order_by("-number").first()
        actor = self.actor(accompaniment, who)
        indicators = Indicator.objects.in_bulk([line[0] for line in lines], field_name="code")
        for code, baseline, target in lines:
            save_line(
                accompaniment,
                actor,
                indicators[code],
                baseline=baseline,
                baseline_on=first.period_start,
                target=target,
                target_on=last.period_end,
            )
        ImpactPlan.objects.filter(accompaniment=accompaniment).update(updated_at=moment)
        return accompaniment

    def on_agree_plan(self, accompaniment, moment, who):
        plan = ImpactPlan.objects.get(accompaniment=accompaniment)
        agree(plan, self.actor(accompaniment, who))
        side = "staff_agreed_at" if who == "staff" else "structure_agreed_at"
        ImpactPlan.objects.filter(pk=plan.pk).update(**{side: moment})
        return accompaniment

    # --- the reports

    def on_report(self, accompaniment, moment, number, values, narrative):
        with self.dated(moment):
            report = save_report(
                self.report(accompaniment, number),
                self.reporter(accompaniment),
                self.entries(values),
                narrative,
            )
        ImpactReport.objects.filter(pk=report.pk).update(updated_at=moment)
        return accompaniment

    def on_submit_report(self, accompaniment, moment, number):
        with self.dated(moment):
            report = change_report_state(
                self.report(accompaniment, number), "submit", self.reporter(accompaniment)
            )
        ImpactReport.objects.filter(pk=report.pk).update(submitted_at=moment, updated_at=moment)
        return accompaniment

    def on_validate_report(self, accompaniment, moment, number):
        with self.dated(moment):
            report = change_report_state(self.report(accompaniment, number), "validate", self.staff)
        ImpactReport.objects.filter(pk=report.pk).update(validated_at=moment)
        return accompaniment

    def on_send_back(self, accompaniment, moment, number, comment):
        with self.dated(moment):
            change_report_state(
                self.report(accompaniment, number), "request_changes", self.staff, comment
            )
        return accompaniment

    def on_correct_report(self, accompaniment, moment, number, reason, values):
        """A new version of the validated report, its figures corrected, saved as a draft."""
        validated = ImpactReport.objects.get(
            accompaniment=accompaniment,
            number=number,
            state=ReportState.VALIDATED,
            superseded_at__isnull=True,
        )
        reporter = self.reporter(accompaniment)
        with self.dated(moment):
            correction = start_correction(validated, reporter, reason)
            save_report(correction, reporter, self.entries(values))
        ImpactReport.objects.filter(pk=correction.pk).update(updated_at=moment)
        return accompaniment

    def on_comment(self, accompaniment, moment, number, who, body):
        report = self.report(accompaniment, number)
        comment = add_comment(report, self.actor(accompaniment, who), body)
        ReportComment.objects.filter(pk=comment.pk).update(created_at=moment)
        return accompaniment

    def on_evidence(self, accompaniment, moment, number, file_name):
        title = f"{file_name.removesuffix('.pdf')} - {accompaniment.structure.name}"
        upload = SimpleUploadedFile(file_name, self.pdf(title), "application/pdf")
        report = self.report(accompaniment, number)
        evidence = add_evidence(report, self.reporter(accompaniment), upload)
        ReportEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=moment)
        return accompaniment

    def on_publish(self, accompaniment, moment, codes):
        """The structure lets the public see its figures in force of these indicators."""
        chosen = publishable(accompaniment).filter(indicator__code__in=codes)
        ids = list(chosen.values_list("pk", flat=True))
        set_publication(accompaniment, self.reporter(accompaniment), ids)
        ReportValue.objects.filter(pk__in=ids).update(public_changed_at=moment)
        return accompaniment
