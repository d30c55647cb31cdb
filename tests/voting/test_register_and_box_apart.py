"""Ballot secrecy: the register of who voted and the ballot box hold no link to each other."""

import json

import pytest
from django.apps import apps
from django.db import models

from tests import factories
from voting.models import Ballot, VoterRecord

from .helpers import make_consultation

pytestmark = pytest.mark.django_db


def test_no_column_of_the_ballot_box_points_at_a_person_or_the_register():
    for field in Ballot._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField):
            assert field.related_model.__name__ == "Consultation", field.name
    names = {f.name for f in Ballot._meta.get_fields()}
    assert not names & {"user", "voter", "created", "updated", "access_code", "ip"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"  # no insertion order to match with the register
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Ballot:
                pytest.fail(f"{model.__name__}.{field.name} points at a ballot")


def test_what_the_tables_hold_after_voting(client):
    consultation, _, ids = make_consultation(method="approval")
    voters = [factories.make_user(username=f"waehlerin{n}") for n in range(3)]
    for n, voter in enumerate(voters):
        client.force_login(voter)
        client.put(
            f"/api/consultations/{consultation.pk}/ballot",
            {"ballot": {"approve": [ids[n]]}},
            content_type="application/json",
        )
    ballots = list(Ballot.objects.values())
    box = json.dumps(ballots, default=str)
    for voter in voters:
        assert str(voter.pk) not in [str(b["ballot_key"]) for b in ballots]
        assert voter.username not in box and voter.email not in box
    register = list(VoterRecord.objects.values())
    assert sorted(r["user_id"] for r in register) == sorted(v.pk for v in voters)
    assert all(r["first_voted_hour"].minute == 0 and r["first_voted_hour"].second == 0 for r in register)
    assert not {"ballot", "ballot_id", "ballot_key", "receipt"} & set(register[0])
