"""Display conditions written the former way: a question had a `key`, and another question was
shown if "the question with this key" had "this answer" (`show_if_key`, `show_if_value`, the
answer as typed). `upgrade_conditions` turns them into today's condition (`show_if_question`: a
block id, `show_if_operator`, `show_if_answers`: choice keys or "yes"/"no"), so that a revision or
a submitted snapshot written the former way keeps working and the editor shows the condition."""

from applications.questions.base import Question
from applications.questions.choices import key_for
from applications.questions.yes_no import yes_no_word

LEGACY_FIELDS = ("key", "show_if_key", "show_if_value")


def _value(block):
    value = block.get("value") if isinstance(block, dict) else None
    return value if isinstance(value, dict) else None


def _legacy_answer(source, typed):
    """The typed answer of a legacy condition as the key today's condition stores."""
    typed = str(typed or "").strip()
    if source is None:
        return typed
    question = Question(
        id=str(source.get("id") or ""), type=source.get("type"), value=_value(source)
    )
    if question.type == "yes_no":
        return yes_no_word(typed) or typed
    if question.type in ("single_choice", "multiple_choice"):
        return key_for(question, typed) or typed
    return typed


def upgrade_conditions(raw_stream):
    """A copy of the raw blocks of a form with every legacy condition upgraded and the legacy
    fields removed. A block a legacy condition names and that has no id yet is given one (as the
    Wagtail admin would when saving). A key no question has is kept as the question's id: the
    question then stays hidden, and the form builder says the condition is broken."""
    blocks = list(raw_stream or [])
    if not any(any(name in (_value(b) or {}) for name in LEGACY_FIELDS) for b in blocks):
        return blocks
    # Keys are unique in a valid form; a later duplicate never named a condition's source.
    ids, sources = {}, {}
    for block in blocks:
        key = str((_value(block) or {}).get("key") or "").strip()
        if key and key not in ids:
            ids[key] = str(block.get("id") or f"key-{key}")
            sources[key] = block
    upgraded = []
    for block in blocks:
        value = _value(block)
        if value is None:
            upgraded.append(block)
            continue
        value = dict(value)
        own_key = str(value.pop("key", "") or "").strip()
        legacy_key = str(value.pop("show_if_key", "") or "").strip()
        legacy_answer = value.pop("show_if_value", "")
        if legacy_key and not value.get("show_if_question"):
            source = sources.get(legacy_key)
            if source is not None and not source.get("id"):
                source = {**source, "id": ids[legacy_key]}
            value["show_if_question"] = ids.get(legacy_key, legacy_key)
            value["show_if_operator"] = "is"
            value["show_if_answers"] = _legacy_answer(source, legacy_answer)
        named = own_key and not block.get("id") and sources.get(own_key) is block
        block = {**block, "value": value}
        if named:
            block["id"] = ids[own_key]
        upgraded.append(block)
    return upgraded
