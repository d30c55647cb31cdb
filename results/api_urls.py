"""Result endpoints, included under /api/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("consultations/<int:pk>/results", api.ConsultationResultsView.as_view(), name="consultation-results"),
    path("consultations/<int:pk>/publish", api.PublishView.as_view(), name="consultation-publish"),
    path("consultations/<int:pk>/ballots", api.BallotsView.as_view(), name="consultation-ballots"),
    path("consultations/<int:pk>/export", api.ExportView.as_view(), name="consultation-export"),
    path("consultations/<int:pk>/open-data", api.OpenDataView.as_view(), name="consultation-open-data"),
    path("processes/<int:pk>/results", api.ProcessResultsView.as_view(), name="process-results"),
]
