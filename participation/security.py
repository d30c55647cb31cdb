"""Answers every response carries for the browser's protection, and JSON 404s for the API.

- Content-Security-Policy: scripts, styles, images and connections only from this
  site (WebSockets to this host included), no inline scripts, no framing, no plugins.
- Permissions-Policy: no camera, microphone, geolocation, payment or USB for any page.
- Cross-Origin-Opener-Policy: same-origin. (X-Content-Type-Options, Referrer-Policy and
  X-Frame-Options come from Django's SecurityMiddleware and XFrameOptionsMiddleware.)
- A 404 under /api/ that Django's URL resolver produced (an id that is not a number)
  is answered as JSON like every other API error, not as an HTML page.
- The API's parsers (participation.parsers) refuse text the database cannot store.
- Rate limits (a fixed-window counter in the cache) and the login lockout.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .errors import RateLimited

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src {styles}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self' {sockets}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
API_DOCS_PATH = "/api/docs/"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code == 404 and not _is_json(response):
            response = JsonResponse({"detail": _("Nicht gefunden.")}, status=404)
        # WebSockets go to this host only ('self' does not cover ws: in every browser).
        try:
            host = request.get_host()
            sockets = f"ws://{host} wss://{host}"
        except DisallowedHost:
            sockets = ""
        # Swagger UI (the offline API docs, third-party code) sets inline styles; nothing else does.
        styles = "'self' 'unsafe-inline'" if request.path.startswith(API_DOCS_PATH) else "'self'"
        policy = CONTENT_SECURITY_POLICY.format(sockets=sockets, styles=styles)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # Also for the JSON 404 made here, which the inner XFrameOptionsMiddleware never saw.
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _is_json(response):
    return response.get("Content-Type", "").startswith("application/json")


# --- rate limits and the login lockout --------------------------------------------------------

# Failed logins per account and address before the account is locked for that address, and
# per address for all accounts together (a venue's or school's network shares one address).
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 100
LOGIN_LOCKOUT_SECONDS = 15 * 60


def count_hit(key, window):
    """Add one to a fixed-window counter in the cache (shared by all processes with Redis)."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def limit(key, allowed, window, message):
    """Raise RateLimited once ``key`` was hit more than ``allowed`` times in ``window`` seconds."""
    if count_hit(f"rate:{key}", window) > allowed:
        raise RateLimited(message, window)


def _login_keys(username, address):
    account = hashlib.sha256(f"{(username or '').strip().lower()}|{address}".encode()).hexdigest()
    return f"login:account:{account}", f"login:address:{address}"


def client_address(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def login_locked(username, address):
    account_key, address_key = _login_keys(username, address)
    return (cache.get(account_key) or 0) >= LOGIN_FAILURES_PER_ACCOUNT or (
        cache.get(address_key) or 0
    ) >= LOGIN_FAILURES_PER_ADDRESS


def login_failed(username, address):
    for key in _login_keys(username, address):
        count_hit(key, LOGIN_LOCKOUT_SECONDS)


def login_succeeded(username, address):
    cache.delete(_login_keys(username, address)[0])
