"""The one shape of a refusal by the domain: messages for the user, optionally tied to fields.

Every business rule that says no raises `Refused` (or a subclass that a caller must tell apart,
such as a save conflict). It is a Django `ValidationError`, so its messages are read the same way
everywhere: `refusal.messages` (all of them, translated), and, when it was built from a mapping
of field names to messages, `refusal.message_dict`. Views never pick it apart case by case:
`accelerator.views.refusals.show_refusal` puts it on a form or in the page's messages.
"""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A rule of the domain refuses what was asked; nothing was changed.

    `Refused(_("…"))`, `Refused([_("…"), _("…")])` or `Refused({"field": _("…")})`: the
    messages are in the user's language; a mapping ties each to the form field it concerns
    (`None` for the form as a whole).
    """
