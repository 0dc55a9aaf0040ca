"""French identifiers of structures: SIREN, SIRET and RNA, checked with python-stdnum and kept in
one compact form (`normalise_siret`, `normalise_rna`) by forms, the domain and the admin alike."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren, siret

RNA_PATTERN = re.compile(r"^W[0-9]{9}$")
SIREN_LENGTH = 9
SIRET_LENGTH = 14


def _ascii_digits(value):
    """NFKC first (full-width “７” becomes “7”, a no-break space a space), then any other decimal
    digit (Arabic-Indic, Devanagari…) as its ASCII digit: the same number, however it was typed."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in value
    )


def normalise_siret(value):
    """The stored form of a SIREN or SIRET: ASCII digits, without the spaces, dots and dashes
    people paste (python-stdnum's compact form). Stored, compared and searched only this way, so
    one structure per SIRET holds however the number was typed."""
    return siret.compact(re.sub(r"[\s\-]", "", _ascii_digits(value)))


def normalise_rna(value):
    """The stored form of an RNA number: “w 451 234 567” and “Ｗ４５１…” become “W451234567”."""
    return re.sub(r"[\s.\-]", "", _ascii_digits(value)).upper()


def siren_of(value):
    """The SIREN (the legal unit) a SIREN or SIRET belongs to: its first 9 digits."""
    return normalise_siret(value)[:SIREN_LENGTH]


def validate_siren_or_siret(value):
    value = normalise_siret(value)
    # str.isdigit() also says yes to “²” and other digits that are no part of a SIRET.
    if not re.fullmatch(r"[0-9]+", value):
        raise ValidationError(_("A SIREN or SIRET contains digits only."), code="digits")
    # python-stdnum checks the Luhn key and knows La Poste's SIRETs, which do not follow it.
    try:
        if len(value) == SIREN_LENGTH:
            siren.validate(value)
        elif len(value) == SIRET_LENGTH:
            siret.validate(value)
        else:
            raise ValidationError(
                _("A SIREN has 9 digits and a SIRET 14; this number has %(count)d."),
                params={"count": len(value)},
                code="length",
            )
    except stdnum_errors.InvalidChecksum as error:
        raise ValidationError(
            _("This number's check digit is wrong: please check it for a typing error."),
            code="checksum",
        ) from error
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_("This is not a valid SIREN or SIRET."), code="invalid") from error


def validate_rna(value):
    if value and not RNA_PATTERN.match(normalise_rna(value)):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits, for example W451234567."),
            code="rna",
        )
