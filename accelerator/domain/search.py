"""The staff's global search: what a typed query means (words, identifier digits), the registry of
searchers (one per kind of result, other rooms add theirs), and this room's searchers: structures,
accompaniments and people.

On PostgreSQL the words are matched by full-text search in French with accents ignored (the
`french_unaccent` configuration of migration accelerator 0011: unaccent, then the French stemmer,
so "coopératives" finds "Cooperative") and ranked; elsewhere (SQLite, the embedded run) each word
must appear, accents and case ignored, in one of the fields. Identifiers typed exactly (a SIRET, a
SIREN, a dossier's reference) always come first.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from accelerator.identifiers import SIREN_LENGTH, SIRET_LENGTH, normalise_siret
from accelerator.models import Accompaniment, Membership, Structure, User

FTS_CONFIG = "french_unaccent"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# Fewer digits than this say nothing about an identifier: "12" would match every SIRET.
MIN_IDENTIFIER_DIGITS = 3
POSTCODE_LENGTH = 5
# The SQLite functions registered on the connection for the fallback (see `prepare_connection`).
SQLITE_FOLD = "essor_fold"
SQLITE_JSON_TEXT = "essor_json_text"


def fold(text):
    """`text` without accents, in lower case: what the fallback compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _term(word):
    """A folded word with a French plural's final s or x dropped: on SQLite "coopératives" then
    finds "Coopérative" by substring (PostgreSQL's stemmer does this properly)."""
    word = fold(word)
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


@dataclass(frozen=True)
class Query:
    """A typed query, read once: its text, its words, and its digits when it is a number."""

    text: str
    words: tuple
    digits: str

    @property
    def terms(self):
        """The words as the fallback compares them (folded, plural dropped)."""
        return tuple(dict.fromkeys(_term(word) for word in self.words))

    @property
    def tsquery(self):
        """A raw tsquery: every word, each as a prefix ("hang" finds "Hangar"). Words are made of
        letters and digits only (`parse`), so none can carry a tsquery operator."""
        return " & ".join(f"{word.lower()}:*" for word in self.words)

    @property
    def tsquery_words(self):
        """The same words, whole: added to the rank, so "Vierzon" ranks above "Vierzonnais"."""
        return " & ".join(word.lower() for word in self.words)

    def __bool__(self):
        return bool(self.words or self.digits)


def parse(text):
    """The Query for what was typed; an empty Query for blanks."""
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    compact = normalise_siret(text)
    digits = compact if re.fullmatch(rf"[0-9]{{{MIN_IDENTIFIER_DIGITS},14}}", compact) else ""
    words = tuple(dict.fromkeys(re.findall(r"[^\W_]+", text)))[:MAX_WORDS]
    return Query(text=text, words=words, digits=digits)


def uses_full_text():
    return connection.vendor == "postgresql"


# --- the fallback's functions on SQLite ----------------------------------------------------------


def _sqlite_fold(value):
    return None if value is None else fold(str(value))


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _sqlite_json_text(value):
    """The string values of a JSON document, folded: JSON stores "é" as "\\u00e9" and keys are
    no part of an answer."""
    if value is None:
        return None
    try:
        document = json.loads(value)
    except (TypeError, ValueError):
        return fold(str(value))
    return fold("\n".join(_json_strings(document)))


def prepare_connection():
    """On SQLite, register the two functions the fallback calls (cheap, no query; re-registering
    replaces them). Nothing to do on PostgreSQL, whose `unaccent` comes from the migration."""
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function(SQLITE_FOLD, 1, _sqlite_fold, deterministic=True)
    raw.create_function(SQLITE_JSON_TEXT, 1, _sqlite_json_text, deterministic=True)


def folded(expression):
    """The SQL of `expression` without accents and in lower case."""
    if isinstance(expression, str):
        expression = F(expression)
    if connection.vendor == "postgresql":
        return Lower(Func(expression, function="unaccent", output_field=TextField()))
    if connection.vendor == "sqlite":
        return Func(expression, function=SQLITE_FOLD, output_field=TextField())
    return Lower(expression)


def folded_json_strings(expression):
    """The fallback's text of a JSON field: its string values, folded (SQLite only)."""
    if isinstance(expression, str):
        expression = F(expression)
    return Func(expression, function=SQLITE_JSON_TEXT, output_field=TextField())


def every_term_in(query, expressions):
    """The fallback's condition: each term of `query` appears in one of the folded `expressions`."""
    condition = Q()
    for term in query.terms:
        anywhere = Q()
        for expression in expressions:
            anywhere |= Q(Contains(expression, term))
        condition &= anywhere
    return condition


def ts_query(query, whole=False):
    text = query.tsquery_words if whole else query.tsquery
    return SearchQuery(text, search_type="raw", config=FTS_CONFIG)


def ts_rank(document, query):
    """The rank of `document`: its prefix match, plus its match of the whole words."""
    return SearchRank(document, ts_query(query)) + SearchRank(document, ts_query(query, whole=True))


def words_match(queryset, query, weighted_fields):
    """`queryset` annotated with `rank` (0 in the fallback) and the condition its rows meet when
    the query's words match `weighted_fields` ({field: weight "A".."D"})."""
    if not query.words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField())), Q(pk__in=[])
    if uses_full_text():
        vectors = [
            SearchVector(field, weight=weight, config=FTS_CONFIG)
            for field, weight in weighted_fields.items()
        ]
        document = vectors[0]
        for vector in vectors[1:]:
            document = document + vector
        tsquery = ts_query(query)
        annotated = queryset.annotate(document=document, rank=ts_rank(F("document"), query))
        return annotated, Q(document=tsquery)
    condition = every_term_in(query, [folded(field) for field in weighted_fields])
    return queryset.annotate(rank=Value(0.0, output_field=FloatField())), condition


def excerpt(texts, query, width=160):
    """The first of `texts` where a term of `query` appears (accents and case ignored), cut to
    about `width` characters around it with ellipses; "" when none does."""
    terms = [term for term in query.terms if term]
    for text in texts:
        # Where each folded character comes from: folding may change the length ("œ", "ﬁ").
        owners, pieces = [], []
        for index, char in enumerate(text):
            piece = fold(char)
            pieces.append(piece)
            owners.extend([index] * len(piece))
        folded_text = "".join(pieces)
        found = [folded_text.find(term) for term in terms]
        found = [at for at in found if at >= 0]
        if not found:
            continue
        at = owners[min(found)]
        start = max(0, at - width // 3)
        end = min(len(text), start + width)
        return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    return ""


def first_when(condition):
    """1 for the rows that meet `condition` (an exact identifier), else 0: sorted first."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Searcher:
    """One kind of result. `find(query)` returns the matches as a queryset ordered best first,
    loading what `template` shows (constant queries whatever the count); `template` renders one
    result as `item`, linking to a page every staff member may open."""

    kind: str
    label: str
    template: str
    find: object
    position: int = 100


SEARCHERS = {}


def register_searcher(searcher):
    """Other rooms add their kinds here from their AppConfig.ready() (the dossiers do), so this
    room never imports them."""
    SEARCHERS[searcher.kind] = searcher


def searchers():
    return sorted(SEARCHERS.values(), key=lambda searcher: (searcher.position, searcher.kind))


@dataclass
class Group:
    searcher: Searcher
    items: list
    count: int

    @property
    def more(self):
        return self.count - len(self.items)


def search(text, limit=10):
    """The first `limit` results of every kind, with each kind's count: two queries per kind (and
    the prefetches a kind declares), whatever the number of matches. Kinds with no match are
    left out; an empty query searches nothing."""
    query = parse(text)
    if not query:
        return query, []
    prepare_connection()
    groups = []
    for searcher in searchers():
        found = searcher.find(query)
        items = list(found[:limit])
        count = len(items) if len(items) < limit else found.count()
        if items:
            groups.append(Group(searcher=searcher, items=items, count=count))
    return query, groups


def search_kind(text, kind):
    """(query, searcher, every match of one kind as a queryset to paginate); searcher is None
    for an unknown kind."""
    query = parse(text)
    searcher = SEARCHERS.get(kind)
    if searcher is None or not query:
        return query, searcher, None
    prepare_connection()
    return query, searcher, searcher.find(query)


# --- this room's searchers -----------------------------------------------------------------------


def identifier_match(query, prefix=""):
    """(rows whose SIRET starts with the typed digits, rows whose SIRET or SIREN is them)."""
    digits = query.digits
    if not digits:
        return Q(pk__in=[]), Q(pk__in=[])
    starts = Q(**{f"{prefix}siret__startswith": digits})
    if len(digits) == SIRET_LENGTH:
        exact = Q(**{f"{prefix}siret": digits})
    elif len(digits) == SIREN_LENGTH:
        exact = starts
    else:
        exact = Q(pk__in=[])
    return starts, exact


def find_structures(query):
    structures, words = words_match(
        Structure.objects.select_related("department"), query, {"name": "A", "city": "B"}
    )
    starts, exact = identifier_match(query)
    condition = words | starts
    if len(query.digits) == POSTCODE_LENGTH:
        condition |= Q(postcode=query.digits)
    return (
        structures.filter(condition)
        .annotate(exact=first_when(exact))
        .order_by("-exact", "-rank", "name", "pk")
    )


def find_accompaniments(query):
    accompaniments, words = words_match(
        Accompaniment.objects.select_related("structure", "cohort"),
        query,
        {"structure__name": "A", "cohort__name": "B"},
    )
    starts, exact = identifier_match(query, prefix="structure__")
    return (
        accompaniments.filter(words | starts)
        .annotate(exact=first_when(exact))
        .order_by("-exact", "-rank", "structure__name", "-cohort__year", "pk")
    )


def find_people(query):
    """People by name or e-mail, each with the structures they belong to (one prefetch). Names
    and addresses are not prose: matched as folded substrings on every database."""
    fields = ["first_name", "last_name", "email"]
    condition = every_term_in(query, [folded(field) for field in fields]) if query.words else None
    if condition is None:
        return User.objects.none()
    memberships = Membership.objects.select_related("structure").order_by("structure__name")
    return (
        User.objects.filter(condition)
        .annotate(exact=first_when(Q(email__iexact=query.text)))
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("-exact", "last_name", "first_name", "email", "pk")
    )


register_searcher(
    Searcher(
        "structures", _("Structures"), "accelerator/search/_structure.html", find_structures, 10
    )
)
register_searcher(
    Searcher(
        "accompaniments",
        _("Accompaniments"),
        "accelerator/search/_accompaniment.html",
        find_accompaniments,
        30,
    )
)
register_searcher(
    Searcher("people", _("People"), "accelerator/search/_person.html", find_people, 40)
)
