"""The dossiers in the staff's global search (registered from ApplicationsConfig.ready()): found
by their reference and by their answers, the project's title among them.

Staff read every dossier, drafts included, on the staff dossier page; blind review hides the
applicant from jurors only, so nothing is withheld here. On PostgreSQL the answers are matched by
full-text search (`jsonb_to_tsvector` over the string answers only, so the questions' ids and the
choices' keys never match), through the GIN index of migration applications 0007.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import F, FloatField, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from accelerator.domain.search import (
    Searcher,
    every_term_in,
    excerpt,
    first_when,
    folded_json_strings,
    ts_query,
    ts_rank,
    uses_full_text,
)
from applications.domain.form_definition import form_definition, questions
from applications.models import Dossier

# A reference is one word: a query with spaces is not one.
MIN_REFERENCE_LENGTH = 2


class AnswerVector(Func):
    """The words of a dossier's string answers, in `french_unaccent`. Written exactly as the
    expression of the index (migration applications 0007), so PostgreSQL uses the index."""

    function = "jsonb_to_tsvector"
    template = "%(function)s('french_unaccent'::regconfig, %(expressions)s, '[\"string\"]'::jsonb)"
    output_field = SearchVectorField()


def find_dossiers(query):
    dossiers = Dossier.objects.select_related("structure", "call")
    is_reference = " " not in query.text and len(query.text) >= MIN_REFERENCE_LENGTH
    condition = Q(reference__icontains=query.text) if is_reference else Q(pk__in=[])
    if not query.words:
        dossiers = dossiers.annotate(rank=Value(0.0, output_field=FloatField()))
    elif uses_full_text():
        tsquery = ts_query(query)
        # In a subquery, so that the index finds the matching rows; ranked only those.
        matching = Dossier.objects.annotate(document=AnswerVector(F("answers")))
        condition |= Q(pk__in=matching.filter(document=tsquery).values("pk"))
        dossiers = dossiers.annotate(rank=ts_rank(AnswerVector(F("answers")), query))
    else:
        condition |= every_term_in(query, [folded_json_strings("answers")])
        dossiers = dossiers.annotate(rank=Value(0.0, output_field=FloatField()))
    exact = Q(reference__iexact=query.text) if is_reference else Q(pk__in=[])
    return (
        dossiers.filter(condition)
        .annotate(exact=first_when(exact))
        .order_by("-exact", "-rank", "-created_at", "pk")
    )


def _string_answers(dossier):
    """The dossier's text answers in the order of its form, then any left from a former form."""
    answers = dossier.answers or {}
    ordered = []
    for question in questions(form_definition(dossier)):
        value = answers.get(question.id)
        if isinstance(value, str) and value.strip():
            ordered.append((question, value.strip()))
    return ordered


def project_title(dossier):
    """The answer to the form's first short-text question: the project's name in every call."""
    for question, value in _string_answers(dossier):
        if question.type == "short_text":
            return value
    return ""


def decorate(dossier, query):
    """What the result shows besides the dossier's own fields: its title and the answer that
    matched (computed from the rows already loaded: no query)."""
    dossier.project_title = project_title(dossier)
    texts = [value for _question, value in _string_answers(dossier)]
    dossier.excerpt = excerpt([t for t in texts if t != dossier.project_title], query)
    return dossier


class DossierResults:
    """The matches, each decorated as it is read (a page or the first few): sliced, counted and
    iterated like the queryset it wraps, so the paginator and the grouped page both take it."""

    def __init__(self, queryset, query):
        self.queryset, self.query = queryset, query

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        rows = self.queryset[key]
        if isinstance(key, slice):
            return [decorate(dossier, self.query) for dossier in rows]
        return decorate(rows, self.query)


def find(query):
    return DossierResults(find_dossiers(query), query)


DOSSIERS = Searcher(
    "dossiers", _("Dossiers"), "applications/search/_dossier.html", find, position=20
)
