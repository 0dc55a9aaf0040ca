"""Adding to a cohort a structure sourced outside any call (innovation lab, partner network,
event): staff find it by name or SIRET, say where it comes from, and may name its référent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accelerator.domain.accompaniments import referent_choices, set_referent
from accelerator.domain.cohorts import add_structure
from accelerator.forms.cohorts import AddStructureForm, StructureSearchForm, search_structures
from accelerator.models import Accompaniment, Cohort, Structure
from accelerator.views.refusals import show_refusal


def cohort_to_manage(request, pk):
    """The cohort `pk`, with how many structures it holds. 404 to those who may not see cohorts,
    403 to those who see it but may not change who is in it."""
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme").annotate(
            structure_count=Count("accompaniments")
        ),
        pk=pk,
    )
    if not request.user.has_perm("accelerator.see_cohort_board", cohort):
        raise Http404
    if not request.user.has_perm("accelerator.manage_cohort", cohort):
        raise PermissionDenied
    return cohort


def may_choose_referent(user, cohort):
    """Naming a référent is moving the structure's business: asked of a structure of the
    cohort that has no référent yet (managers of the programme and superusers)."""
    return user.has_perm("accelerator.move_accompaniment", Accompaniment(cohort=cohort))


def found_structures(query, cohort, chosen=None):
    """The structures the search finds, each marked when already in the cohort; the one chosen
    before a refusal stays in the list even when the search no longer finds it."""
    in_cohort = Accompaniment.objects.filter(cohort=cohort, structure=OuterRef("pk"))
    found = list(
        search_structures(query).annotate(in_cohort=Exists(in_cohort))[: StructureSearchForm.LIMIT]
    )
    if chosen is not None and chosen.pk not in {structure.pk for structure in found}:
        found.insert(
            0,
            Structure.objects.select_related("department")
            .annotate(in_cohort=Exists(in_cohort))
            .get(pk=chosen.pk),
        )
    return found


@login_required
@require_http_methods(["GET", "POST"])
def cohort_add_structure(request, pk):
    cohort = cohort_to_manage(request, pk)
    referents = None
    if may_choose_referent(request.user, cohort):
        referents = referent_choices().order_by("last_name", "first_name", "email")
    if request.method == "POST":
        search = StructureSearchForm({"q": request.POST.get("q", "")})
        form = AddStructureForm(request.POST, referents=referents)
    else:
        search = StructureSearchForm(request.GET)
        form = AddStructureForm(referents=referents)
    if request.method == "POST" and form.is_valid():
        accompaniment = _add(request, cohort, form)
        if accompaniment is not None:
            messages.success(
                request,
                _("%(structure)s joined the cohort “%(cohort)s”, in sourcing.")
                % {"structure": accompaniment.structure.name, "cohort": cohort.name},
            )
            return redirect("accelerator:cohort_board", cohort.pk)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    chosen = None
    if form.is_bound:
        chosen = getattr(form, "cleaned_data", {}).get("structure") or _chosen_before(
            request.POST.get("structure")
        )
    results = found_structures(query, cohort, chosen) if query or chosen else []
    context = {
        "cohort": cohort,
        "search": search,
        "query": query,
        "results": results,
        "more_results": len(results) >= StructureSearchForm.LIMIT,
        "chosen_pk": chosen.pk if chosen else None,
        "form": form,
        "chooses_referent": referents is not None,
    }
    return render(request, "accelerator/journey/cohort_add_structure.html", context)


def _add(request, cohort, form):
    """Ask the domain; its refusals go back on the form, what was typed stays."""
    data = form.cleaned_data
    structure = data["structure"]
    if Accompaniment.objects.filter(cohort=cohort, structure=structure).exists():
        form.add_error(
            "structure",
            _("%(structure)s is already in this cohort.") % {"structure": structure.name},
        )
        return None
    try:
        with transaction.atomic():
            accompaniment = add_structure(
                cohort,
                structure,
                data["source"],
                request.user,
                source_reference=data["source_reference"].strip(),
            )
            if data.get("referent"):
                set_referent(accompaniment, request.user, data["referent"])
    except ValidationError as refusal:
        show_refusal(request, refusal, form)
        return None
    return accompaniment


def _chosen_before(value):
    """The structure the refused form had chosen, to keep it ticked."""
    if not (value or "").isdigit():
        return None
    return Structure.objects.filter(pk=value).first()
