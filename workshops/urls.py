"""Workshop pages (namespace "workshops"): join, board, facilitator console, projector, and the
facilitators' pages to create, look after and edit a workshop."""

from django.urls import path

from . import agenda_views, manage_views, record_views, views

urlpatterns = [
    path("", views.enter_code, name="enter"),
    # Before "<code>/": "neu" is no join code (codes have six characters).
    path("neu/", manage_views.create, name="create"),
    path("<str:code>/", views.join, name="join"),
    path("<str:code>/board/", views.board, name="board"),
    path("<str:code>/console/", views.console, name="console"),
    path("<str:code>/projector/", views.projector, name="projector"),
    path("<str:code>/verwaltung/", manage_views.manage, name="manage"),
    path("<str:code>/verwaltung/bearbeiten/", manage_views.edit, name="edit"),
    path("<str:code>/verwaltung/freigeben/", manage_views.go_live, name="go_live"),
    path("<str:code>/verwaltung/ablauf/", agenda_views.agenda, name="agenda"),
    path("<str:code>/verwaltung/board.svg", record_views.board_record, {"fmt": "svg"}, name="board_svg"),
    path("<str:code>/verwaltung/board.png", record_views.board_record, {"fmt": "png"}, name="board_png"),
    path("<str:code>/verwaltung/board.pdf", record_views.board_record, {"fmt": "pdf"}, name="board_pdf"),
]
