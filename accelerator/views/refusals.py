"""Showing a refusal of the domain (`accelerator.domain.refusals.Refused`, or a Django
`ValidationError` from a model's checks) to the person who asked: the one view helper."""

from django.contrib import messages


def show_refusal(request, refusal, form=None, field=None):
    """Put `refusal`'s messages where the person looks: on the fields of `form` it names, the
    rest next to `field` (at the top of the form when None); without a form, as error messages
    of the next page."""
    if form is None:
        for message in refusal.messages:
            messages.error(request, message)
        return
    if hasattr(refusal, "error_dict"):
        for name, errors in refusal.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
        return
    form.add_error(field, refusal.error_list)
