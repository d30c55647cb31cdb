"""Feedback on processes, measures, projects and labs (namespace "feedback")."""

from django.urls import path

from . import feedback_views

urlpatterns = [
    path("moderation/", feedback_views.queue, name="queue"),
    path("<int:pk>/melden/", feedback_views.report, name="report"),
    path("<int:pk>/moderieren/", feedback_views.moderate, name="moderate"),
    path("<int:pk>/antworten/", feedback_views.answer, name="answer"),
    path("<str:kind>/<int:pk>/", feedback_views.target_feedback, name="target"),
]
