"""The notification preferences form: one choice per topic a person sees, essential ones fixed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workers.models import Delivery

FIELD_PREFIX = "topic_"
ESSENTIAL_HELP = _(
    "Always on, by e-mail as they come: these reminders are about your own deadlines."
)


class PreferencesForm(forms.Form):
    """One radio group per topic of `topics` (from `preferences.topics_for`). An essential topic's
    group is disabled: Django then ignores what is posted for it and keeps "as they come"."""

    def __init__(self, *args, topics, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {}
        for topic in topics:
            name = f"{FIELD_PREFIX}{topic.name}"
            self.topics[name] = topic
            self.fields[name] = forms.ChoiceField(
                label=topic.label,
                help_text=ESSENTIAL_HELP if topic.essential else topic.help_text,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=Delivery.IMMEDIATE
                if topic.essential
                else choices.get(topic.name, Delivery.IMMEDIATE),
                disabled=topic.essential,
                error_messages={
                    "required": _("Choose how you receive these reminders."),
                    "invalid_choice": _("Choose how you receive these reminders."),
                },
            )

    def chosen(self):
        """{topic name: Delivery} for the topics a person may change."""
        return {
            topic.name: self.cleaned_data[name]
            for name, topic in self.topics.items()
            if not topic.essential
        }
