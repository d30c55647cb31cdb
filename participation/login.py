"""Login forms with a lockout after wrong passwords (see participation.security for the counters)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .security import client_address, login_failed, login_locked, login_succeeded


class ThrottledLoginMixin:
    """For AuthenticationForm: after 5 wrong passwords for one account from one address (or 100
    from one address in all) further attempts are refused for 15 minutes, whatever the password.
    The message is the same for existing and unknown accounts."""

    def clean(self):
        username = self.cleaned_data.get("username")
        address = client_address(self.request) if self.request else "unknown"
        if login_locked(username, address):
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
                login_failed(username, address)
            raise
        login_succeeded(username, address)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
