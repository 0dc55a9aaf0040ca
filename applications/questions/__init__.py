"""The kinds of question a call's form may ask, one class each, registered by their block name.

Adding a kind: write its module (block, field, parsing, checks, display, export, PDF, carry) and
add its line here; the form builder, the dossier form and every reader of answers then know it.
"""

from applications.questions.base import (  # noqa: F401 (the names callers import from here)
    Choice,
    Condition,
    Question,
    QuestionKind,
    UnknownKind,
)
from applications.questions.choices import MultipleChoiceKind, SingleChoiceKind
from applications.questions.dates import DateKind
from applications.questions.files import FileKind
from applications.questions.numbers import MoneyKind, NumberKind
from applications.questions.partners import PartnersKind
from applications.questions.section import SectionKind
from applications.questions.text import LongTextKind, ShortTextKind
from applications.questions.yes_no import YesNoKind

# In the order the form builder offers them.
KINDS = {
    kind.name: kind
    for kind in (
        SectionKind(),
        ShortTextKind(),
        LongTextKind(),
        NumberKind(),
        MoneyKind(),
        DateKind(),
        YesNoKind(),
        SingleChoiceKind(),
        MultipleChoiceKind(),
        FileKind(),
        PartnersKind(),
    )
}


def kind_of(type_name):
    """The kind registered as `type_name`; a read-only fallback showing str() for others."""
    kind = KINDS.get(type_name)
    return kind if kind is not None else UnknownKind(str(type_name))
