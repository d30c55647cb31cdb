"""Settings for the participation platform.

Everything that differs between a laptop and production is read from the
environment here (on a development machine also from the `.env` that `make demo`
writes; the environment wins), through the small helpers below. A bad value stops the
process at start with a message that names the variable.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}.")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_origins(name):
    """Comma-separated web origins (https://www.heilbronn.de, http://localhost:8080), each a
    scheme, a host and an optional port and nothing more: they go into a CSP header."""
    import re

    origins = env_list(name, [])
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            raise ImproperlyConfigured(f"{name}: {origin!r} is not an origin like https://www.example.org.")
    return origins


def env_tiles(name, default):
    """A map tile URL template (https://tile.example.org/{z}/{x}/{y}.png) and its origin, for
    the CSP; an empty value: maps without tiles."""
    import re

    template = os.environ.get(name, default).strip()
    if not template:
        return "", ""
    match = re.fullmatch(r"(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)/[^\s\"'<>]*", template)
    if not match or not all(part in template for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(
            f"{name}={template!r} is not a tile URL like https://tile.example.org/{{z}}/{{x}}/{{y}}.png."
        )
    return template, match.group(1)


def env_networks(name):
    """Comma-separated IP addresses or CIDR blocks (10.0.0.5, 10.0.0.0/24, ::1), normalised."""
    import ipaddress

    networks = []
    for item in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24): {error}"
            ) from None
    return networks


def env_database(name, default):
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = urlparse(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: unsupported scheme {scheme!r}; use postgres://... or sqlite:///..."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=0)
    except Exception as exc:  # the library raises several types for bad URLs
        raise ImproperlyConfigured(f"{name}={raw!r} is not a valid database URL: {exc}") from None
    if config["ENGINE"].endswith("sqlite3"):
        # Several ASGI threads write to one file: wait instead of failing at once.
        config.setdefault("OPTIONS", {})["timeout"] = 20
        # Take the write lock at BEGIN: a deferred transaction that upgrades its lock
        # fails at once with "database is locked" when another process writes.
        config["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
    else:
        # An application host that vanishes (power, network) mid-transaction sends no FIN:
        # its backend keeps the transaction's row locks (a workshop's event counter) until
        # TCP gives up, minutes to hours, and every write to that workshop waits. Asked for
        # by the client (these server settings are per session): keepalives for a quiet
        # socket and tcp_user_timeout for unacknowledged data end such a backend within
        # seconds, rolling back (tests/reliability/test_multi_host.py). The same on the
        # client side notices a vanished server.
        options = config.setdefault("OPTIONS", {})
        keepalive = (
            "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3 -c tcp_user_timeout=5000"
        )
        options["options"] = f"{options['options']} {keepalive}" if options.get("options") else keepalive
        client_keepalive = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 1, "keepalives_count": 3}
        for key, value in client_keepalive.items():
            options.setdefault(key, value)
    if config.get("OPTIONS", {}).get("pool"):
        # With a pool this makes Django test a connection before handing it out: after a
        # database restart or a terminated backend the pool would otherwise serve dead
        # connections, one failed request each (tests/reliability/test_db_backends_terminated.py).
        config["CONN_HEALTH_CHECKS"] = True
    return config


def env_redis_url(name):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"} or not (parsed.hostname or parsed.path):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a redis:// URL.")
    return raw


def env_redis_sentinels(name):
    """``host:port,host:port`` of the Sentinels that name the Redis primary, as tuples; []
    when not set."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    sentinels = []
    for part in raw.split(","):
        host, _, port = part.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ImproperlyConfigured(f"{name}={raw!r}: each Sentinel is host:port, separated by commas.")
        sentinels.append((host.strip("[]"), int(port)))
    return sentinels


def read_env_file(path):
    """KEY=VALUE lines of a local settings file into the environment, for the names the
    environment does not set (it wins). `make demo` writes `.env` with DEBUG=1, so that
    manage.py works in any shell on a development machine; production has no such file
    and still fails at start without SECRET_KEY."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: {line!r} is not NAME=value.")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name, value)


read_env_file(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off; set SECRET_KEY to a long random string.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-in-production"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too short or too simple: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off (comma-separated host names).")

PORT = env_int("PORT", 8000, minimum=1, maximum=65535)

# Public base URL, used in e-mails and join links when there is no request.
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
if urlparse(SITE_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "participation",
    "workshops",
    "voting",
    "results",
    "facilitation",
    "demo",
    "config",  # the composition root, installed for its management commands
]

MIDDLEWARE = [
    # First: every later step sees the client's address (X-Forwarded-For of TRUSTED_PROXIES only).
    "participation.security.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "participation.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "participation.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "participation.login.KnownDeviceMiddleware",  # the cookie of participation/login.py
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participation.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A PostgreSQL streaming replica (optional): the reads of the views in REPLICA_READ_VIEWS go
# there, with read-your-writes and a fallback to the primary (participation/replica.py).
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to point to PostgreSQL, its primary.")
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    if not DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL (a streaming replica).")
    # A replica that is gone fails within seconds instead of hanging a page: connect_timeout
    # for a new connection, tcp_user_timeout (ms) for one whose packets are no longer answered
    # (measured: without it a request on a cut replica hung over 120 s; with it ~2.4 s).
    DATABASES["replica"].setdefault("OPTIONS", {}).update(connect_timeout=2, tcp_user_timeout=2000)
    # Tests have no replica of their own: reads on "replica" see the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["participation.replica.ReplicaRouter"]
    MIDDLEWARE.append("participation.replica.ReplicaMiddleware")
# The views whose reads may come from the replica (URL names): public pages, results and
# the API's public reads and exports. Only their GET/HEAD requests, never inside
# transaction.atomic, never a write; see participation/replica.py.
REPLICA_READ_VIEWS = frozenset(
    {
        # public pages
        "pages:home",
        "pages:fields",
        "pages:measures",
        "pages:projects",
        "pages:labs",
        "pages:map",
        "pages:process",
        "pages:process_feed",
        "pages:process_fields",
        "pages:field",
        "pages:measure",
        "pages:measure_embed",
        "pages:project",
        "pages:lab",
        "feedback:target",
        "consultations:list",
        "consultations:embed",
        # results pages
        "results:list",
        "results:detail",
        "results:process",
        # the API's public reads, results and exports
        "api:map",
        "api:process-list",
        "api:process-detail",
        "api:field-list",
        "api:field-detail",
        "api:measure-list",
        "api:measure-detail",
        "api:project-list",
        "api:project-detail",
        "api:lab-list",
        "api:lab-detail",
        "api:feedback-list",
        "api:feedback-detail",
        "api:consultation-list",
        "api:consultation-results",
        "api:consultation-export",
        "api:consultation-open-data",
        "api:process-results",
    }
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
# Redis behind Sentinel (participation/redis_sentinel.py): the Sentinels name the primary,
# and every client asks them again after a failover. Instead of REDIS_URL, not beside it.
REDIS_SENTINELS = env_redis_sentinels("REDIS_SENTINELS")
REDIS_MASTER = os.environ.get("REDIS_MASTER", "").strip()
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD") or None
if REDIS_SENTINELS and REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL or REDIS_SENTINELS, not both.")
if REDIS_SENTINELS and not REDIS_MASTER:
    raise ImproperlyConfigured("REDIS_SENTINELS needs REDIS_MASTER, the name the Sentinels monitor the primary by.")
REDIS_SENTINEL = (
    {"master_name": REDIS_MASTER, "sentinels": REDIS_SENTINELS, "password": REDIS_PASSWORD} if REDIS_SENTINELS else None
)
# The cache holds rate-limit counters; with Redis they are shared by all processes. Short
# timeouts: a Redis that does not answer must not stall a ballot or a login (the limits are
# then skipped, participation.security.cached). Sessions are in the database, not here.
CACHE_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if REDIS_SENTINEL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "sentinel",  # no address: the pool asks the Sentinels
            "KEY_PREFIX": "cache",
            "OPTIONS": {
                "pool_class": "participation.redis_sentinel.SentinelCachePool",
                **REDIS_SENTINEL,
                **CACHE_TIMEOUTS,
            },
        }
    }
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
            "OPTIONS": CACHE_TIMEOUTS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL or REDIS_SENTINEL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "workshops.redis_layer.WorkshopRedisChannelLayer",  # survives a Redis restart
            # redis-py 8 defaults that break channels_redis: reads time out after 5 s, exactly
            # when its blocking 5 s poll of a quiet layer returns (the polling socket was
            # closed with 1011), and a pool refuses a 101st concurrent command (sockets
            # opening or closing together failed their group_add/discard).
            "CONFIG": {
                "hosts": [
                    {
                        **(REDIS_SENTINEL or {"address": REDIS_URL}),
                        "socket_timeout": 30,
                        "max_connections": 1000,
                    }
                ],
                # Each process reads a workshop's group once (workshops/consumers/hub.py),
                # so a process inbox holds one message per broadcast, not one per socket.
                "capacity": 10_000,
                "expiry": 30,
            },
        }
    }
else:
    # Room for bursts in the workshop hubs' channels.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 10_000}}}

AUTH_USER_MODEL = "participation.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"

# Sign-in with the city's account: OpenID Connect (mozilla-django-oidc), e.g. BundID or a
# state's Servicekonto through an identity broker such as Keycloak. On when OIDC_RP_CLIENT_ID
# is set; then the provider's endpoints are required. Accounts are linked by the address the
# provider confirms (participation/city_login.py).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
CITY_LOGIN = bool(OIDC_RP_CLIENT_ID)
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if CITY_LOGIN:
    for _name in (
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ):
        _value = os.environ.get(_name, "")
        if not _value or (_name != "OIDC_RP_CLIENT_SECRET" and urlparse(_value).scheme not in {"http", "https"}):
            raise ImproperlyConfigured(
                f"{_name} must be set (an http(s) URL for the endpoints) when OIDC_RP_CLIENT_ID is."
            )
        globals()[_name] = _value
    AUTHENTICATION_BACKENDS.append("participation.city_login.CityAccountBackend")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
# A provider that publishes a single key may leave out its "kid"; then turn this off.
OIDC_VERIFY_KID = env_bool("OIDC_VERIFY_KID", True)
# Seconds to wait for the provider's token, user info and key endpoints.
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "city_login_callback"
LOGIN_REDIRECT_URL_FAILURE = "/konto/anmelden/"
# The button's words on the login page, e.g. "Mit BundID anmelden" (German; English below).
CITY_LOGIN_LABEL = os.environ.get("CITY_LOGIN_LABEL", "Mit dem Konto der Stadt anmelden")
CITY_LOGIN_LABEL_EN = os.environ.get("CITY_LOGIN_LABEL_EN", "Sign in with the city's account")
LOGOUT_REDIRECT_URL = "pages:home"

# German first, English second.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as readers write them (12.03.2026 / 12 March 2026); see participation/formats/.
FORMAT_MODULE_PATH = ["participation.formats"]
# Not USE_THOUSAND_SEPARATOR: it would also group ids in URLs, form values and data
# attributes ("1.234"). Templates group amounts and counts with |money and |floatformat:"g".
# The switch's choice is kept for a year; before any choice Accept-Language decides.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet's script, styles and images come from django-leaflet's static folder (leaflet/…).
# Not installed as an app: its admin module needs GeoDjango's GDAL, which the maps do not use.
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve static files straight from the app folders in development, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site's root, not under /static/: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "frontend" / "root"

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "beteiligung@localhost")
# Seconds before an unanswering SMTP server counts as gone (the worker then retries later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# Background work (mail to followers) is queued in the database and done by
# `python manage.py db_worker` (django-tasks-db), outside any request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds a mail "at once" waits, so that changes made together reach a follower in one mail.
NOTIFICATION_DELAY = env_int("NOTIFICATION_DELAY", 60, minimum=0)
# Attempts to hand a mail to the SMTP server before giving up (waits 1, 2, 4 … minutes between).
NOTIFICATION_ATTEMPTS = env_int("NOTIFICATION_ATTEMPTS", 8, minimum=1, maximum=20)
# Where readers report accessibility barriers (named on the accessibility statement page).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "participation.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "participation.errors.api_exception_handler",
    # JSON and forms as usual, but text PostgreSQL cannot store (NUL, lone surrogates) is a 400.
    "DEFAULT_PARSER_CLASSES": [
        "participation.parsers.StrictJSONParser",
        "participation.parsers.StrictFormParser",
        "participation.parsers.StrictMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "participation.negotiation.ContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Heilbronn Beteiligung API",
    "DESCRIPTION": "Public API of the e-participation platform: strategy, measures, inventory, living labs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Offline docs: Swagger UI assets come from the sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers (400/401/403/404/409/429) are documented in one place.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
}

# Production hardening; check --deploy is clean when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the small ES modules read it for fetch()
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Sites that may show the embeddable views (a measure's status, a consultation's call to
# vote) in a frame, e.g. the city's own website. Every other page may not be framed at all.
EMBED_ORIGINS = env_origins("EMBED_ORIGINS")
# The maps' background (living labs, projects, feedback placed in a lab): a tile server's URL
# template; its origin joins the CSP's img-src. Empty: the maps show the areas and places on a
# plain background (and no request leaves the site). The default is OpenStreetMap's own
# server, fine for light use; a city with many visitors configures its own or a provider's.
MAP_TILES_URL, MAP_TILES_ORIGIN = env_tiles("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
# The reverse proxies in front of Daphne (IP addresses or CIDR blocks). Only when a request
# comes from one of them is X-Forwarded-For read for the client's address, which the rate
# limits and lockouts count (participation/security.py). Empty: the peer is the client.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# Sessions in the database (Django's default), so signing in does not depend on Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Days after a process's end date until participants' personal data are removed
# (python manage.py purge_personal_data, run daily; see config/retention.py).
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 180, minimum=0)

# How long an e-mail verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = env_int("EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 3600, minimum=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
