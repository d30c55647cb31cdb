"""Public pages (namespace "pages"). The same German paths serve both languages; English under /en/."""

from django.urls import path

from . import embed_views, feeds, status_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("ueber/", views.about, name="about"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("handlungsfelder/", views.field_list, name="fields"),
    path("massnahmen/", views.measure_list, name="measures"),
    path("projekte/", views.project_list, name="projects"),
    path("reallabore/", views.lab_list, name="labs"),
    path("karte/", views.map_page, name="map"),
    path("prozesse/<slug:slug>/", views.process_detail, name="process"),
    path("prozesse/<slug:slug>/neuigkeiten.atom", feeds.ProcessNewsFeed(), name="process_feed"),
    path("prozesse/<slug:slug>/handlungsfelder/", views.process_fields, name="process_fields"),
    path("prozesse/<slug:process_slug>/handlungsfelder/<slug:slug>/", views.field_detail, name="field"),
    path("prozesse/<slug:process_slug>/massnahmen/<slug:slug>/", views.measure_detail, name="measure"),
    path(
        "prozesse/<slug:process_slug>/massnahmen/<slug:slug>/stand/",
        status_views.change_status,
        {"kind": "measure"},
        name="measure_status",
    ),
    path(
        "einbetten/prozesse/<slug:process_slug>/massnahmen/<slug:slug>/",
        embed_views.measure_status,
        name="measure_embed",
    ),
    path("prozesse/<slug:process_slug>/projekte/<slug:slug>/", views.project_detail, name="project"),
    path(
        "prozesse/<slug:process_slug>/projekte/<slug:slug>/stand/",
        status_views.change_status,
        {"kind": "project"},
        name="project_status",
    ),
    path("prozesse/<slug:process_slug>/reallabore/<slug:slug>/", views.lab_detail, name="lab"),
]
