"""Login forms with brakes on password guessing (the counters are in participation.security).

- 5 wrong passwords for one account from one address lock that account for that address
  for 15 minutes; 100 wrong passwords from one address over all accounts lock the address.
- A browser that has signed in to an account before carries a signed "known device" cookie
  naming that account (a keyed hash of the user name, not the name). With it, neither
  address-wide lock applies to that account: whoever guesses from the same school or town
  hall network cannot lock the owner out. Its own wrong passwords count per browser instead
  (5, then it is treated like any other browser for 15 minutes), so a copied cookie is no
  way around the brake.
- While the cache (Redis) cannot be reached, the counters are skipped and logins go on.
"""

import secrets

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .security import client_address, login_failed, login_locked, login_succeeded

KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_SALT = "participation.login.known_device"
KNOWN_DEVICE_AGE = 365 * 24 * 3600
KNOWN_DEVICE_ACCOUNTS = 5  # a family's shared computer


def _account_tag(username):
    return salted_hmac(KNOWN_DEVICE_SALT, (username or "").strip().lower()).hexdigest()[:24]


def _read_device(request):
    """(device id, account tags) of the request's known-device cookie, or (None, [])."""
    raw = request.COOKIES.get(KNOWN_DEVICE_COOKIE) if request is not None else None
    if not raw:
        return None, []
    try:
        value = signing.loads(raw, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_AGE)
        device, tags = value["d"], value["a"]
    except (signing.BadSignature, KeyError, TypeError):
        return None, []
    if not isinstance(device, str) or not isinstance(tags, list):
        return None, []
    return device, [tag for tag in tags if isinstance(tag, str)]


def known_device(request, username):
    """The browser's device id when it has signed in to this account before, else None."""
    device, tags = _read_device(request)
    return device if device is not None and _account_tag(username) in tags else None


class ThrottledLoginMixin:
    """For AuthenticationForm: the brakes above. The message is the same for existing and
    unknown accounts, so the lock does not tell which accounts exist."""

    def clean(self):
        username = self.cleaned_data.get("username")
        address = client_address(self.request) if self.request else "unknown"
        device = known_device(self.request, username)
        if login_locked(username, address, device):
            raise ValidationError(
                _(
                    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten "
                    "oder setzen Sie Ihr Passwort zurück."
                ),
                code="too_many_attempts",
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                login_failed(username, address, device)
            raise
        login_succeeded(username, address, device)
        if self.request is not None:
            self.request.known_device_account = username
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class KnownDeviceMiddleware:
    """After a successful login through the forms above, (re)writes the known-device cookie
    with the account's tag in front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "known_device_account", None)
        if username is not None:
            device, tags = _read_device(request)
            tag = _account_tag(username)
            tags = [tag, *(t for t in tags if t != tag)][:KNOWN_DEVICE_ACCOUNTS]
            value = signing.dumps({"d": device or secrets.token_urlsafe(16), "a": tags}, salt=KNOWN_DEVICE_SALT)
            response.set_cookie(
                KNOWN_DEVICE_COOKIE,
                value,
                max_age=KNOWN_DEVICE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
