"""Results pages, under /ergebnisse/ in the "results" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.result_list, name="list"),
    path("<int:pk>/", views.result_detail, name="detail"),
    path("<int:pk>/veroeffentlichen/", views.publish, name="publish"),
    path("prozesse/<slug:slug>/", views.process_results, name="process"),
    path("prozesse/<slug:slug>/moderation/", views.dashboard, name="dashboard"),
]
