"""Staff record a structure's consent to the portfolio (given to them in writing) in the Wagtail
admin, change its description or withdraw it: every change goes through cms.domain.portfolio."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from cms.domain.portfolio import give_consent, withdraw_consent
from cms.forms.portfolio import PortfolioConsentForm
from cms.models import PortfolioConsent


class _GiveConsent:
    def save_instance(self):
        data = self.form.cleaned_data
        return give_consent(data["structure"], self.request.user, data["description"])

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)


class ConsentCreateView(_GiveConsent, CreateView):
    pass


class ConsentEditView(_GiveConsent, EditView):
    pass


class ConsentDeleteView(DeleteView):
    def delete_action(self):
        withdraw_consent(self.object.structure, self.request.user)


class PortfolioConsentViewSet(SnippetViewSet):
    model = PortfolioConsent
    icon = "tick-inverse"
    menu_label = _("Portfolio consents")
    add_view_class = ConsentCreateView
    edit_view_class = ConsentEditView
    delete_view_class = ConsentDeleteView
    list_display = ["structure", "consented_at", "consented_by"]
    edit_handler = ObjectList(
        [FieldPanel("structure"), FieldPanel("description")],
        base_form_class=PortfolioConsentForm,
    )
