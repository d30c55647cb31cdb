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
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import extensions
from .models import (
    AuditLogEntry,
    CityAccountLink,
    Feedback,
    FeedbackAnswer,
    FeedbackReport,
    Follow,
    Notification,
    Role,
    StatusChange,
    User,
)

VERIFICATION_SALT = "participation.accounts.verify-email"


class VerificationError(Exception):
    """A verification link that cannot be used; ``expired`` tells why."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def register_citizen(username, email, password):
    """A new citizen account: ``(user, True)``. It can sign in at once, but gives feedback only
    after verifying the e-mail. For an address that already has an account: ``(owner, False)``
    and nothing changes; the caller answers as for a new account and tells the owner by mail,
    so that the form does not say who has an account. The password is hashed either way, so
    that the time taken does not tell either."""
    email = User.objects.normalize_email(email.strip())
    user = User(username=username, email=email, role=Role.CITIZEN, email_verified=False)
    user.set_password(password)
    owner = _owner_of(email)
    if owner is not None:
        return owner, False
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two registrations at the same moment: the database constraint decides.
        owner = _owner_of(email)
        if owner is not None:
            return owner, False
        raise ValidationError({"username": _("Dieser Benutzername ist bereits vergeben.")}) from None
    return user, True


def _owner_of(email):
    # Case-insensitive, as the database constraint.
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def _with_next(path, next_url):
    """``path`` with the page to go back to afterwards (a path of this site, checked by the caller)."""
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def send_registration_attempt_email(owner, request=None, next_url=""):
    """Tell the owner of an address that someone tried to register with it, with the ways
    back into their account. In the language of the page the attempt came from (the
    platform keeps no language per account). The login link leads back to ``next_url``."""
    if not owner.email:
        return False

    def link(name, next_url=""):
        path = _with_next(reverse(name), next_url)
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path

    context = {
        "user": owner,
        "login_link": link("accounts:login", next_url),
        "reset_link": link("accounts:password_reset"),
        "site_name": "Heilbronn gestaltet digital",
    }
    subject = " ".join(render_to_string("emails/registration_attempt_subject.txt", context).split())
    body = render_to_string("emails/registration_attempt.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
    return True


def verification_token(user):
    """A signed token naming the account and the address it confirms; it expires (checked on use)."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=VERIFICATION_SALT, compress=True)


def verification_link(user, request=None, next_url=""):
    """The link that confirms the address; after it the browser goes on to ``next_url``."""
    path = _with_next(reverse("accounts:verify_email", args=[verification_token(user)]), next_url)
    # With a request the link points at the host the user is on (ALLOWED_HOSTS guards it); otherwise SITE_URL.
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


def send_verification_email(user, request=None, next_url=""):
    """Mail the account a link that confirms its address and then leads back to ``next_url``.
    Returns False when there is nothing to confirm."""
    if user.email_verified or not user.email:
        return False
    context = {
        "user": user,
        "link": verification_link(user, request, next_url),
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
    """Delete the account and everything personal in it after checking the password (an
    account without one, signed in with the city's account, confirms with its user name).

    Feedback and reports go with it (CASCADE). Audit entries about moderated
    feedback of this user keep only the id, never the author or the text.
    Workshop participation loses its name and account link everywhere (the
    participant, the stored events, hence snapshots, sync and exports); the cards,
    comments, likes and poll votes stay on the board, nameless. The consultations'
    register keeps the fact of a vote without the account (SET_NULL).
    """
    if not user.has_usable_password():
        # Signed in with the city's account, without a password: the user name confirms.
        if password != user.get_username():
            raise ValidationError({"password": _("Das ist nicht Ihr Benutzername.")})
    elif not user.check_password(password):
        raise ValidationError({"password": _("Das Passwort ist nicht richtig.")})
    with transaction.atomic():
        feedback_ids = [str(pk) for pk in Feedback.objects.filter(author=user).values_list("pk", flat=True)]
        for feedback_id in feedback_ids:
            AuditLogEntry.objects.filter(target_type="feedback", target_id=feedback_id).update(
                target_repr=f"Rückmeldung #{feedback_id}"
            )
        # What the apps above keep of the account (workshops: the name on the boards).
        extensions.erase_account(user)
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
    Workshop participation comes with what the person wrote, liked and voted
    there; consultations only as "took part", never with a ballot.
    """
    feedback = Feedback.objects.filter(author=user).select_related("process", "measure", "project", "lab", "answer")
    answers = FeedbackAnswer.objects.filter(answered_by=user).order_by("created")
    status_changes = StatusChange.objects.filter(changed_by=user).select_related("measure", "project")
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
            "notification_mail": user.notification_mail,
            "language": user.language,
        },
        # Sign-ins with the city's account: the provider and its id of the person.
        "city_account_links": [
            {
                "issuer": link.issuer,
                "subject": link.subject,
                "created": _iso(link.created),
                "last_used": _iso(link.last_used),
            }
            for link in CityAccountLink.objects.filter(user=user).order_by("pk")
        ],
        # What the account follows, and the changes it was (or is to be) told of by mail.
        "follows": [
            {
                "kind": follow.target._meta.model_name,
                "id": follow.target.pk,
                "title": str(follow.target),
                "since": _iso(follow.created),
            }
            for follow in Follow.objects.filter(user=user).select_related(
                "process", "field", "measure", "project", "lab"
            )
        ],
        "notifications": [
            {"change": row.key, "created": _iso(row.created), "mailed_at": _iso(row.sent_at)}
            for row in Notification.objects.filter(user=user).order_by("pk")
        ],
        "feedback": [
            {
                "id": item.pk,
                "target": _target_info(item),
                "text": item.text,
                # A place in a living lab, if the feedback was given with one.
                "place": (
                    {"latitude": float(item.latitude), "longitude": float(item.longitude)} if item.located else None
                ),
                "status": item.status,
                "flagged": item.flagged,
                "moderation_reason": item.moderation_reason,
                "moderated_at": _iso(item.moderated_at),
                "created": _iso(item.created),
                # The city's answer to it, without the name of who wrote it.
                "answer": (
                    {
                        "text": item.official_answer.text,
                        "state": item.official_answer.state,
                        "answered_at": _iso(item.official_answer.updated),
                    }
                    if item.official_answer
                    else None
                ),
            }
            for item in feedback
        ],
        # Answers this account wrote for the city (a facilitator's): they stay when it goes.
        "answers_written": [
            {
                "feedback_id": answer.feedback_id,
                "text": answer.text,
                "state": answer.state,
                "created": _iso(answer.created),
                "updated": _iso(answer.updated),
            }
            for answer in answers
        ],
        # Statuses this account set on measures and projects (a facilitator's): the history keeps them.
        "status_changes_made": [
            {
                "target": {"kind": change.target._meta.model_name, "id": change.target.pk, "title": str(change.target)},
                "status": change.status,
                "reason": change.reason,
                "reason_en": change.reason_en,
                "changed_at": _iso(change.changed_at),
            }
            for change in status_changes
        ],
        "reports": [
            {"feedback_id": report.feedback_id, "reason": report.reason, "created": _iso(report.created)}
            for report in reports
        ],
        # Workshop participation and consultations voted in, from the apps that keep them.
        **extensions.personal_data(user),
    }
