"""Ballot secrecy in the logs: at the configured level (INFO), casting, changing and
refusing ballots writes no line that names the voter together with the ballot or its
receipt. (The tables and exports are checked in tests/voting/test_register_and_box_apart.py
and tests/results/test_results_api_no_personal_data.py.)"""

import logging

from tests import factories
from tests.voting.helpers import make_consultation


def test_no_log_line_links_a_voter_to_a_ballot(client, db, caplog):
    consultation, _facilitator, ids = make_consultation(method="approval", eligibility="account")
    url = f"/api/consultations/{consultation.pk}/ballot"
    voters = [factories.make_user(username=f"waehlerin-{n}") for n in range(3)]
    receipts = []
    with caplog.at_level(logging.INFO):
        for n, voter in enumerate(voters):
            client.force_login(voter)
            first = client.put(url, {"ballot": {"approve": [ids[n]]}}, content_type="application/json")
            client.put(url, {"ballot": {"approve": [ids[n], ids[3]]}}, content_type="application/json")
            refused = client.put(url, {"ballot": {"approve": [10**9]}}, content_type="application/json")
            assert first.status_code == 201 and refused.status_code == 400
            receipts.append(first.json()["receipt"])
    lines = [record.getMessage() for record in caplog.records]
    assert lines, "the refused ballots are logged as bad requests"
    for line in lines:
        for voter, receipt in zip(voters, receipts, strict=True):
            assert receipt not in line
            assert voter.username not in line and f"user:{voter.pk}" not in line
