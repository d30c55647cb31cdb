"""WebSocket routes of live workshops (the consumer arrives with the workshops issue)."""

websocket_urlpatterns = []
