"""manage.py load_demo: the Heilbronn demo process, loaded idempotently."""

import dataclasses
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.authtoken.models import Token

from demo import content
from participation import rules
from participation.models import (
    AuditLogEntry,
    Feedback,
    FeedbackReport,
    FeedbackStatus,
    FieldOfAction,
    LivingLab,
    Measure,
    Process,
    Project,
    Role,
    User,
)
from tests import factories

DEMO = content.read()
FACILITATOR = DEMO.accounts["facilitator"]
CITIZEN = DEMO.accounts["citizen"]
SLUG = "gesamtkonzept-digitalisierung"

# Generously around the city of Heilbronn (centre about 49.142 N, 9.219 E).
HEILBRONN_BOX = {"lat": (49.08, 49.21), "lon": (9.12, 9.31)}

COUNTED = {
    "users": User.objects,
    "processes": Process.objects,
    "fields": FieldOfAction.objects,
    "measures": Measure.objects,
    "projects": Project.objects,
    "labs": LivingLab.objects,
    "feedback": Feedback.objects,
    "reports": FeedbackReport.objects,
    "audit entries": AuditLogEntry.objects,
    "tokens": Token.objects,
    "groups": Group.objects,
    "permissions": Permission.objects,
    "lab-project links": LivingLab.projects.through.objects,
    "process facilitators": Process.facilitators.through.objects,
    "user groups": User.groups.through.objects,
    "user permissions": User.user_permissions.through.objects,
    "group permissions": Group.permissions.through.objects,
}


@pytest.fixture(autouse=True)
def demo_settings(settings):
    settings.DEBUG = True  # the command is for development; pytest turns DEBUG off
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return {name: manager.count() for name, manager in COUNTED.items()}


def timestamps():
    return {
        model.__name__: sorted(model.objects.values_list("pk", "updated"))
        for model in (Process, FieldOfAction, Measure, Project, LivingLab)
    }


def demo_process():
    return Process.objects.get(slug=SLUG)


def inside(point, polygon):
    """Ray casting: is the [lat, lon] point inside the polygon?"""
    lat, lon = point
    result = False
    for (lat1, lon1), (lat2, lon2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (lon1 > lon) != (lon2 > lon) and lat < (lat2 - lat1) * (lon - lon1) / (lon2 - lon1) + lat1:
            result = not result
    return result


def in_heilbronn(lat, lon):
    return HEILBRONN_BOX["lat"][0] < lat < HEILBRONN_BOX["lat"][1] and (
        HEILBRONN_BOX["lon"][0] < lon < HEILBRONN_BOX["lon"][1]
    )


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    first_output = load()
    after_first = counts()
    stamps = timestamps()
    password_hashes = dict(User.objects.values_list("username", "password"))

    second_output = load()

    assert counts() == after_first
    assert timestamps() == stamps
    assert dict(User.objects.values_list("username", "password")) == password_hashes
    assert "Rows created: 0," not in first_output
    assert "Rows created: 0, updated: 0," in second_output
    assert after_first["users"] == 2 and after_first["tokens"] == 1 and after_first["feedback"] == 5


@pytest.mark.django_db
def test_summary_names_the_counts_and_the_facilitator_login():
    output = load()

    assert "measures: 27" in output
    assert "living labs: 2" in output
    assert f"{FACILITATOR['username']} / {FACILITATOR['password']}" in output


@pytest.mark.django_db
def test_demo_process_has_the_promised_content():
    load()
    process = demo_process()

    assert process.published
    assert process.starts_on.year == 2026 and process.ends_on.year == 2027
    assert process.description.count("\n\n") >= 3
    assert process.fields.count() >= 7
    assert list(process.fields.values_list("position", flat=True)) == list(range(1, process.fields.count() + 1))
    measures = process.measures.all()
    assert measures.count() >= 24
    statuses = set(measures.values_list("status", flat=True))
    assert statuses == {"proposed", "planned", "in_progress", "done", "rejected"}
    assert measures.filter(status="rejected").count() == 1
    assert measures.filter(status="proposed").count() > measures.count() / 2
    assert set(measures.values_list("origin", flat=True)) == {"catalogue", "workshop", "citizen"}
    assert measures.filter(estimated_cost__isnull=False).count() > measures.count() / 2
    assert all(m.description.count("\n\n") >= 1 for m in measures)
    projects = process.projects.all()
    assert projects.count() >= 12
    assert projects.filter(owner_kind="city").exists() and projects.filter(owner_kind="company").exists()
    assert set(projects.values_list("status", flat=True)) == {"planned", "running", "completed"}
    assert 1 <= projects.filter(public=False).count() <= 2
    assert all(p.contact_email.endswith("@example.org") for p in projects)
    assert process.labs.count() == 2


@pytest.mark.django_db
def test_every_text_is_there_in_german_and_english():
    load()
    process = demo_process()
    items = [process, *process.fields.all(), *process.measures.all(), *process.projects.all(), *process.labs.all()]

    for item in items:
        for name in ("title", "summary", "description"):
            german, english = getattr(item, name), getattr(item, f"{name}_en")
            assert german.strip() and english.strip(), (item, name)
        assert item.summary != item.summary_en, item
    for lab in process.labs.all():
        assert lab.area_description.strip() and lab.area_description_en.strip()
    measure = process.measures.get(slug="intelligentes-verkehrsmanagement")
    with translation.override("en"):
        assert measure.title_t == "Intelligent digital traffic management"
    with translation.override("de"):
        assert measure.title_t == "Intelligentes, digitales Verkehrsmanagement"


@pytest.mark.django_db
def test_facilitator_logs_in_with_the_stated_password_and_manages_the_process(client):
    load()
    process = demo_process()
    user = User.objects.get(username=FACILITATOR["username"])

    assert client.login(username=FACILITATOR["username"], password=FACILITATOR["password"])
    assert user.role == Role.FACILITATOR and user.is_staff and user.email_verified
    assert process.facilitators.filter(pk=user.pk).exists()
    assert rules.can_manage_process(user, process)
    assert Token.objects.filter(user=user).exists()
    for model in ("process", "fieldofaction", "measure", "project", "livinglab", "feedback"):
        for action in ("view", "add", "change", "delete"):
            assert user.has_perm(f"participation.{action}_{model}"), (action, model)
    assert user.has_perm("participation.view_auditlogentry")
    assert not user.has_perm("participation.delete_auditlogentry")
    assert client.get("/admin/participation/measure/").status_code == 200


@pytest.mark.django_db
def test_demo_citizen_logs_in_and_has_commented_on_measures(client):
    load()

    assert client.login(username=CITIZEN["username"], password=CITIZEN["password"])
    citizen = User.objects.get(username=CITIZEN["username"])
    assert citizen.role == Role.CITIZEN and citizen.email_verified and not citizen.is_staff
    feedback = Feedback.objects.filter(author=citizen)
    assert feedback.count() == len(DEMO.feedback) >= 3
    assert all(f.target.process.slug == SLUG and f.status == FeedbackStatus.VISIBLE for f in feedback)
    # One of them is placed on the map inside its living lab.
    (placed,) = feedback.filter(latitude__isnull=False)
    assert placed.lab.slug == "reallabor-neckarbogen"


@pytest.mark.django_db
def test_measures_and_projects_belong_to_fields_of_their_own_process():
    load()
    process = demo_process()

    for item in [*process.measures.all(), *process.projects.all()]:
        assert item.field is not None and item.field.process_id == process.pk, item
    assert all(field.measures.exists() for field in process.fields.all())


@pytest.mark.django_db
def test_living_labs_lie_in_heilbronn_and_link_projects():
    load()

    for lab in demo_process().labs.all():
        lat, lon = float(lab.latitude), float(lab.longitude)
        assert in_heilbronn(lat, lon), lab
        assert 4 <= len(lab.boundary) <= 6
        assert all(in_heilbronn(*point) for point in lab.boundary), lab
        assert inside([lat, lon], lab.boundary), lab
        linked = lab.projects.all()
        assert 2 <= linked.count() <= 3
        assert all(p.process_id == lab.process_id and p.public for p in linked)


@pytest.mark.django_db
def test_rerun_restores_edited_demo_content_and_passwords(client):
    load()
    Measure.objects.filter(slug="intelligentes-verkehrsmanagement").update(title="Geändert", status="done")
    Process.objects.filter(slug=SLUG).update(published=False)
    facilitator = User.objects.get(username=FACILITATOR["username"])
    facilitator.set_password("ein-anderes-passwort-99")
    facilitator.save()

    output = load()

    measure = Measure.objects.get(slug="intelligentes-verkehrsmanagement")
    assert (measure.title, measure.status) == ("Intelligentes, digitales Verkehrsmanagement", "planned")
    assert demo_process().published
    assert client.login(username=FACILITATOR["username"], password=FACILITATOR["password"])
    assert "updated: 3," in output


@pytest.mark.django_db
def test_rerun_keeps_what_was_added_by_hand_and_moderation():
    load()
    process = demo_process()
    own_measure = factories.make_measure(process=process, field=process.fields.first())
    own_project = factories.make_project(process=process)
    lab = process.labs.first()
    lab.projects.add(own_project)
    hidden = Feedback.objects.first()
    hidden.status = FeedbackStatus.HIDDEN
    hidden.save()
    before = counts()

    load()

    assert counts() == before
    assert Measure.objects.filter(pk=own_measure.pk).exists()
    assert lab.projects.filter(pk=own_project.pk).exists()
    hidden.refresh_from_db()
    assert hidden.status == FeedbackStatus.HIDDEN


@pytest.mark.django_db
def test_refuses_to_run_without_debug_unless_allowed(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--allow-production"):
        load()
    assert not Process.objects.exists() and not User.objects.exists()

    load(allow_production=True)
    assert demo_process().measures.count() >= 24


@pytest.mark.django_db
def test_invalid_demo_data_loads_nothing_at_all(monkeypatch):
    broken_lab = {**DEMO.labs[1], "boundary": [[49.14, 9.21]]}
    monkeypatch.setattr(content, "read", lambda: dataclasses.replace(DEMO, labs=[DEMO.labs[0], broken_lab]))

    with pytest.raises(CommandError, match="invalid"):
        load()

    assert not Process.objects.exists()
    assert not Measure.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_shows_status_histories_and_an_answer_of_the_city(client):
    load()
    process = demo_process()
    done = process.measures.get(slug="online-terminvergabe")
    assert [s.status for s in done.status_changes.all()] == ["in_progress", "done"]
    for target in [*process.measures.all(), *process.projects.all()]:
        steps = list(target.status_changes.all())
        assert not steps or steps[-1].status == target.status, target  # the history ends where the object stands
        assert all(target.created <= step.changed_at for step in steps), target
    html = client.get(done.get_absolute_url()).content.decode()
    assert "Alle Bürgerämter vergeben ihre Termine jetzt online" in html
    answered = process.measures.get(slug="schulwegradar").feedback.get()
    assert answered.official_answer.state == "considered"
    assert "Antwort der Stadt" in client.get(answered.measure.get_absolute_url()).content.decode()
