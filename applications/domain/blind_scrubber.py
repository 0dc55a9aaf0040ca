"""Hiding what identifies an applicant in a text, for blind review.

Rules:
- matching folds accents, case and separators (hyphens, apostrophes, punctuation, spaces), so
  "Helene", "HÉLÈNE" and "hé-lène" are one name; replacements land on the original characters;
- it hides the structure's name (and its distinctive words), SIREN/SIRET, RNA, website, the
  members' names and e-mail addresses and domains, the commune, postcode and address, the
  partners, and the extra terms staff add to a dossier after a juror reported a leak;
- common words ("association", "de", "la") and amounts ("45 000 €") are left alone.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

# --- folding text for matching ------------------------------------------------------------

# A word: letters or digits, with the accents typed as separate marks, soft hyphens and zero-width
# characters inside it. Anything else (spaces, hyphens, apostrophes, punctuation) separates words.
_WORD = re.compile(
    r"(?:[^\W_][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u00ad\u200b-\u200d\u2060]*)+"
)
# Ligatures that Unicode does not decompose, but that people type either way ("cœur", "coeur").
_LIGATURES = {"œ": "oe", "æ": "ae"}


def fold_word(word):
    """A word without accents, in lower case: "Hélène" and "HELENE" both give "helene"."""
    if word.isascii():
        return word.lower()
    # Words repeat through a text: remember the usual ones, not a freak of a thousand letters.
    return _fold_cached(word) if len(word) <= 40 else _fold(word)


@lru_cache(maxsize=20_000)
def _fold_cached(word):
    return _fold(word)


def _fold(word):
    decomposed = unicodedata.normalize("NFKD", word)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(_LIGATURES.get(c, c) for c in letters if c.isalnum() or c in _LIGATURES)


def words_of(text):
    """The words of `text`, folded, each with where it starts and ends in `text`."""
    found = []
    for match in _WORD.finditer(text):
        folded = fold_word(match.group())
        if folded:
            found.append((folded, match.start(), match.end()))
    return found


def fold(text):
    """`text` as the scrubber compares it: "L'Atelier-Soleil" gives "l atelier soleil"."""
    return " ".join(word for word, _start, _end in words_of(text or ""))


# --- what identifies an applicant -----------------------------------------------------------


def _word_set(text):
    return frozenset(text.split())


# Little words never hidden on their own, even as a person's name ("Le", "Da").
FUNCTION_WORDS = _word_set(
    "le la les de du des d l un une et en au aux a y pour par sur sous avec dans sans chez "
    "entre vers"
)
# Words too common in structures' names to be hidden on their own: "Association des Jardins de
# Loire" hides its whole name, and "Loire", but not "association" or "jardins".
COMMON_WORDS = FUNCTION_WORDS | _word_set(
    """
    association associations asso assos collectif collective cooperative cooperatives coop scop
    scic sas sasu sarl sa eurl gie esus ess fondation federation union comite club groupe
    groupement reseau reseaux maison maisons centre centres atelier ateliers entreprise
    entreprises agence bureau service services insertion emploi emplois solidaire solidaires
    solidarite social sociale sociaux sociales economie economique projet projets france
    territoire territoires territorial territoriale tiers lieu lieux ferme fermes jardin jardins
    cafe culture culturel culturelle habitat habitants citoyen citoyenne citoyens accueil amis
    initiative initiatives action actions active actif avenir ensemble local locale locaux
    regional regionale departemental departementale formation education sante aide environnement
    developpement durable recyclerie ressourcerie epicerie mobilite numerique energie alimentation
    saint sainte nouvelle nouveau grand grande petit petite vert verte contact info
    """
)
# Hosts that say nothing of who uses them.
SHARED_DOMAINS = _word_set(
    """
    gmail googlemail yahoo hotmail outlook live msn orange wanadoo free sfr neuf laposte icloud me
    aol protonmail proton gmx bbox numericable example wordpress wixsite wix blogspot over-blog
    overblog jimdo helloasso facebook linkedin instagram google sites
    """
)
# "asso.fr", "gouv.fr", "co.uk": suffixes under which a structure registers its own name.
SECOND_LEVEL_DOMAINS = _word_set("asso gouv co com org net nom presse tm")
MIN_WORD = 4  # letters of a name's word hidden on its own
MIN_NAME = 3  # letters of a person's first or last name, of a commune


@dataclass(frozen=True)
class Term:
    """One thing to hide: `text` is folded ("atelier soleil"), or a number's characters run
    together ("w451234567") that match in any spacing when `number`; `kind` names its marker."""

    text: str
    kind: str
    number: bool = False


def _phrase(text, kind, minimum=2, stop=FUNCTION_WORDS):
    folded = fold(text)
    if len(folded.replace(" ", "")) < minimum or folded in stop:
        return []
    return [Term(folded, kind)]


def _digits(text, kind):
    """A number in any spacing or punctuation ("123 456 789", "123.456.789", "W45-123")."""
    folded = fold(text).replace(" ", "")
    if len(folded) < 5:
        return []
    return [Term(folded, kind, number=True)]


def _words(text, kind, minimum=MIN_WORD, stop=COMMON_WORDS):
    """The distinctive words of a name, each alone; an acronym in capitals counts however short."""
    terms = []
    for word in re.split(r"[\W_]+", text or ""):
        folded = fold(word)
        if not folded or folded in stop:
            continue
        acronym = len(word) >= 3 and word.isupper() and word.isalpha()
        if len(folded) >= minimum or acronym:
            terms += _phrase(word, kind)
    return terms


def _name(text, kind):
    """A name as a whole; each run of its words that holds a distinctive one ("Atelier Soleil" in
    "Association Atelier Soleil"), also glued ("ateliersoleil", as in addresses); and its
    distinctive words alone."""
    terms = _phrase(text, kind, minimum=3)
    singles = _words(text, kind)
    distinctive = {term.text for term in singles}
    words = fold(text).split()[:12]
    for first in range(len(words)):
        for last in range(first + 1, len(words)):
            run = words[first : last + 1]
            if run[0] in FUNCTION_WORDS or run[-1] in FUNCTION_WORDS:
                continue
            if any(word in distinctive for word in run):
                terms += _phrase(" ".join(run), kind)
                if len("".join(run)) >= 6:
                    terms += _phrase("".join(run), kind)
    return terms + singles


def _host(address):
    """The host of a website or e-mail address, without "www."."""
    address = (address or "").strip()
    if "@" in address and "/" not in address:
        host = address.rsplit("@", 1)[1]
    else:
        host = urlsplit(address if "//" in address else f"//{address}").hostname or ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _domain(address, kind):
    """A site's or an e-mail's domain, with or without www and scheme, and its own labels
    ("atelier-soleil" in "atelier-soleil.fr"), unless the host is shared by everyone."""
    host = _host(address)
    labels = host.split(".")
    if len(labels) < 2 or any(label in SHARED_DOMAINS for label in labels[:-1]):
        return []
    terms = []
    for prefix in ("", "www ", "http www ", "https www ", "http ", "https "):
        terms += _phrase(prefix + host, kind)
    # The name the structure chose: "atelier-soleil" in "contact.atelier-soleil.asso.fr".
    chosen = [label for label in labels[:-1] if label not in SECOND_LEVEL_DOMAINS]
    if chosen:
        label = chosen[-1]
        terms += _phrase(label, kind, minimum=MIN_WORD) if "-" in label else _words(label, kind)
    return terms


def _person(user):
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    terms = []
    if first and last:
        terms += _phrase(f"{first} {last}", "member")
        terms += _phrase(f"{last} {first}", "member")
    for part in (first, last):
        terms += _phrase(part, "member", minimum=MIN_NAME)
        # "Jean-Pierre", "Dupont-Moretti": each half names the person too.
        terms += _words(part, "member", minimum=MIN_NAME, stop=FUNCTION_WORDS)
    if user.email:
        terms += _phrase(user.email, "member")
        terms += _domain(user.email, "member")
    return terms


def identity_terms(dossier, members=(), partners=()):
    """Everything that identifies `dossier`'s applicant, as terms for `scrubber`."""
    structure = dossier.structure
    terms = _name(structure.name, "structure")
    terms += _digits(structure.siret, "structure")
    terms += _digits((structure.siret or "")[:9], "structure")
    terms += _digits(structure.rna, "structure")
    terms += _domain(structure.website, "structure")
    terms += _phrase(structure.city, "place", minimum=MIN_NAME)
    # The postcode as written, five digits together: "45 000 €" is an amount, not a place.
    if re.fullmatch(r"\d{5}", structure.postcode or ""):
        terms.append(Term(structure.postcode, "place"))
    for line in (structure.address or "").splitlines():
        terms += _phrase(line, "place", minimum=6)
    for user in members:
        terms += _person(user)
    for row in partners:
        terms += _phrase(str(row.get("name") or ""), "partner", minimum=3)
        siret = str(row.get("siret") or "")
        terms += _digits(siret, "partner") + _digits(siret[:9], "partner")
    for extra in dossier.blind_terms or []:
        terms += _phrase(str(extra), "hidden")
    return terms


def _labels():
    return {
        "structure": _("[structure]"),
        "member": _("[member]"),
        "partner": _("[partner]"),
        "place": _("[place]"),
        "hidden": _("[hidden]"),
    }


def scrubber(terms):
    """A function replacing each of `terms` in a text by its marker ("[structure]"...).

    The text is cut into folded words once; at each word, the terms starting with it are looked
    up in a dictionary, longest first, and a number may run over several groups of digits
    ("123 456 789"). No regular expression is built from the terms, so nothing can backtrack:
    the time grows with the text's length only."""
    markers = _labels()
    phrases = {}  # first word -> [(words, marker)], longest first
    numbers = {}  # a number's characters -> marker
    for term in terms:
        if term.number:
            numbers.setdefault(term.text, markers[term.kind])
        elif term.text:
            words = tuple(term.text.split())
            phrases.setdefault(words[0], {}).setdefault(words, markers[term.kind])
    if not phrases and not numbers:
        return lambda text: text
    starts = {
        first: sorted(found.items(), key=lambda item: (-len(item[0]), -len("".join(item[0]))))
        for first, found in phrases.items()
    }
    prefixes = {number[:n] for number in numbers for n in range(1, len(number) + 1)}

    def longest_number(words, i):
        """How many words from `i` spell one of `numbers`, and its marker (0 when none)."""
        best, spelt, j = (0, None), "", i
        while j < len(words) and (j == i or words[j][0].isdigit()):
            spelt += words[j][0]
            if spelt not in prefixes:
                break
            j += 1
            if spelt in numbers:
                best = (j - i, numbers[spelt])
        return best

    def scrub(text):
        if not isinstance(text, str) or not text:
            return text
        words = words_of(text)
        pieces, done, i = [], 0, 0
        while i < len(words):
            word = words[i][0]
            length, marker = longest_number(words, i) if word in prefixes else (0, None)
            for candidate, candidate_marker in starts.get(word, ()):
                if len(candidate) <= length:
                    break
                if tuple(word for word, _s, _e in words[i : i + len(candidate)]) == candidate:
                    length, marker = len(candidate), candidate_marker
                    break
            if not length:
                i += 1
                continue
            pieces += [text[done : words[i][1]], marker]
            done = words[i + length - 1][2]
            i += length
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    return scrub


def identity_scrubber(dossier, members=(), partners=()):
    """A function hiding, in a text, what identifies `dossier`'s applicant (see the module)."""
    return scrubber(identity_terms(dossier, members, partners))


def clean_blind_terms(lines):
    """The extra terms typed by staff, one per line: trimmed, without blanks or repeats."""
    terms, seen = [], set()
    for line in lines:
        term = " ".join(str(line).split())[:200]
        if term and fold(term) and fold(term) not in seen:
            seen.add(fold(term))
            terms.append(term)
    return terms
