"""The error pattern of the State's design system (DSFR) and RGAA, shared by every form page:
`{% error_title form %}` prefixes the page title with "Error: " after a refused submit, and
`{% error_summary form other_form %}` shows the summary at the top (count, one link per error,
focus moved to it on load by static/js/error-summary.js). Forms, formsets and None (a form the
page does not have) may be passed alike."""

from django import forms as django_forms
from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _refused(objects):
    """The bound forms and formsets among `objects` that have errors."""
    refused = []
    for obj in objects:
        # A page may pass the same form twice (as itself and as "the form just sent").
        if not getattr(obj, "is_bound", False) or any(obj is seen for seen in refused):
            continue
        if isinstance(obj, django_forms.BaseFormSet):
            if not obj.is_valid():
                refused.append(obj)
        elif getattr(obj, "errors", None):
            refused.append(obj)
    return refused


def field_anchor(bound):
    """The id of the element a summary link to `bound` moves to: its input; the first input of
    a group drawn in a fieldset (radios, checkboxes, a date and a time); None for a hidden input,
    which nobody can reach."""
    if bound.is_hidden or not bound.auto_id:
        return None
    if bound.use_fieldset or isinstance(bound.field.widget, django_forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _label(form, name):
    # Some forms name their fields better than the label shown beside the input (a figure of a
    # report: "Indicator — value").
    if hasattr(form, "field_label"):
        return form.field_label(name)
    return form[name].label


def _form_items(form, anchor):
    items = [(anchor, str(error)) for error in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        target = field_anchor(form[name])
        for error in form.errors[name]:
            text = _("%(label)s: %(error)s") % {"label": _label(form, name), "error": error}
            items.append((target, text))
    # Errors a form adds for names it does not show (rare): no field to go to.
    for name, errors in form.errors.items():
        if name != "__all__" and name not in form.fields:
            items.extend((anchor, str(error)) for error in errors)
    return items


def summary_items(*forms, anchors=None):
    """[(anchor, text)] for every error of the refused forms and formsets, in their fields'
    order. `anchors` ({form or formset: id}) says where the errors that name no field are shown
    on the page; without one they are listed as text, with no link."""
    anchors = anchors or {}
    items = []
    for obj in _refused(forms):
        anchor = anchors.get(obj)
        if isinstance(obj, django_forms.BaseFormSet):
            items.extend((anchor, str(error)) for error in obj.non_form_errors())
            for form in obj.forms:
                if form.errors:
                    items.extend(_form_items(form, anchors.get(form, anchor)))
        else:
            items.extend(_form_items(obj, anchor))
    return items


@register.simple_tag
def error_title(*forms, items=None):
    """ "Error: " before the page's title when one of `forms` was refused (RGAA 11.10), or when
    the page gathered its own `items`; nothing otherwise, with or without a form."""
    if items or _refused(forms):
        # The catalogue's "Error:" carries the French space before the colon ("Erreur :").
        return _("Error:") + " "
    return ""


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, items=None):
    """The summary box; `items` lets a page that gathers its own errors pass [(anchor, text)]."""
    return {"items": items if items is not None else summary_items(*forms)}
