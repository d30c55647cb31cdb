"""Answers every response carries for the browser's protection, and JSON 404s for the API.

- Content-Security-Policy: scripts, styles, images and connections only from this
  site (WebSockets to this host included), no inline scripts, no plugins, no framing but
  of the embeddable views (``embeddable``) by this site and ``EMBED_ORIGINS``.
- Permissions-Policy: no camera, microphone, geolocation, payment or USB for any page.
- Cross-Origin-Opener-Policy: same-origin. (X-Content-Type-Options, Referrer-Policy and
  X-Frame-Options come from Django's SecurityMiddleware and XFrameOptionsMiddleware.)
- A 404 under /api/ that Django's URL resolver produced (an id that is not a number)
  is answered as JSON like every other API error, not as an HTML page.
- The API's parsers (participation.parsers) refuse text the database cannot store.
- Rate limits (fixed-window counters in the cache) and the login brakes, counted per
  client address (X-Forwarded-For of TRUSTED_PROXIES only) and skipped, never failing,
  while Redis is away; a Redis error that reaches a view is a 503, not a 500.
"""

import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .errors import RateLimited

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src {styles}",
        "img-src 'self' data:{tiles}",
        "font-src 'self'",
        "connect-src 'self' {sockets}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors {ancestors}",
    ]
)
API_DOCS_PATH = "/api/docs/"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def embeddable(view):
    """A view the city's own website may show in a frame (CSP ``frame-ancestors`` of this site
    and ``EMBED_ORIGINS``; no X-Frame-Options). Its links open in the top window."""

    @functools.wraps(view)
    def framed(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.embeddable = True
        response.xframe_options_exempt = True
        return response

    return framed


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
        framed = getattr(response, "embeddable", False)
        # Embeddable views (``embeddable``): framed by this site and EMBED_ORIGINS only; no other page at all.
        ancestors = " ".join(["'self'", *settings.EMBED_ORIGINS]) if framed else "'none'"
        # The map tile server, when one is configured (MAP_TILES_URL).
        tiles = f" {settings.MAP_TILES_ORIGIN}" if settings.MAP_TILES_ORIGIN else ""
        policy = CONTENT_SECURITY_POLICY.format(sockets=sockets, styles=styles, ancestors=ancestors, tiles=tiles)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not framed:
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
            # Also for the JSON 404 made here, which the inner XFrameOptionsMiddleware never saw.
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    def process_exception(self, request, exception):
        """Redis away where a feature truly needs it (rate limits and lockouts do not, see
        ``cached``): a 503 with Retry-After in the client's language, JSON for the API and
        HTML for pages, never a 500."""
        if not isinstance(exception, REDIS_ERRORS):
            return None
        log.warning("Redis unreachable, answered 503: %s: %s", type(exception).__name__, exception)
        message = _("Ein Dienst ist kurz nicht erreichbar; bitte versuchen Sie es in einigen Sekunden erneut.")
        if request.path.startswith(("/api/", "/en/api/")):
            response = JsonResponse({"detail": message, "retry": True}, status=503)
        else:
            response = TemplateResponse(request, "pages/unavailable.html", {"message": message}, status=503)
            response.render()
        response["Retry-After"] = str(SERVICE_RETRY_AFTER)
        return response


SERVICE_RETRY_AFTER = 5


def _is_json(response):
    return response.get("Content-Type", "").startswith("application/json")


CLIENT_ADDRESS_KEY = "participation.client_address"


class ClientAddressMiddleware:
    """Puts the client's address (``client_address``: X-Forwarded-For of trusted proxies only)
    into REMOTE_ADDR, so every later reader of the request sees the client, not the proxy.
    The direct peer stays in PEER_ADDR."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if "PEER_ADDR" not in meta:
            meta["PEER_ADDR"] = meta.get("REMOTE_ADDR", "")
            address = client_ip(meta["PEER_ADDR"], meta.get("HTTP_X_FORWARDED_FOR", ""))
            if address is not None:
                meta["REMOTE_ADDR"] = str(address)
                # The address as limits count it, worked out once per request (``client_address``).
                meta[CLIENT_ADDRESS_KEY] = (meta["REMOTE_ADDR"], _key(address))
        return self.get_response(request)


# --- the client's address ---------------------------------------------------------------------
#
# Behind a reverse proxy every request comes from the proxy's address. The client's address is
# then taken from X-Forwarded-For, but only when the direct peer is one of TRUSTED_PROXIES (a
# client can write any X-Forwarded-For it likes): the right-most entry that is not a trusted
# proxy, as each trusted proxy appends the address it saw. Everything that counts per address
# (rate limits, the login brakes, wrong access codes, workshop joins)
# uses this one function. IPv6 clients count per /64, the block one household or phone gets.


@functools.lru_cache(maxsize=8)
def _networks(configured):
    return tuple(ipaddress.ip_network(item) for item in configured)


def trusted_networks():
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _ip(text):
    """An address from a header entry ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443"), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks):
    return any(address.version == net.version and address in net for net in networks)


def _key(address):
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_ip(peer, forwarded_for=""):
    """The client's IP address from the direct peer and the X-Forwarded-For header, or None
    when the peer is not an IP address (a Unix socket, a test client)."""
    address = _ip(peer or "")
    if address is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(address, networks):
        return address
    for entry in reversed((forwarded_for or "").split(",")):
        hop = _ip(entry)
        if hop is None:
            break  # not written by a proxy we trust: stay with the last trusted hop
        address = hop
        if not _trusted(hop, networks):
            break
    return address


def address_of(peer, forwarded_for=""):
    """The client's address as limits count it (an IPv6 address as its /64)."""
    address = client_ip(peer, forwarded_for)
    return (peer or "unknown") if address is None else _key(address)


def client_address(request):
    """The client's address of a Django request as limits count it. ClientAddressMiddleware
    has already put the client's IP into REMOTE_ADDR (and the peer into PEER_ADDR)."""
    meta = request.META
    if "PEER_ADDR" in meta:
        remote, key = meta.get(CLIENT_ADDRESS_KEY, (None, None))
        if remote is not None and remote == meta.get("REMOTE_ADDR"):
            return key
        return address_of(meta.get("REMOTE_ADDR"))
    return address_of(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR", ""))


# --- the cache, when Redis is away ------------------------------------------------------------
#
# Rate limits and lockouts are brakes, not locks on the door: when the cache (Redis) cannot be
# reached they are skipped with a warning, and voting and signing in go on. A dead Redis costs a
# request at most the short socket timeouts of settings.CACHES; after a failure this process
# leaves the cache alone for CACHE_PAUSE_SECONDS, so only one request in that time pays them.

CACHE_PAUSE_SECONDS = 2.0
_cache_paused_until = 0.0


def _redis_errors():
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return ()
    return (RedisError,)


REDIS_ERRORS = _redis_errors()
CACHE_ERRORS = (*REDIS_ERRORS, OSError)


def cached(operation, *args, default=None):
    """``cache.<operation>(*args)``, or ``default`` while the cache cannot be reached."""
    global _cache_paused_until
    if time.monotonic() < _cache_paused_until:
        return default
    try:
        return getattr(cache, operation)(*args)
    except CACHE_ERRORS as error:
        _cache_paused_until = time.monotonic() + CACHE_PAUSE_SECONDS
        log.warning(
            "cache unreachable (%s: %s): rate limits and lockouts skipped for %.0f s",
            type(error).__name__,
            error,
            CACHE_PAUSE_SECONDS,
        )
        return default


def window_key(key, window):
    """The cache key of ``key``'s counter in the current fixed window (aligned to the clock)."""
    return f"{key}:{int(time.time() // window)}"


def count_hit(key, window):
    """Add one to the counter of ``key`` in the current ``window`` of seconds (shared by all
    processes through Redis). Returns (count, seconds until the window ends); count is None
    while the cache cannot be reached."""
    now = time.time()
    remaining = max(1, int(window - now % window + 0.999))
    key = window_key(key, window)
    added = cached("add", key, 1, window + 1)
    if added is None:
        return None, remaining
    if added:
        return 1, remaining
    try:
        count = cached("incr", key)
    except ValueError:  # expired between add and incr
        cached("set", key, 1, window + 1)
        return 1, remaining
    return count, remaining


def current_count(key, window):
    """The counter of ``key`` in the current window (0 while the cache cannot be reached)."""
    return cached("get", window_key(key, window), default=0) or 0


def limit(key, allowed, window, message):
    """Raise RateLimited once ``key`` was hit more than ``allowed`` times in this ``window``
    of seconds; Retry-After is the time until the window ends."""
    count, remaining = count_hit(f"rate:{key}", window)
    if count is not None and count > allowed:
        raise RateLimited(message, remaining)


# --- the login brakes -------------------------------------------------------------------------

# Failed logins per account and address before the account is locked for that address, and
# per address for all accounts together. A browser that has signed in to the account before
# (participation.login, the "known device" cookie) passes both with the right password; its
# own wrong passwords count per browser instead.
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 100
LOGIN_FAILURES_PER_DEVICE = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60


def _login_keys(username, address):
    account = hashlib.sha256(f"{(username or '').strip().lower()}|{address}".encode()).hexdigest()
    return f"login:account:{account}", f"login:address:{address}"


def _device_key(device):
    return f"login:device:{device}"


def login_locked(username, address, device=None):
    """Whether this attempt is refused before the password is checked. ``device`` is the id
    of the browser's known-device cookie for this account, if it has a valid one."""
    if device is not None:
        return current_count(_device_key(device), LOGIN_LOCKOUT_SECONDS) >= LOGIN_FAILURES_PER_DEVICE
    account_key, address_key = _login_keys(username, address)
    return (
        current_count(account_key, LOGIN_LOCKOUT_SECONDS) >= LOGIN_FAILURES_PER_ACCOUNT
        or current_count(address_key, LOGIN_LOCKOUT_SECONDS) >= LOGIN_FAILURES_PER_ADDRESS
    )


def login_failed(username, address, device=None):
    keys = [_device_key(device)] if device is not None else list(_login_keys(username, address))
    for key in keys:
        count_hit(key, LOGIN_LOCKOUT_SECONDS)


def login_succeeded(username, address, device=None):
    key = _device_key(device) if device is not None else _login_keys(username, address)[0]
    cached("delete", window_key(key, LOGIN_LOCKOUT_SECONDS))
