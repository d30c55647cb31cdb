"""State changes of citizen accounts: registration, e-mail verification,
deletion and the GDPR data export.

Nothing here writes to the audit log: that log is about facilitators' actions
and must not keep personal data of citizens after they leave.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditLogEntry, Feedback, FeedbackReport, Role, User

VERIFICATION_SALT = "participation.accounts.verify-email"


class VerificationError(Exception):
    """A verification link that cannot be used; ``expired`` tells why."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def email_taken(email, exclude_pk=None):
    """Whether another account already uses this address (case-insensitive, as the database constraint)."""
    return User.objects.filter(email__iexact=email.strip()).exclude(pk=exclude_pk).exists()


def register_citizen(username, email, password):
    """A new citizen account. It can sign in at once, but gives feedback only after verifying the e-mail."""
    email = User.objects.normalize_email(email.strip())
    if email_taken(email):
        raise ValidationError({"email": _("Für diese E-Mail-Adresse gibt es bereits ein Konto.")})
    user = User(username=username, email=email, role=Role.CITIZEN, email_verified=False)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two registrations at the same moment: the database constraint decides.
        if email_taken(email):
            raise ValidationError({"email": _("Für diese E-Mail-Adresse gibt es bereits ein Konto.")}) from None
        raise ValidationError({"username": _("Dieser Benutzername ist bereits vergeben.")}) from None
    return user


def verification_token(user):
    """A signed token naming the account and the address it confirms; it expires (checked on use)."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=VERIFICATION_SALT, compress=True)


def verification_link(user, request=None):
    path = reverse("accounts:verify_email", args=[verification_token(user)])
    # With a request the link points at the host the user is on (ALLOWED_HOSTS guards it); otherwise SITE_URL.
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


def send_verification_email(user, request=None):
    """Mail the account a link that confirms its address. Returns False when there is nothing to confirm."""
    if user.email_verified or not user.email:
        return False
    context = {
        "user": user,
        "link": verification_link(user, request),
        "valid_hours": max(1, round(settings.EMAIL_VERIFICATION_MAX_AGE / 3600)),
        "site_name": "Heilbronn gestaltet digital",
    }
    subject = " ".join(render_to_string("emails/verify_email_subject.txt", context).split())
    body = render_to_string("emails/verify_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def verify_email(token):
    """Confirm the address a token names. Returns ``(user, newly_verified)``; raises VerificationError."""
    try:
        data = signing.loads(token, salt=VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise VerificationError(expired=True) from None
    except signing.BadSignature:
        raise VerificationError() from None
    if not isinstance(data, dict):
        raise VerificationError()
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    # A link for an address the account no longer has confirms nothing.
    if user is None or user.email.lower() != data.get("email"):
        raise VerificationError()
    if user.email_verified:
        return user, False
    User.objects.filter(pk=user.pk).update(email_verified=True)
    user.email_verified = True
    return user, True


def delete_account(user, password):
    """Delete the account and everything personal in it after checking the password.

    Feedback and reports go with it (CASCADE). Audit entries about moderated
    feedback of this user keep only the id, never the author or the text.
    """
    if not user.check_password(password):
        raise ValidationError({"password": _("Das Passwort ist nicht richtig.")})
    with transaction.atomic():
        feedback_ids = [str(pk) for pk in Feedback.objects.filter(author=user).values_list("pk", flat=True)]
        for feedback_id in feedback_ids:
            AuditLogEntry.objects.filter(target_type="feedback", target_id=feedback_id).update(
                target_repr=f"Rückmeldung #{feedback_id}"
            )
        user.delete()


def _target_info(feedback):
    target = feedback.target
    kind = {"process": "process", "measure": "measure", "project": "project", "livinglab": "lab"}.get(
        target._meta.model_name, target._meta.model_name
    )
    return {"kind": kind, "id": target.pk, "title": str(target)}


def _iso(value):
    return value.isoformat() if value else None


def export_user_data(user):
    """Everything the platform stores about this account, as JSON-ready data.

    Only the user's own data: no password hash, no API token, no names of
    other people (not the reporters of their feedback, not the moderators).
    """
    feedback = Feedback.objects.filter(author=user).select_related("process", "measure", "project", "lab")
    reports = FeedbackReport.objects.filter(reporter=user).order_by("created")
    return {
        "format": "heilbronn-participation/user-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "email_verified": user.email_verified,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "facilitated_processes": list(user.facilitated_processes.values_list("title", flat=True)),
        },
        "feedback": [
            {
                "id": item.pk,
                "target": _target_info(item),
                "text": item.text,
                "status": item.status,
                "flagged": item.flagged,
                "moderation_reason": item.moderation_reason,
                "moderated_at": _iso(item.moderated_at),
                "created": _iso(item.created),
            }
            for item in feedback
        ],
        "reports": [
            {"feedback_id": report.feedback_id, "reason": report.reason, "created": _iso(report.created)}
            for report in reports
        ],
    }
