"""The facilitators' home (namespace "moderation")."""

from django.urls import path

from . import moderation_views

urlpatterns = [
    path("", moderation_views.home, name="home"),
]
