"""Pages of the citizen account: registration, e-mail verification, profile and
the GDPR pages (data export, account deletion). Thin: forms check input,
account_actions change state."""

import hashlib
import json
import logging
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import account_actions, notices, security
from .errors import RateLimited
from .forms import DeleteAccountForm, RegistrationForm, ResendVerificationForm
from .models import Feedback, User

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Longer "next" addresses are dropped: they travel in a mail link.
NEXT_MAX_LENGTH = 500


def next_url(request, value):
    """The page of this site to go back to, as a path (it goes into mail links), or "".
    Another site, a scheme other than the request's, or anything odd is dropped: no open redirect."""
    value = str(value or "").strip()
    if not value or len(value) > NEXT_MAX_LENGTH:
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(value)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return ""
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def _with_next(url, next_value):
    return f"{url}?{urlencode({'next': next_value})}" if next_value else url


def _mail_verification(request, user, next_value=""):
    """Send the verification link; a mail server failure is told, not a 500 (the link can be asked for again)."""
    try:
        return account_actions.send_verification_email(user, request, next_value)
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("verification e-mail could not be sent")
        messages.warning(request, _("Die E-Mail konnte gerade nicht verschickt werden. Bitte später erneut anfordern."))
        return False


def _mail_registration_attempt(request, owner, next_value=""):
    """Tell the owner of the address; a mail server failure is told exactly as for a new account."""
    try:
        return account_actions.send_registration_attempt_email(owner, request, next_value)
    except OSError:
        logger.exception("registration attempt e-mail could not be sent")
        messages.warning(request, _("Die E-Mail konnte gerade nicht verschickt werden. Bitte später erneut anfordern."))
        return False


# Registrations per client address (a school class registers together) and per e-mail address
# (each attempt on a registered address mails its owner) within REGISTRATION_WINDOW seconds.
REGISTRATIONS_PER_ADDRESS = 60
REGISTRATIONS_PER_EMAIL = 5
REGISTRATION_WINDOW = 3600


def _limit_registrations(request, email):
    message = _("Zu viele Registrierungen in kurzer Zeit. Bitte versuchen Sie es später erneut.")
    address = security.client_address(request)
    security.limit(f"register:address:{address}", REGISTRATIONS_PER_ADDRESS, REGISTRATION_WINDOW, message)
    # Hashed: the cache needs no readable addresses.
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    security.limit(f"register:email:{email_key}", REGISTRATIONS_PER_EMAIL, REGISTRATION_WINDOW, message)


@require_http_methods(["GET", "POST"])
def register(request):
    """A new account, or for an address that has one the same answer and a mail to its owner:
    the page does not tell who has an account (tests/participation/test_accounts_registration.py)."""
    # The page the person came from: the verification link leads back there.
    back = next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(back or "accounts:profile")
    form = RegistrationForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": back}
    if request.method == "POST" and form.is_valid():
        try:
            _limit_registrations(request, form.cleaned_data["email"])
            user, created = account_actions.register_citizen(
                form.cleaned_data["username"], form.cleaned_data["email"], form.cleaned_data["password1"]
            )
        except RateLimited as error:
            form.add_error(None, str(error))
            response = render(request, "accounts/register.html", context, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                _mail_verification(request, user, back)
            else:
                _mail_registration_attempt(request, user, back)
            return redirect(_with_next(reverse("accounts:verification_sent"), back))
    return render(request, "accounts/register.html", context, status=status)


@require_GET
def verification_sent(request):
    return render(request, "accounts/verification_sent.html", {"next": next_url(request, request.GET.get("next"))})


@require_GET
@never_cache
def verify_email(request, token):
    back = next_url(request, request.GET.get("next"))
    try:
        user, newly_verified = account_actions.verify_email(token)
    except account_actions.VerificationError as error:
        context = {"expired": error.expired, "form": ResendVerificationForm(), "next": back}
        return render(request, "accounts/verify_failed.html", context, status=400)
    if not newly_verified:
        # The link signs in only once; afterwards it just says the address is confirmed.
        return render(request, "accounts/verify_done.html", {"already": True, "next": back})
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend=MODEL_BACKEND)
    if back:
        # Back to the page the person registered from, told there (at the feedback section
        # when that is where the page lands).
        text = _(
            "Danke! Ihre E-Mail-Adresse ist bestätigt und Sie sind angemeldet. Jetzt können Sie Rückmeldungen geben."
        )
        messages.success(request, text, notices.placed_at(notices.place_for_url(back)))
        return redirect(back)
    return render(request, "accounts/verify_done.html", {"already": False})


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    """Signed in: a new link to the own address. Otherwise by address, with the same answer whether or not
    it is registered, so that this form does not tell who has an account."""
    user = request.user if request.user.is_authenticated else None
    form = ResendVerificationForm(request.POST or None) if user is None else None
    # The page the person came from: the new link leads back there, as the first did.
    back = next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        if user is not None:
            tags = notices.placed_at(notices.place_for_url(back))
            if user.email_verified:
                messages.info(request, _("Ihre E-Mail-Adresse ist bereits bestätigt."), tags)
            elif _mail_verification(request, user, back):
                messages.success(request, _("Wir haben Ihnen einen neuen Bestätigungslink geschickt."), tags)
            return redirect(back or "accounts:profile")
        if form.is_valid():
            account = User.objects.filter(
                email__iexact=form.cleaned_data["email"], is_active=True, email_verified=False
            ).first()
            if account is not None:
                _mail_verification(request, account, back)
            return redirect(_with_next(reverse("accounts:verification_sent"), back))
        context = {"form": form, "next": back}
        return render(request, "accounts/resend_verification.html", context, status=400)
    return render(request, "accounts/resend_verification.html", {"form": form, "next": back})


@login_required
@require_GET
def profile(request):
    feedback = (
        Feedback.objects.filter(author=request.user)
        .select_related("process", "measure__process", "project__process", "lab__process")
        .order_by("-created")
    )
    return render(request, "accounts/profile.html", {"feedback_list": feedback})


@login_required
@require_GET
@never_cache
def export_data(request):
    data = account_actions.export_user_data(request.user)
    filename = f"meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                account_actions.delete_account(request.user, form.cleaned_data["password"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                return redirect("accounts:delete_account_done")
        return render(request, "accounts/delete_account.html", {"form": form}, status=400)
    return render(request, "accounts/delete_account.html", {"form": form})


@require_GET
def delete_account_done(request):
    return render(request, "accounts/delete_account_done.html")
