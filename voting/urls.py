"""Consultation pages (namespace "consultations"), under /befragungen/ in both languages."""

from django.urls import path

from . import embed_views, opinion_views, paper_views, views

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("neu/", views.create, name="create"),
    path("neu/pabulib/", views.import_pabulib, name="import_pabulib"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/einbetten/", embed_views.call_to_vote, name="embed"),
    path("<int:pk>/stimme/", views.cast, name="cast"),
    path("<int:pk>/paar/", views.pair, name="pair"),
    path("<int:pk>/vorschlag/", views.propose, name="propose"),
    path("<int:pk>/antwort/", opinion_views.answer, name="answer"),
    path("<int:pk>/aussage/", opinion_views.statement, name="statement"),
    path("<int:pk>/karte/", opinion_views.map_fragment, name="opinion_map"),
    path("<int:pk>/papier/", paper_views.entry, name="paper"),
    path("<int:pk>/verwaltung/", views.manage, name="manage"),
    path("<int:pk>/verwaltung/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/verwaltung/oeffnen/", views.open_now, name="open"),
    path("<int:pk>/verwaltung/planen/", views.schedule, name="schedule"),
    path("<int:pk>/verwaltung/schliessen/", views.close, name="close"),
    path("<int:pk>/verwaltung/zugangscodes/", views.access_codes, name="access_codes"),
    path(
        "<int:pk>/verwaltung/vorschlaege/<int:proposal_id>/<str:decision>/",
        views.decide,
        name="decide",
    ),
    path("<int:pk>/verwaltung/aussagen/", opinion_views.add, name="statement_add"),
    path(
        "<int:pk>/verwaltung/aussagen/<int:statement_id>/<str:decision>/",
        opinion_views.decide,
        name="statement_decide",
    ),
    path("<int:pk>/verwaltung/wahlhelfer/", paper_views.add_worker, name="paper_worker_add"),
    path(
        "<int:pk>/verwaltung/wahlhelfer/<int:user_id>/entfernen/", paper_views.remove_worker, name="paper_worker_remove"
    ),
]
