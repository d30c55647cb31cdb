"""Following and the mail it brings: the follow button, the page to manage both, and the
unsubscribe link of every mail. Thin: participation/notifications.py changes state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import notifications
from .account_views import _with_next, next_url
from .forms import NotificationPreferencesForm


@require_POST
def follow(request):
    """Follow or stop following what the form names (``target`` = "measure:12")."""
    back = next_url(request, request.POST.get("next"))
    if not request.user.is_authenticated:
        return redirect(_with_next(reverse("accounts:login"), back))
    kind, _sep, raw_id = str(request.POST.get("target", "")).partition(":")
    target = (
        notifications.followed_target(kind, int(raw_id))
        if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
        else None
    )
    action = request.POST.get("action")
    if target is None or action not in {"follow", "unfollow"}:
        messages.error(request, _("Dem können Sie nicht folgen: Es ist nicht (mehr) öffentlich."))
        return redirect(back or "accounts:notifications")
    title = target.title_t
    if action == "follow":
        notifications.follow(request.user, target)
        if request.user.email_verified:
            messages.success(
                request,
                _("Sie folgen jetzt „%(title)s“. Wir schreiben Ihnen, wenn sich etwas ändert.") % {"title": title},
            )
        else:
            messages.warning(
                request,
                _("Sie folgen jetzt „%(title)s“. E-Mails schicken wir, sobald Sie Ihre Adresse bestätigt haben.")
                % {"title": title},
            )
    elif notifications.unfollow(request.user, target):
        messages.success(request, _("Sie folgen „%(title)s“ nicht mehr.") % {"title": title})
    return redirect(back or "accounts:notifications")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request):
    """What the account follows, and how and in which language it hears of it."""
    user = request.user
    initial = {"notification_mail": user.notification_mail, "language": user.language}
    form = NotificationPreferencesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notifications.set_preferences(
                    user, form.cleaned_data["notification_mail"], form.cleaned_data["language"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Ihre Einstellungen sind gespeichert."))
                return redirect("accounts:notifications")
        status = 400
    context = {"form": form, "follows": notifications.follows_of(user)}
    return render(request, "accounts/notifications.html", context, status=status)


@csrf_exempt  # RFC 8058: mail programs POST here without a form; the signed token is the authority
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Every mail's link: a button that stops all mail about follows. A POST (the button, or a
    mail program's one-click unsubscribe) does it; a GET only asks, as link checkers open links."""
    user = notifications.user_of_unsubscribe_token(token)
    if user is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        notifications.unsubscribe(user)
        done = True
    context = {"done": done, "already": not done and user.notification_mail == "off", "token": token}
    return render(request, "accounts/unsubscribe.html", context)
