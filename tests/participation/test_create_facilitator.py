"""manage.py create_facilitator: an account for city staff, with an API token that works."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from participation.models import AuditLogEntry, Role, User
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Rathaus-Heilbronn-2030!"


def run(*args):
    out = StringIO()
    call_command("create_facilitator", *args, stdout=out)
    return out.getvalue()


def test_prints_a_token_that_authenticates_an_api_write(client, process):
    output = run("anna", "--password", GOOD_PASSWORD, "--email", "anna@heilbronn.example", "--process", process.slug)

    user = User.objects.get(username="anna")
    token = output.strip().splitlines()[-1]
    assert token == Token.objects.get(user=user).key
    assert user.role == Role.FACILITATOR
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(GOOD_PASSWORD)
    assert user.email == "anna@heilbronn.example"
    assert list(process.facilitators.all()) == [user]

    response = client.post(
        "/api/measures/",
        {"process": process.id, "title": "Digitale Bürgerdienste"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 201


def test_facilitator_may_use_the_admin_for_content_but_not_for_accounts(client, process):
    run("ben", "--password", GOOD_PASSWORD, "--process", process.slug)
    client.login(username="ben", password=GOOD_PASSWORD)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/participation/measure/").status_code == 200
    assert client.get("/admin/participation/measure/add/").status_code == 200
    assert client.get("/admin/participation/project/").status_code == 200
    assert client.get("/admin/participation/livinglab/").status_code == 200
    assert client.get("/admin/participation/feedback/").status_code == 200
    assert client.get("/admin/participation/auditlogentry/").status_code == 200
    assert client.get("/admin/participation/user/").status_code == 403


def test_prompts_twice_for_the_password(monkeypatch, db):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("clara")
    assert User.objects.get(username="clara").check_password(GOOD_PASSWORD)


def test_prompted_passwords_must_match(monkeypatch, db):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        run("clara")
    assert not User.objects.filter(username="clara").exists()


def test_no_password_and_no_terminal_is_a_clear_error(monkeypatch, db):
    def no_input(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_input)
    with pytest.raises(CommandError, match="--password"):
        run("dora")
    assert not User.objects.filter(username="dora").exists()


def test_existing_citizen_becomes_facilitator_and_keeps_token_on_rerun(process):
    citizen = factories.make_user(username="emil")
    first = run("emil", "--process", process.slug)
    second = run("emil", "--process", process.slug)

    citizen.refresh_from_db()
    assert citizen.role == Role.FACILITATOR
    assert citizen.is_staff
    assert citizen.check_password(factories.PASSWORD)  # no --password: the password stays
    assert first.splitlines()[-1] == second.splitlines()[-1]
    assert Token.objects.filter(user=citizen).count() == 1
    assert list(process.facilitators.all()) == [citizen]
    # Being added to a process is audited once, not on every rerun.
    assert AuditLogEntry.objects.filter(target_type="process", target_id=str(process.pk)).count() == 1


def test_several_processes(db):
    one, two = factories.make_process(), factories.make_process()
    run("fritz", "--password", GOOD_PASSWORD, "--process", one.slug, two.slug)
    fritz = User.objects.get(username="fritz")
    assert set(fritz.facilitated_processes.all()) == {one, two}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--password", GOOD_PASSWORD], "empty"),
        (["   ", "--password", GOOD_PASSWORD], "empty"),
        (["mit leerzeichen", "--password", GOOD_PASSWORD], "Invalid username"),
        (["gerd", "--password", "kurz"], "Password rejected"),
        (["gerd", "--password", "1234567890123"], "Password rejected"),
        (["gerd", "--password", GOOD_PASSWORD, "--process", "gibt-es-nicht"], "gibt-es-nicht"),
        (["gerd", "--password", GOOD_PASSWORD, "--email", "keine-adresse"], "e-mail"),
    ],
)
def test_bad_input_is_a_command_error_and_creates_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not User.objects.exists()


def test_email_of_another_account_is_refused(db):
    factories.make_user(email="hanna@example.org")
    with pytest.raises(CommandError, match="another account"):
        run("hans", "--password", GOOD_PASSWORD, "--email", "Hanna@Example.org")
    assert not User.objects.filter(username="hans").exists()


def test_weak_password_for_existing_user_changes_nothing(process):
    user = factories.make_user(username="ida")
    with pytest.raises(CommandError, match="Password rejected"):
        run("ida", "--password", "ida", "--process", process.slug)
    user.refresh_from_db()
    assert user.role == Role.CITIZEN
    assert not user.is_staff
    assert not process.facilitators.exists()


def run_with_stderr(*args):
    out, err = StringIO(), StringIO()
    call_command("create_facilitator", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_process_it_warns_that_the_account_can_create_nothing_and_names_the_processes(process):
    other = factories.make_process(slug="zweiter-prozess")
    out, err = run_with_stderr("jana", "--password", GOOD_PASSWORD)

    assert "'jana' facilitates no process" in err
    assert "refused with 403" in err
    assert f"Processes: {', '.join(sorted([process.slug, other.slug]))}." in err
    assert "--process" in err
    # The token stays the last line of the output, for scripts.
    jana = User.objects.get(username="jana")
    assert out.splitlines()[-1] == Token.objects.get(user=jana).key
    assert not jana.facilitated_processes.exists()


def test_without_any_process_the_warning_says_to_create_one_first(db):
    _, err = run_with_stderr("kai", "--password", GOOD_PASSWORD)
    assert "There is no process yet" in err
    assert "--process SLUG" in err


def test_at_a_terminal_it_asks_for_the_processes(monkeypatch, process):
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or f" {process.slug} ")
    out, err = run_with_stderr("lena", "--password", GOOD_PASSWORD)

    assert asked == ["Slugs separated by spaces (Enter for none): "]
    assert f"  {process.slug}  {process.title}" in out
    assert list(process.facilitators.values_list("username", flat=True)) == ["lena"]
    assert err == ""


def test_at_a_terminal_enter_means_none_and_still_warns(monkeypatch, process):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "")
    _, err = run_with_stderr("mia", "--password", GOOD_PASSWORD)
    assert "'mia' facilitates no process" in err
    assert not process.facilitators.exists()


def test_at_a_terminal_an_unknown_answer_changes_nothing(monkeypatch, process):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "gibt-es-nicht")
    with pytest.raises(CommandError, match="gibt-es-nicht"):
        run_with_stderr("nora", "--password", GOOD_PASSWORD)
    assert not User.objects.filter(username="nora").exists()


def test_a_facilitator_of_a_process_run_again_without_process_is_neither_asked_nor_warned(monkeypatch, process):
    run("olaf", "--password", GOOD_PASSWORD, "--process", process.slug)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    _, err = run_with_stderr("olaf")
    assert err == ""
