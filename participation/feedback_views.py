"""The feedback (comment) section of processes, measures, projects and living
labs: posting, reporting, moderation, and the facilitators' moderation queue.

Every state change goes through actions.py; after it the browser is sent back
to the page it came from (post/redirect/get). ``section_context`` is what the
``feedback/_section.html`` partial shows, for whoever is looking.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import actions, notices, rules
from .errors import RateLimited
from .forms import AnswerForm, FeedbackForm, ModerationForm, ReportForm
from .models import (
    ANSWER_MAX_LENGTH,
    AnswerState,
    Feedback,
    FeedbackReport,
    FeedbackStatus,
    LivingLab,
    Measure,
    Process,
    Project,
)

# URL kind -> (model, Feedback field that points at it)
KINDS = {
    "process": (Process, "process"),
    "measure": (Measure, "measure"),
    "project": (Project, "project"),
    "lab": (LivingLab, "lab"),
}
_KIND_OF_MODEL = {model: kind for kind, (model, _field) in KINDS.items()}


def kind_of(target):
    return _KIND_OF_MODEL[type(target)]


def process_of(target):
    return target if isinstance(target, Process) else target.process


def published_target(kind, pk):
    """The published process, measure, project or lab; 404 for anything else, so nothing unpublished leaks."""
    if kind not in KINDS:
        raise Http404
    model, _field = KINDS[kind]
    return get_object_or_404(model.objects.published(), pk=pk)


def target_is_published(target):
    model = type(target)
    return model.objects.published().filter(pk=target.pk).exists()


def feedback_for(target, user):
    """The feedback a user may see on a target: all of it for its facilitators, else only the visible."""
    _model, field = KINDS[kind_of(target)]
    items = Feedback.objects.filter(**{field: target}).select_related("author", "answer__answered_by")
    if rules.can_manage_process(user, process_of(target)):
        return items.annotate(report_count=Count("reports")), True
    return items.visible(), False


def section_context(request, target, form=None):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    kind = kind_of(target)
    items, can_moderate = feedback_for(target, user)
    items = list(items)
    reported = set()
    if signed_in and items:
        reported = set(
            FeedbackReport.objects.filter(reporter=user, feedback__in=[item.pk for item in items]).values_list(
                "feedback_id", flat=True
            )
        )
    can_post = rules.can_give_feedback(user)
    if can_post and form is None:
        form = FeedbackForm(auto_id=f"feedback-{kind}-{target.pk}-%s")
    here = request.get_full_path() if request is not None else target.get_absolute_url()
    # Confirmations shown where the browser lands (participation/notices.py).
    for item in items:
        item.notes = notices.placed(request, notices.feedback_item(item.pk))
    return {
        "target": target,
        "kind": kind,
        "items": items,
        "signed_in": signed_in,
        "can_post": can_post,
        "needs_verification": signed_in and not can_post,
        "can_moderate": can_moderate,
        "answer_states": AnswerState.choices if can_moderate else [],
        "answer_max_length": ANSWER_MAX_LENGTH,
        "reported_ids": reported,
        "form": form if can_post else None,
        "here": here,
        "notes": notices.placed(request, notices.FEEDBACK_SECTION),
    }


def _back_to(target, anchor="rueckmeldungen"):
    return f"{target.get_absolute_url()}#{anchor}"


def _render_target_page(request, target, status=200, form=None, error=None):
    context = {"target": target, "feedback_form": form, "error_message": error}
    return render(request, "feedback/target.html", context, status=status)


@require_http_methods(["GET", "POST"])
def target_feedback(request, kind, pk):
    """GET: the feedback of one target on a page of its own. POST: a new piece of feedback."""
    target = published_target(kind, pk)
    if request.method == "GET":
        return _render_target_page(request, target)
    if not request.user.is_authenticated:
        return redirect_to_login(_back_to(target))
    form = FeedbackForm(request.POST, auto_id=f"feedback-{kind}-{target.pk}-%s")
    if form.is_valid():
        try:
            feedback = actions.post_feedback(
                request.user,
                target,
                form.cleaned_data["text"],
                form.cleaned_data.get("latitude"),
                form.cleaned_data.get("longitude"),
            )
        except PermissionDenied as error:
            return _render_target_page(request, target, status=403, error=str(error))
        except RateLimited as error:
            return _render_target_page(request, target, status=429, form=form, error=str(error))
        except ValidationError as error:
            # The place is two fields; its error is said once, above the form.
            place = getattr(error, "error_dict", {}).pop("place", None)
            form.add_error(None, place or error)
        else:
            # Said in the new item itself, where the page lands, not at the top of the page.
            place = notices.feedback_item(feedback.pk)
            messages.success(request, _("Danke! Ihre Rückmeldung ist veröffentlicht."), notices.placed_at(place))
            return redirect(_back_to(target, place))
    return _render_target_page(request, target, status=400, form=form)


def _feedback_or_404(pk):
    feedback = get_object_or_404(
        Feedback.objects.select_related("process", "measure__process", "project__process", "lab__process"), pk=pk
    )
    return feedback, feedback.target


@require_POST
def report(request, pk):
    feedback, target = _feedback_or_404(pk)
    can_moderate = rules.can_moderate_feedback(request.user, feedback)
    # Hidden feedback and unpublished targets do not exist for anyone but the moderation.
    if not can_moderate and (feedback.status != FeedbackStatus.VISIBLE or not target_is_published(target)):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(_back_to(target))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_target_page(request, target, status=400, error=" ".join(form.errors["reason"]))
    place = notices.feedback_item(feedback.pk)
    if actions.report_feedback(request.user, feedback, form.cleaned_data["reason"]):
        text = _("Danke, die Rückmeldung ist gemeldet. Die Moderation sieht sie sich an.")
        messages.success(request, text, notices.placed_at(place))
    else:
        messages.info(request, _("Sie haben diese Rückmeldung bereits gemeldet."), notices.placed_at(place))
    return redirect(_back_to(target, place))


def _moderators_post(request, pk, form_class):
    """``(feedback, target, valid form), None`` for a POST of a facilitator of the feedback's
    process, else ``None`` and the response that ends it (the login, or the page with the
    form's errors); 404 for everyone else."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(reverse("feedback:queue"))
    feedback, target = _feedback_or_404(pk)
    if not rules.can_moderate_feedback(request.user, feedback):
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        reasons = " ".join(error for errors in form.errors.values() for error in errors)
        return None, _render_target_page(request, target, status=400, error=reasons)
    return (feedback, target, form), None


@require_POST
def moderate(request, pk):
    posted, response = _moderators_post(request, pk, ModerationForm)
    if posted is None:
        return response
    feedback, target, form = posted
    hide = form.cleaned_data["decision"] == "hide"
    actions.moderate_feedback(request.user, feedback, hide=hide, reason=form.cleaned_data["reason"])
    if hide:
        messages.success(request, _("Die Rückmeldung ist ausgeblendet."))
    else:
        messages.success(request, _("Die Rückmeldung ist wieder sichtbar."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    if target_is_published(target):
        return redirect(_back_to(target, f"rueckmeldung-{feedback.pk}"))
    return redirect("feedback:queue")


@require_POST
def answer(request, pk):
    """A facilitator of the process answers a piece of feedback publicly, or changes the answer."""
    posted, response = _moderators_post(request, pk, AnswerForm)
    if posted is None:
        return response
    feedback, target, form = posted
    try:
        actions.answer_feedback(request.user, feedback, form.cleaned_data["text"], form.cleaned_data["state"])
    except ValidationError as error:
        return _render_target_page(request, target, status=400, error=" ".join(error.messages))
    place = notices.feedback_item(feedback.pk)
    messages.success(request, _("Die Antwort ist veröffentlicht."), notices.placed_at(place))
    if target_is_published(target):
        return redirect(_back_to(target, place))
    return redirect("feedback:queue")


def _managed_feedback(user):
    """Feedback on everything in the processes this facilitator manages (all of it for superusers)."""
    items = Feedback.objects.select_related(
        "author", "process", "measure__process", "project__process", "lab__process"
    ).annotate(report_count=Count("reports"))
    if user.is_superuser:
        return items
    processes = user.facilitated_processes.all()
    return items.filter(
        Q(process__in=processes)
        | Q(measure__process__in=processes)
        | Q(project__process__in=processes)
        | Q(lab__process__in=processes)
    )


@login_required
@require_GET
def queue(request):
    """The moderation queue: reported feedback first, then what is hidden."""
    if not rules.is_facilitator(request.user):
        raise PermissionDenied
    managed = _managed_feedback(request.user)
    context = {
        "flagged": managed.filter(flagged=True).order_by("created"),
        "hidden": managed.filter(status=FeedbackStatus.HIDDEN, flagged=False).order_by("-moderated_at")[:50],
        # Waiting for the city's answer, the longest waiting first.
        "unanswered": managed.filter(status=FeedbackStatus.VISIBLE, flagged=False, answer__isnull=True).order_by(
            "created"
        )[:50],
        "unanswered_count": managed.filter(status=FeedbackStatus.VISIBLE, flagged=False, answer__isnull=True).count(),
    }
    return render(request, "feedback/queue.html", context)
