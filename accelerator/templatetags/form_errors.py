"""The error pattern of the State's design system (DSFR) and RGAA, shared by every form page:
`{% error_title form %}` prefixes the page title with "Error: " after a refused submit, and
`{% error_summary form other_form %}` shows the summary at the top (count, one link per error,
focus moved to it on load)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Widgets drawn as a group of inputs: the summary's link goes to the first one, which has the
# focus a click on the link should give.
GROUPED = {"radioselect", "checkboxselectmultiple"}


def _refused(forms):
    return [form for form in forms if form is not None and getattr(form, "is_bound", False) and form.errors]


def field_anchor(form, name):
    """The id of the element a summary link to field `name` moves to."""
    bound = form[name]
    if bound.widget_type in GROUPED:
        return f"{bound.auto_id}_0"
    return bound.auto_id or "error-summary"


def summary_items(*forms):
    """[(anchor, text)] for every error of the refused forms, in the forms' field order."""
    items = []
    for form in _refused(forms):
        for error in form.non_field_errors():
            items.append(("error-summary", str(error)))
        for name in form.fields:
            if name not in form.errors:
                continue
            label = form[name].label or name
            for error in form.errors[name]:
                items.append(
                    (field_anchor(form, name), _("%(label)s: %(error)s") % {"label": label, "error": error})
                )
        # Errors a form adds for names it does not show (rare): link to the summary itself.
        for name, errors in form.errors.items():
            if name != "__all__" and name not in form.fields:
                items.extend(("error-summary", str(error)) for error in errors)
    return items


@register.simple_tag
def error_title(*forms):
    """"Error: " before the page's title when one of `forms` was refused (RGAA 11.10)."""
    return _("Error: ") if _refused(forms) else ""


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, items=None):
    """The summary box; `items` lets a page that gathers its own errors pass [(anchor, text)]."""
    return {"items": items if items is not None else summary_items(*forms)}
