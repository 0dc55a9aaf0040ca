"""Showing a refusal of the domain (`accelerator.domain.refusals.Refused`, or a Django
`ValidationError` from a model's checks) to the person who asked: the one view helper."""

from django.contrib import messages


def show_refusal(request, refusal, form=None):
    """Put `refusal`'s messages where the person looks: on the fields of `form` it names, the
    rest at the top of the form; without a form, as error messages of the next page."""
    if form is None:
        for message in refusal.messages:
            messages.error(request, message)
        return
    if hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
        return
    form.add_error(None, refusal.error_list)
