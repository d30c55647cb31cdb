"""Sign in with the city's account (OpenID Connect through mozilla-django-oidc).

The provider (BundID, a state's Servicekonto, usually behind an identity broker such as
Keycloak) must confirm the person's e-mail address (``email_verified``). The account is:

1. the one linked to this provider's subject at an earlier sign-in (``CityAccountLink``);
2. else the active account with that address, which is linked now. If that account had not
   confirmed the address, someone may have registered it with another person's address: its
   password is made unusable (which also ends its other sessions), so that only the owner of
   the address, who has just proven it, holds it;
3. else a new citizen account with the address confirmed and no password.

Such accounts count as confirmed everywhere, so consultations for confirmed accounts accept
them. A refused or failed sign-in comes back to the login page with a message that says why.
"""

import logging
import re

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import CityAccountLink, Role, User

logger = logging.getLogger(__name__)

REFUSAL = "city_login_refusal"


class Refused(SuspiciousOperation):
    """The provider's answer cannot sign anybody in; ``reason`` is said to the person."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _free_username(email):
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:120] or "buerger"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class CityAccountBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        if not claims.get("sub"):
            raise Refused(_("Der Anmeldedienst hat keine Kennung übermittelt."))
        if not claims.get("email") or claims.get("email_verified") is not True:
            raise Refused(
                _(
                    "Ihr Konto der Stadt nennt keine bestätigte E-Mail-Adresse. Bestätigen Sie sie dort, "
                    "oder melden Sie sich hier mit Benutzername und Passwort an."
                )
            )
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            self.verify_claims(claims)
            # The user info must describe the person the signed ID token names.
            if claims["sub"] != payload.get("sub"):
                raise Refused(_("Der Anmeldedienst hat widersprüchliche Angaben übermittelt."))
        except Refused as refusal:
            # mozilla-django-oidc turns it into "no user"; the callback tells the person why.
            setattr(self.request, REFUSAL, refusal.reason)
            raise
        issuer, subject = str(payload.get("iss", ""))[:300], str(claims["sub"])[:255]
        email = User.objects.normalize_email(str(claims["email"]).strip())
        try:
            with transaction.atomic():
                return self._account(issuer, subject, email)
        except IntegrityError:
            # A second sign-in of the same person at the same moment made the link: use it.
            link = CityAccountLink.objects.select_related("user").get(issuer=issuer, subject=subject)
            return link.user

    def _account(self, issuer, subject, email):
        link = CityAccountLink.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        if link is not None:
            CityAccountLink.objects.filter(pk=link.pk).update(last_used=timezone.now())
            return link.user
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            user = User(username=_free_username(email), email=email, role=Role.CITIZEN, email_verified=True)
            user.set_unusable_password()
            user.save()
        elif not user.email_verified:
            user.email_verified = True
            user.set_unusable_password()
            user.save(update_fields=["email_verified", "password"])
        CityAccountLink.objects.create(user=user, issuer=issuer, subject=subject)
        return user


def _enabled():
    if not settings.CITY_LOGIN:
        raise Http404()


class CityLoginStart(OIDCAuthenticationRequestView):
    """GET: off to the provider, with ``next`` kept for the way back."""

    def __init__(self, *args, **kwargs):
        _enabled()
        super().__init__(*args, **kwargs)


class CityLoginCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code, or with an error."""

    def __init__(self, *args, **kwargs):
        _enabled()
        super().__init__(*args, **kwargs)

    def get(self, request):
        error = request.GET.get("error")
        try:
            response = super().get(request)
        except Refused as refusal:
            return self._failed(refusal.reason)
        except (requests.RequestException, SuspiciousOperation, ValueError, KeyError) as problem:
            logger.warning("Sign-in with the city's account failed: %r", problem)
            return self._failed(
                _("Die Anmeldung mit dem Konto der Stadt hat nicht geklappt. Bitte versuchen Sie es noch einmal.")
            )
        refusal = getattr(request, REFUSAL, None)
        if refusal:
            return self._failed(refusal)
        if error or not request.user.is_authenticated:
            if error == "access_denied":
                return self._failed(_("Sie haben die Anmeldung mit dem Konto der Stadt abgebrochen."))
            if error:
                return self._failed(
                    _("Der Anmeldedienst der Stadt hat die Anmeldung nicht erlaubt (Fehler: %(error)s).")
                    % {"error": error[:60]}
                )
            return self._failed(
                _("Die Anmeldung mit dem Konto der Stadt hat nicht geklappt. Bitte versuchen Sie es noch einmal.")
            )
        return response

    def _failed(self, reason):
        messages.error(self.request, reason)
        return self.login_failure()
