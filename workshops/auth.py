"""Who is behind a socket: the session cookie, read once when the socket opens.

Channels' ``SessionMiddleware`` wraps every frame the server sends, to save the session
and set its cookie on HTTP responses. A socket never changes the session, and in a big
workshop those per-frame checks cost about 7 % of a process's event loop (py-spy,
2,000 participants). This stack reads the session the same way and leaves ``send`` as
it is; Channels' ``AuthMiddleware`` then finds the user in it as usual.
"""

from importlib import import_module

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware
from django.conf import settings


class SocketSessionMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        key = scope["cookies"].get(settings.SESSION_COOKIE_NAME)
        return await self.inner(dict(scope, session=self.session_store(key)), receive, send)


def SocketAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SocketSessionMiddleware(AuthMiddleware(inner)))
