"""A juror's pack: every dossier assigned to a juror on one call and readable by them, as one PDF
to read away from the screen. Each dossier prints as the juror's page shows it
(`applications.domain.blind.juror_view`): in blind review, the neutral code, the figures in bands,
the texts scrubbed, the partners counted and not named, the files by number. Dossiers the juror
declared a conflict on, or has not declared on yet, are left out, and the cover says how many.

The pack's size follows the juror's assignments, which the call caps (`max_dossiers_per_juror`);
nothing is cut short: every readable dossier is printed whole."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.platypus import PageBreak, Paragraph, Spacer

from accelerator.domain import pdf
from applications.domain import blind, jury_seats
from applications.domain.dossier_pdf import answers_story, file_type, files_story
from applications.domain.juror_access import UNREADABLE_STATES, visible_dossiers_for
from applications.questions.values import format_euros


def pack_dossiers(seat):
    """The dossiers of `seat`'s call assigned to it that its juror may read, with what their
    pages read at no extra query."""
    return list(
        visible_dossiers_for(seat.user)
        .filter(call=seat.call_id, assignments__juror=seat)
        .select_related("call", "structure", "structure__department")
        .distinct()
    )


def left_out(seat):
    """How many of `seat`'s assigned dossiers are not in the pack, by reason."""
    counts = {"declare": 0, "conflict": 0, "unreadable": 0}
    for assignment in jury_seats.assignments_of(seat):
        if assignment.dossier.state in UNREADABLE_STATES:
            counts["unreadable"] += 1
        elif assignment.step == jury_seats.Step.DECLARE:
            counts["declare"] += 1
        elif assignment.step == jury_seats.Step.CONFLICT:
            counts["conflict"] += 1
    return counts


def _left_out_lines(counts):
    lines = []
    if counts["declare"]:
        lines.append(
            ngettext(
                "%(count)d assigned dossier is not in this pack: say first whether you have a "
                "conflict of interest on it, on your jury page.",
                "%(count)d assigned dossiers are not in this pack: say first whether you have a "
                "conflict of interest on them, on your jury page.",
                counts["declare"],
            )
            % {"count": counts["declare"]}
        )
    if counts["conflict"]:
        lines.append(
            ngettext(
                "%(count)d dossier on which you declared a conflict of interest is not in this "
                "pack.",
                "%(count)d dossiers on which you declared a conflict of interest are not in this "
                "pack.",
                counts["conflict"],
            )
            % {"count": counts["conflict"]}
        )
    if counts["unreadable"]:
        lines.append(
            ngettext(
                "%(count)d dossier withdrawn by its structure is not in this pack.",
                "%(count)d dossiers withdrawn by their structures are not in this pack.",
                counts["unreadable"],
            )
            % {"count": counts["unreadable"]}
        )
    return lines


def _structure_facts(structure, view):
    """The structure's facts as the juror's page lists them (`_dossier_view.html`)."""
    facts = view.facts
    rows = []
    if not view.blind:
        rows += [(_("Name"), structure.name), (_("SIREN or SIRET"), structure.siret)]
        rows.append((_("RNA number"), structure.rna))
    department = structure.department
    rows += [
        (_("Legal form"), structure.get_legal_form_display()),
        (_("Département"), f"{department.code} {department.name}" if department else ""),
    ]
    if not view.blind:
        place = f"{structure.postcode} {structure.city}".strip()
        rows.append((_("Address"), "\n".join(p for p in (structure.address, place) if p)))
        rows.append((_("Website"), structure.website))
    budget = facts.budget
    if budget is not None and not view.blind:
        budget = format_euros(budget)
    rows += [
        (_("Created in"), str(facts.creation) if facts.creation is not None else ""),
        (_("ESUS agrément"), _("Yes") if structure.esus_approved else _("No")),
        (_("Annual budget"), str(budget) if budget is not None else ""),
        (_("Employees"), str(facts.employees) if facts.employees is not None else ""),
    ]
    return pdf.facts_table(rows)


def _dossier_story(dossier, view, styles):
    heading = view.label if view.blind else f"{view.label} · {dossier.structure.name}"
    story = [Paragraph(pdf.markup(heading), styles["title"])]
    story.append(pdf.paragraph(_("Structure"), "section"))
    story.append(_structure_facts(dossier.structure, view))
    if view.description:
        story.append(Spacer(1, 4))
        story.append(pdf.paragraph(view.description, "answer"))
    if not view.blind:
        story.append(pdf.paragraph(_("Members"), "section"))
        members = [f"{m.user.display_name} ({m.get_role_display()})" for m in view.members] or [
            _("No member.")
        ]
        story += [pdf.paragraph(line, "answer") for line in members]
    story.append(pdf.paragraph(_("Answers"), "section"))
    story += answers_story(view.rows, styles)
    files = [(f["name"], f["size"], file_type(f["name"])) for f in view.files]
    story += files_story(files, styles, heading=_("Files"))
    return story


def _cover(seat, blind_mode, entries, counts, generated_at, styles):
    story = [
        Paragraph(pdf.markup(seat.call.title), styles["title"]),
        pdf.paragraph(_("Juror's pack"), "subtitle"),
        pdf.facts_table(
            [
                (_("Juror"), seat.user.display_name),
                (
                    _("Dossiers"),
                    ngettext("%(count)d dossier", "%(count)d dossiers", len(entries))
                    % {"count": len(entries)},
                ),
                (_("Generated on"), pdf.moment(generated_at)),
            ]
        ),
        Spacer(1, 8),
    ]
    if blind_mode:
        story.append(
            pdf.paragraph(
                _(
                    "Blind review: the structure's name, identifiers, website, members, place "
                    "and partners are hidden, its figures are given in ranges, and files carry "
                    "neutral names. Where an answer named them, you read a marker such as "
                    "“[structure]” or “[member]”."
                ),
                "intro",
            )
        )
    story += [pdf.paragraph(line, "empty") for line in _left_out_lines(counts)]
    if entries:
        story.append(pdf.paragraph(_("Contents"), "section"))
        story += [pdf.paragraph(heading, "answer") for heading, _d, _v in entries]
    else:
        story.append(pdf.paragraph(_("No dossier to read yet."), "empty"))
    return story


def juror_pack_pdf(seat, language, *, now=None):
    """`seat`'s pack as PDF bytes, in `language`: a cover (the juror, the count, what is left
    out and why, the contents), then each dossier from a new page."""
    styles = pdf.styles()
    now = now or timezone.now()
    with translation.override(language):
        blind_mode = blind.is_blind(seat.call, now)
        entries = []
        for dossier in pack_dossiers(seat):
            view = blind.juror_view(dossier, blind_mode)
            heading = view.label if blind_mode else f"{view.label} · {dossier.structure.name}"
            entries.append((heading, dossier, view))
        # Blind: in the order of the neutral codes, which says nothing of the references'.
        entries.sort(key=lambda entry: entry[0])
        story = _cover(seat, blind_mode, entries, left_out(seat), now, styles)
        for _heading, dossier, view in entries:
            story.append(PageBreak())
            story += _dossier_story(dossier, view, styles)
        title = _("Juror's pack")
        return pdf.build(
            story,
            title=f"{title} · {seat.call.title}",
            subject=seat.call.title,
            footer=f"{title} · {seat.call.title}",
            language=language,
        )


def pack_filename(seat):
    return f"jury-{seat.call_id}-pack.pdf"
