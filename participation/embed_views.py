"""Views for the city's own website to show in a frame: a measure's status. (A
consultation's call to vote is voting's: ``voting/embed_views.py``.)"""

from django.shortcuts import get_object_or_404, render

from . import selectors
from .security import embeddable


@embeddable
def measure_status(request, process_slug, slug):
    measure = get_object_or_404(selectors.measures(), process__slug=process_slug, slug=slug)
    context = {
        "measure": measure,
        "last": measure.status_changes.last(),
        "page_url": request.build_absolute_uri(measure.get_absolute_url()),
    }
    return render(request, "embed/measure.html", context)
