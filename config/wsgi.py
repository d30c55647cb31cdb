"""WSGI entry point: plain HTTP for a WSGI server (WebSockets need the ASGI entry point, config/asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
