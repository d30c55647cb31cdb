"""Workshop endpoints, included under /api/ in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("workshops/", api.WorkshopCreateView.as_view(), name="workshop-create"),
    path("workshops/<str:code>/", api.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("workshops/<str:code>/join", api.WorkshopJoinView.as_view(), name="workshop-join"),
    path("workshops/<str:code>/qr.svg", api.WorkshopQRView.as_view(), name="workshop-qr"),
    path("workshops/<str:code>/export", api.WorkshopExportView.as_view(), name="workshop-export"),
]
