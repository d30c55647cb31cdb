"""Results pages: published results for everyone, the process dashboard for its
facilitators. Thin views: the reads are in results.selectors, what the pages show
of them in results.presenters."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation.errors import Conflict
from voting.models import Consultation

from . import actions, presenters, selectors


def result_list(request):
    return render(request, "results/list.html", {"rows": selectors.published_results()})


def result_detail(request, pk):
    consultation, snapshot = selectors.published_snapshot(pk)
    result = snapshot.result
    page = presenters.result_page(result)
    # The SVG is built server-side with every text escaped (results.charts.ranking_svg).
    page["chart"] = mark_safe(page["chart"])  # noqa: S308
    lookup = presenters.receipt_lookup(snapshot, request.GET.get("receipt"), consultation)
    if lookup and lookup["found"] and not lookup["counted_only"]:
        lookup["lines"] = presenters.ballot_lines(result, lookup["content"])
    context = {
        "consultation": consultation,
        "snapshot": snapshot,
        "page": page,
        "lookup": lookup,
        "downloads": presenters.export_links(consultation),
    }
    return render(request, "results/detail.html", context)


def process_results(request, slug):
    process = selectors.public_process(slug, request.user)
    return render(request, "results/process.html", presenters.process_comparison(process))


@never_cache
def dashboard(request, slug):
    process = selectors.managed_process(slug, request.user)
    return render(request, "results/dashboard.html", presenters.dashboard(process))


@require_POST
def publish(request, pk):
    consultation = get_object_or_404(Consultation.objects.select_related("process"), pk=pk)
    process = selectors.managed_process(consultation.process.slug, request.user)
    # Irreversible: only with the ticked box of the dashboard's form (works without JavaScript).
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie, dass das Ergebnis veröffentlicht werden soll."))
        return redirect("results:dashboard", slug=process.slug)
    try:
        snapshot, created = actions.publish(request.user, consultation)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(
                request, _("Das Ergebnis ist veröffentlicht (SHA-256 %(sha)s…).") % {"sha": snapshot.sha256[:12]}
            )
        else:
            messages.info(request, _("Unverändert: Dieses Ergebnis war bereits veröffentlicht."))
    return redirect("results:dashboard", slug=process.slug)
