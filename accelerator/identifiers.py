"""French identifiers of structures: SIREN, SIRET and RNA, checked with python-stdnum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren, siret

RNA_PATTERN = re.compile(r"^W\d{9}$")


def normalise_siret(value):
    """Digits only: users paste SIRETs with spaces or dots."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siren_or_siret(value):
    value = normalise_siret(value)
    if not value.isdigit():
        raise ValidationError(_("A SIREN or SIRET contains digits only."), code="digits")
    # python-stdnum checks the Luhn key and knows La Poste's SIRETs, which do not follow it.
    try:
        if len(value) == 9:
            siren.validate(value)
        elif len(value) == 14:
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
    if value and not RNA_PATTERN.match(value.upper()):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits, for example W451234567."),
            code="rna",
        )
