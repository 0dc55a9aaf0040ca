"""Draw the state machines from the code itself (django-fsm-2's transition metadata) as Mermaid."""

from django_fsm import GET_STATE, RETURN_VALUE


def _targets(transition):
    target = transition.target
    if isinstance(target, (RETURN_VALUE, GET_STATE)):
        # A computed target (resume to the stage left): every state it may return.
        return list(target.allowed_states or [])
    return [target]


def mermaid(model, field_name):
    """A Mermaid state diagram of `model.field_name`'s transitions, sorted so it is stable."""
    field = model._meta.get_field(field_name)
    edges = set()
    for transition in field.get_all_transitions(model):
        for target in _targets(transition):
            edges.add((str(transition.source), str(target), transition.name))
    lines = ["stateDiagram-v2", f"    [*] --> {field.get_default()}"]
    lines += [f"    {source} --> {target}: {name}" for source, target, name in sorted(edges)]
    return "\n".join(lines)


def document():
    """docs/state-machines.md: every machine (`manage.py draw_state_machines` writes it)."""
    from accelerator.models import Accompaniment, ImpactReport, RegulatoryObstacle
    from applications.models import Dossier
    from cms.models import Actor, AgendaEntry

    parts = [
        "# State machines",
        "",
        "Generated from the code by `python manage.py draw_state_machines`; a test fails when this",
        "page no longer matches the transitions in the models. Do not edit by hand.",
        "",
        "## Dossier (`applications.models.Dossier.state`)",
        "",
        "```mermaid",
        mermaid(Dossier, "state"),
        "```",
        "",
        "## Accompaniment journey (`accelerator.models.Accompaniment.stage`)",
        "",
        "```mermaid",
        mermaid(Accompaniment, "stage"),
        "```",
        "",
        "## Regulatory obstacle (`accelerator.models.RegulatoryObstacle.state`)",
        "",
        "```mermaid",
        mermaid(RegulatoryObstacle, "state"),
        "```",
        "",
        "## Impact report (`accelerator.models.ImpactReport.state`)",
        "",
        "```mermaid",
        mermaid(ImpactReport, "state"),
        "```",
        "",
        "## Agenda entry moderation (`cms.models.AgendaEntry.state`)",
        "",
        "```mermaid",
        mermaid(AgendaEntry, "state"),
        "```",
        "",
        "## Actor's directory entry moderation (`cms.models.Actor.state`)",
        "",
        "```mermaid",
        mermaid(Actor, "state"),
        "```",
        "",
    ]
    return "\n".join(parts)
