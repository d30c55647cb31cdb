"""Small factories for the domain objects. Each returns a saved object; keyword
arguments override the defaults."""

import itertools
from decimal import Decimal

from participation.models import (
    FieldOfAction,
    LivingLab,
    Measure,
    OwnerKind,
    Process,
    Project,
    Role,
    User,
)

_counter = itertools.count(1)

PASSWORD = "ein-sicheres-passwort-42"


def _n():
    return next(_counter)


def make_user(role=Role.CITIZEN, verified=True, **kwargs):
    n = _n()
    username = kwargs.pop("username", f"user{n}")
    kwargs.setdefault("email", f"{username}@example.org")
    user = User(username=username, role=role, email_verified=verified, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_facilitator(process=None, **kwargs):
    user = make_user(role=Role.FACILITATOR, **kwargs)
    if process is not None:
        process.facilitators.add(user)
    return user


def make_process(**kwargs):
    n = _n()
    kwargs.setdefault("title", f"Digitalstrategie {n}")
    kwargs.setdefault("slug", f"prozess-{n}")
    kwargs.setdefault("published", True)
    return Process.objects.create(**kwargs)


def make_field(process=None, **kwargs):
    n = _n()
    kwargs.setdefault("title", f"Handlungsfeld {n}")
    kwargs.setdefault("slug", f"feld-{n}")
    return FieldOfAction.objects.create(process=process or make_process(), **kwargs)


def make_measure(process=None, field=None, **kwargs):
    n = _n()
    if process is None:
        process = field.process if field else make_process()
    kwargs.setdefault("title", f"Maßnahme {n}")
    kwargs.setdefault("slug", f"massnahme-{n}")
    kwargs.setdefault("summary", f"Kurzbeschreibung der Maßnahme {n}")
    return Measure.objects.create(process=process, field=field, **kwargs)


def make_project(process=None, field=None, **kwargs):
    n = _n()
    if process is None:
        process = field.process if field else make_process()
    kwargs.setdefault("title", f"Projekt {n}")
    kwargs.setdefault("slug", f"projekt-{n}")
    kwargs.setdefault("owner_organisation", "Stadt Heilbronn, Amt für Digitalisierung")
    kwargs.setdefault("owner_kind", OwnerKind.CITY)
    return Project.objects.create(process=process, field=field, **kwargs)


def make_lab(process=None, **kwargs):
    n = _n()
    kwargs.setdefault("title", f"Reallabor {n}")
    kwargs.setdefault("slug", f"reallabor-{n}")
    kwargs.setdefault("latitude", Decimal("49.14270"))
    kwargs.setdefault("longitude", Decimal("9.21090"))
    return LivingLab.objects.create(process=process or make_process(), **kwargs)
