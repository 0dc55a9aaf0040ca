import pytest
from django.core.exceptions import ValidationError

from accelerator.identifiers import (
    normalise_rna,
    normalise_siret,
    validate_rna,
    validate_siren_or_siret,
)
from tests.factories import valid_siret


def _error_code(value):
    with pytest.raises(ValidationError) as caught:
        validate_siren_or_siret(value)
    return caught.value.code


def test_a_siret_and_its_siren_with_correct_luhn_keys_are_valid():
    siret = valid_siret(5)
    validate_siren_or_siret(siret)
    validate_siren_or_siret(siret[:9])


def test_a_wrong_luhn_key_is_refused_as_a_typing_error():
    siret = valid_siret(5)
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    assert _error_code(wrong) == "checksum"
    assert _error_code(siret[:8] + str((int(siret[8]) + 1) % 10)) == "checksum"


@pytest.mark.parametrize("value", ["12345678", "1234567890", "1234567890123", "123456789012345"])
def test_only_9_or_14_digits_are_accepted(value):
    assert _error_code(value) == "length"


def test_letters_are_refused():
    assert _error_code("73282932A00074") == "digits"


def test_spaces_and_dots_are_ignored():
    assert normalise_siret(" 732 829 320.00074 ") == "73282932000074"
    validate_siren_or_siret("732 829 320 00074")


def test_la_poste_head_office_siret_is_valid():
    validate_siren_or_siret("35600000000048")
    validate_siren_or_siret("356000000")


def test_la_poste_establishments_are_valid_though_they_fail_luhn():
    from stdnum import luhn

    # La Poste's establishments (SIREN 356000000) follow "sum of digits multiple of 5", not Luhn.
    assert not luhn.is_valid("35600000000001")
    validate_siren_or_siret("35600000000001")
    assert _error_code("35600000000002") == "checksum"


@pytest.mark.parametrize("value", ["", "W451234567", "w451234567"])
def test_valid_rna_numbers(value):
    validate_rna(value)


@pytest.mark.parametrize("value", ["451234567", "W45123456", "W4512345678", "X451234567"])
def test_invalid_rna_numbers(value):
    with pytest.raises(ValidationError):
        validate_rna(value)


def fullwidth(digits):
    """The same number typed with a Japanese or Chinese keyboard: “７３２…”."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in digits)


def test_non_ascii_digits_are_stored_as_ascii_digits():
    siret = valid_siret(5)
    assert normalise_siret(fullwidth(siret)) == siret
    assert normalise_siret(
        fullwidth(f"{siret[:3]} {siret[3:6]}.{siret[6:9]}\u00a0{siret[9:]}")
    ) == (siret)
    # Arabic-Indic digits are no compatibility characters: NFKC keeps them, we do not.
    arabic = "".join(chr(0x0660 + int(ch)) for ch in siret)
    assert normalise_siret(arabic) == siret
    validate_siren_or_siret(fullwidth(siret))


def test_digits_that_are_no_decimal_digits_are_refused():
    # A Kharosthi “1” is a digit to str.isdigit() but no decimal digit, and NFKC keeps it.
    assert _error_code("7328293200\U00010a4074") == "digits"


def test_rna_numbers_are_stored_upper_case_with_ascii_digits():
    assert normalise_rna(" w 451 234 567 ") == "W451234567"
    assert normalise_rna(fullwidth("w451234567")) == "W451234567"
    validate_rna(fullwidth("W451234567"))
    with pytest.raises(ValidationError):
        validate_rna("W45123456\U00010a40")
