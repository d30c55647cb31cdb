"""Who is behind a socket: the session cookie, read once when the socket opens; and from
which pages a socket may be opened at all (``SiteOriginValidator``).

Channels' ``SessionMiddleware`` wraps every frame the server sends, to save the session
and set its cookie on HTTP responses. A socket never changes the session, and in a big
workshop those per-frame checks cost about 7 % of a process's event loop (py-spy,
2,000 participants). This stack reads the session the same way and leaves ``send`` as
it is; Channels' ``AuthMiddleware`` then finds the user in it as usual.
"""

from importlib import import_module
from urllib.parse import urlsplit

from channels.auth import AuthMiddleware
from channels.security.websocket import WebsocketDenier
from channels.sessions import CookieMiddleware
from django.conf import settings
from django.http.request import split_domain_port, validate_host


class SocketSessionMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        key = scope["cookies"].get(settings.SESSION_COOKIE_NAME)
        return await self.inner(dict(scope, session=self.session_store(key)), receive, send)


def SocketAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SocketSessionMiddleware(AuthMiddleware(inner)))


# --- which pages may open a socket ------------------------------------------------------

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origin(text):
    """(scheme, host, port) of an origin such as ``https://example.org:8443``, None if it is none."""
    try:
        parts = urlsplit(text.strip())
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:  # a port out of range or not a number
        return None
    if scheme not in DEFAULT_PORTS or not host or parts.path not in ("", "/") or parts.username is not None:
        return None
    return scheme, host.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def _header(scope, name):
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def own_origin(scope):
    """The origin of the page this server served, as the browser names it: the socket's Host
    (if ALLOWED_HOSTS allows it) with the socket's scheme (``https`` for ``wss``, or when the
    proxy header of SECURE_PROXY_SSL_HEADER says so, as Django trusts it for requests)."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") == "wss"
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy and not secure:
        name, expected = proxy
        header = name.lower().removeprefix("http_").replace("_", "-").encode("latin-1")
        value = _header(scope, header)
        secure = value is not None and value.split(",")[0].strip() == expected
    return parse_origin(f"{'https' if secure else 'http'}://{host}")


def trusted_origin(origin, pattern):
    """``origin`` matches a configured origin: equal, or for ``https://*.example.org`` a
    subdomain of it with the same scheme and port (as Django reads CSRF_TRUSTED_ORIGINS)."""
    wildcard = "://*." in pattern
    expected = parse_origin(pattern.replace("://*.", "://", 1) if wildcard else pattern)
    if expected is None:
        return False
    scheme, host, port = origin
    if (scheme, port) != (expected[0], expected[2]):
        return False
    return host == expected[1] or (wildcard and host.endswith("." + expected[1]))


def origin_allowed(scope):
    """A socket may come from the site's own pages only: its ``Origin`` must equal, in scheme,
    host and port, the socket's own origin, SITE_URL's, or one in CSRF_TRUSTED_ORIGINS."""
    origin = parse_origin(_header(scope, b"origin") or "")
    if origin is None:
        return False
    if origin == own_origin(scope):
        return True
    return any(trusted_origin(origin, pattern) for pattern in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS])


class SiteOriginValidator:
    """Refuses the handshake (HTTP 403) of a socket opened from a page of another origin
    (cross-site WebSocket hijacking would otherwise ride on the visitor's session)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
