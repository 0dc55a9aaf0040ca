"""Helpers shared by the staff-side tests: dossiers moved through the domain, query counting."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.domain.dossiers import change_state
from tests import factories


def submitted_dossier(call, structure=None, **fields):
    """A dossier submitted by an editor of its structure, through the domain."""
    structure = structure or factories.StructureFactory()
    editor = factories.MembershipFactory(structure=structure, role="editor").user
    dossier = factories.make_dossier(call=call, structure=structure, created_by=editor, **fields)
    return change_state(dossier, "submit", editor)


def count_queries(action):
    """Run `action` and return (its result, the number of SQL queries it ran)."""
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, len(queries)
