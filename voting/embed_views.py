"""A consultation's call to vote, for the city's own website to show in a frame."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from participation.security import embeddable

from .models import Consultation, ConsultationState


@embeddable
def call_to_vote(request, pk):
    public = Q(process__published=True) & ~Q(state=ConsultationState.DRAFT)
    consultation = get_object_or_404(Consultation.objects.filter(public).select_related("process"), pk=pk)
    context = {"consultation": consultation, "page_url": request.build_absolute_uri(consultation.get_absolute_url())}
    return render(request, "embed/consultation.html", context)
