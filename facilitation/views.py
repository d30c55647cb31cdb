"""The facilitators' home (/moderation/): every process they manage, with its workshops,
consultations, feedback awaiting moderation and results, and the links to create more."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from participation import rules

from .selectors import facilitator_home


@never_cache
@login_required
@require_GET
def home(request):
    # Like the feedback queue: signed-in people who facilitate nothing are refused (403).
    if not rules.is_facilitator(request.user):
        raise PermissionDenied
    return render(request, "moderation/home.html", {"entries": facilitator_home(request.user)})
