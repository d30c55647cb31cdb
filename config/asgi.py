"""ASGI entry point: HTTP goes to Django, WebSockets to the workshop routes."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models.
django.setup(set_prefix=False)

from django.core.asgi import get_asgi_application  # noqa: E402

from participation import direct_writes  # noqa: E402

if "twisted.internet.reactor" in sys.modules:  # under Daphne: see direct_writes
    direct_writes.install()

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from workshops.auth import SiteOriginValidator, SocketAuthMiddlewareStack  # noqa: E402
from workshops.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SiteOriginValidator(SocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
