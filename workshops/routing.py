"""WebSocket routes of live workshops."""

from django.urls import re_path

from .consumers import WorkshopConsumer

websocket_urlpatterns = [
    re_path(r"^ws/workshops/(?P<code>[A-Za-z0-9-]{1,32})/$", WorkshopConsumer.as_asgi()),
]
