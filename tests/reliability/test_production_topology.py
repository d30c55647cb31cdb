"""The production topology on 127.0.0.1 (deploy/: nginx in front, gunicorn workers for plain
HTTP, Daphne for WebSockets): ballots of every eligibility through the proxy, each
acknowledged ballot in the box and the register once; a workshop socket through the proxy
to Daphne."""

import asyncio
import json
import shutil
import tempfile
from http.client import HTTPConnection

import pytest

from deploy.topology import Topology, nginx_binary
from tests.workshops.live_site import LiveClient, LiveDatabase, Template, http, manage, server_env

pytestmark = pytest.mark.slow

SETUP_SCRIPT = """
import json
from decimal import Decimal
from rest_framework.authtoken.models import Token
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug='live-test')
facilitator = User.objects.get(username='moderation')
options = [Measure.objects.create(process=process, title=f'Maßnahme {n}', slug=f'topologie-{n}', summary='Kurz',
                                  estimated_cost=Decimal(1000)).pk for n in range(3)]
made = {}
for eligibility in ('access_code', 'account', 'open'):
    data = {'title': 'Was zuerst?', 'method': 'approval', 'eligibility': eligibility, 'options': options}
    consultation = actions.open_consultation(facilitator, actions.create_consultation(facilitator, process, data))
    made[eligibility] = consultation.pk
codes, _batch = actions.generate_access_codes(facilitator, actions.Consultation.objects.get(pk=made['access_code']), 4)
voters = [User.objects.create(username=f'waehlerin{n}', email=f'w{n}@example.org', email_verified=True)
          for n in range(4)]
tokens = [Token.objects.create(user=user).key for user in voters]
print(json.dumps({'consultations': made, 'options': options, 'codes': codes, 'tokens': tokens}))
"""

COUNT_SCRIPT = """
import json
from voting.models import Ballot, VoterRecord
print(json.dumps({str(c): [sorted(Ballot.objects.filter(consultation_id=c).values_list('receipt', flat=True)),
                           VoterRecord.objects.filter(consultation_id=c).count()] for c in IDS}))
"""


@pytest.fixture(scope="module")
def topology():
    if nginx_binary() is None:
        pytest.skip("needs nginx (Debian: apt-get install nginx-light; .ci/run installs it)")
    workdir = tempfile.mkdtemp(prefix="topology-")
    database = LiveDatabase(workdir)
    template = Template.get()
    database.create(template=template.database)
    env = server_env(database.url + ("?pool=true" if database.admin_url else ""))
    env.update(DEBUG="0", SECRET_KEY="topology-test-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1")
    env.update(SECURE_SSL_REDIRECT="0", TRUSTED_PROXIES="127.0.0.1")
    site = None
    try:
        site = Topology(env, workdir, ports=range(8400, 8500), workers=2).start()
        site.env, site.token, site.process_id = env, template.token, template.process_id
        site.setup = json.loads(manage(env, "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
        yield site
    finally:
        if site is not None:
            site.stop()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def put_ballot(site, consultation, body, headers):
    """(status, JSON answer, Set-Cookie) of one ballot through the proxy."""
    connection = HTTPConnection("127.0.0.1", site.proxy_port, timeout=30)
    try:
        connection.request(
            "PUT",
            f"/api/consultations/{consultation}/ballot",
            json.dumps(body),
            {"Content-Type": "application/json", "Accept": "application/json", **headers},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read()), response.getheader("Set-Cookie")
    finally:
        connection.close()


def test_ballots_of_every_eligibility_through_the_proxy_are_each_counted_once(topology):
    setup = topology.setup
    ids = setup["options"]
    acknowledged = {}
    for eligibility, consultation in setup["consultations"].items():
        receipts = {}
        for voter in range(4):
            body, headers = {"ballot": {"approve": ids[:1]}}, {}
            if eligibility == "access_code":
                body["access_code"] = setup["codes"][voter]
            elif eligibility == "account":
                headers["Authorization"] = f"Token {setup['tokens'][voter]}"
            else:
                headers["X-Forwarded-For"] = f"10.0.0.{voter + 1}"
            status, first, cookie = put_ballot(topology, consultation, body, headers)
            assert status == 201, (eligibility, first)
            if eligibility == "open":
                assert cookie and cookie.startswith("consultation_voter=")
                headers["Cookie"] = cookie.split(";", 1)[0]
            # The same ballot again changes nothing; a changed one replaces it under a new receipt.
            assert put_ballot(topology, consultation, body, headers)[:2] == (
                200,
                {"receipt": first["receipt"], "created": False, "changed": False},
            )
            body["ballot"] = {"approve": ids[1:]}
            status, changed, _ = put_ballot(topology, consultation, body, headers)
            assert status == 200 and changed["changed"] is True and changed["receipt"] != first["receipt"]
            receipts[voter] = changed["receipt"]
        acknowledged[consultation] = sorted(receipts.values())

    script = COUNT_SCRIPT.replace("IDS", repr(list(acknowledged)))
    counted = json.loads(manage(topology.env, "shell", "-c", script).strip().splitlines()[-1])
    for consultation, receipts in acknowledged.items():
        assert counted[str(consultation)] == [receipts, 4], consultation


def test_a_workshop_socket_goes_through_the_proxy_to_daphne(topology):
    class Proxy:
        base = origin = topology.origin

        @staticmethod
        def ws_url(code, ticket):
            return f"ws://127.0.0.1:{topology.proxy_port}/ws/workshops/{code}/?ticket={ticket}"

    status, workshop = http(
        "POST",
        f"{topology.origin}/api/workshops/",
        {"process": topology.process_id, "title": "Mobilität"},
        topology.token,
    )
    assert status == 201, workshop
    status, joined = http("POST", f"{topology.origin}/api/workshops/{workshop['code']}/join", {"display_name": "Ada"})
    assert status == 201, joined

    async def connect():
        client = await LiveClient("Ada", joined["ticket"]).connect(Proxy, workshop["code"])
        try:
            return await client.wait_for(lambda frame: True, timeout=20)
        finally:
            await client.ws.close()

    # Only Daphne speaks WebSocket here: a first frame means the proxy took the socket there.
    first = asyncio.run(connect())
    assert first.get("type"), first
