"""The core domain keeps itself consistent, whatever path the data takes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from participation.models import Feedback, LivingLab, Measure, Process
from tests import factories


@pytest.mark.django_db
def test_translated_text_follows_the_active_language_and_falls_back_to_german():
    measure = factories.make_measure(title="Digitale Parkleitsysteme", title_en="Digital parking guidance")
    bare = factories.make_measure(title="Nur auf Deutsch")
    with translation.override("en"):
        assert measure.title_t == "Digital parking guidance"
        assert bare.title_t == "Nur auf Deutsch"
    with translation.override("de"):
        assert measure.title_t == "Digitale Parkleitsysteme"


@pytest.mark.django_db
def test_published_querysets_hide_unpublished_items_and_items_of_unpublished_processes():
    public = factories.make_process()
    hidden = factories.make_process(published=False)
    visible = factories.make_measure(public)
    factories.make_measure(public, published=False)
    factories.make_measure(hidden)
    factories.make_project(public, public=False)
    factories.make_project(hidden)
    project = factories.make_project(public)
    assert list(Measure.objects.published()) == [visible]
    assert list(Process.objects.published()) == [public]
    assert [p.pk for p in project.__class__.objects.published()] == [project.pk]


@pytest.mark.django_db
def test_slugs_are_unique_within_a_process_only():
    first, second = factories.make_process(), factories.make_process()
    factories.make_measure(first, slug="verkehr")
    factories.make_measure(second, slug="verkehr")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_measure(first, slug="verkehr")


@pytest.mark.django_db
def test_measure_field_must_belong_to_the_same_process():
    field = factories.make_field()
    measure = Measure(process=factories.make_process(), field=field, title="X", slug="x")
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "field" in error.value.message_dict


@pytest.mark.django_db
def test_negative_cost_and_reversed_dates_are_refused_by_the_database():
    process = factories.make_process()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_measure(process, estimated_cost=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_project(process, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))


@pytest.mark.django_db
def test_lab_boundary_must_be_a_list_of_coordinate_pairs():
    lab = factories.make_lab()
    lab.boundary = [[49.1, 9.2], [49.2, 9.2], [49.2, 9.3]]
    lab.full_clean()
    for bad in ([[49.1, 9.2]], [[91, 9.2], [49.2, 9.2], [49.2, 9.3]], "49.1,9.2", [["a", "b"], [1, 2], [3, 4]]):
        lab.boundary = bad
        with pytest.raises(ValidationError):
            lab.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        LivingLab.objects.filter(pk=lab.pk).update(latitude=Decimal("95"))


@pytest.mark.django_db
def test_feedback_targets_exactly_one_thing():
    measure = factories.make_measure()
    user = factories.make_user()
    Feedback.objects.create(author=user, measure=measure, text="Gute Idee")
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(author=user, text="an nichts")
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(author=user, measure=measure, process=measure.process, text="an zwei Dinge")


@pytest.mark.django_db
def test_email_addresses_are_unique_ignoring_case():
    factories.make_user(email="Anna@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_user(email="anna@example.org")
    factories.make_user(email="")
    factories.make_user(email="")  # several accounts without e-mail (e.g. admins) are fine
