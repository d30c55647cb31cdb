"""Workshop pages (namespace "workshops"): join, board, facilitator console, projector."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.enter_code, name="enter"),
    path("<str:code>/", views.join, name="join"),
    path("<str:code>/board/", views.board, name="board"),
    path("<str:code>/console/", views.console, name="console"),
    path("<str:code>/projector/", views.projector, name="projector"),
]
