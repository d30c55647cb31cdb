"""One small platform with something of everything, for the fuzz and permission tests:
two processes with their own facilitators, published and unpublished things, a
consultation in every state, live and draft workshops, and an account per role."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import SESSION_KEY
from django.test import Client
from rest_framework.authtoken.models import Token

from participation.actions import moderate_feedback, post_feedback
from participation.models import Role
from results.actions import publish
from tests import factories
from voting import actions as voting
from voting import opinion_actions, paper_actions
from voting.models import Proposal, Statement
from workshops.actions import create_workshop, join_workshop
from workshops.models import ParticipantRole

# In the title or text of everything that is not published: a response that contains it leaks.
CANARY = "Zq7x"


@dataclass
class World:
    process: object
    other_process: object
    hidden_process: object
    facilitator: object
    other_facilitator: object
    admin: object
    citizen: object
    measures: list
    hidden_measure: object
    field: object
    project: object
    internal_project: object
    lab: object
    hidden_lab: object
    open_ranking: object  # account eligibility, open
    open_codes: object  # access codes, open
    codes: list
    pairwise: object  # open eligibility, proposals allowed
    proposal: object
    opinion: object  # an opinion map, open eligibility, with a visible and a proposed statement
    statement: object  # visible
    proposed_statement: object  # waiting for review
    published: object  # closed and published, with ballots
    receipt: str
    closed_unpublished: object
    draft: object
    workshop: object
    draft_workshop: object
    other_workshop: object
    visible_feedback: object
    hidden_feedback: object
    users: dict = field(default_factory=dict)
    # Paper ballots: an open access-code consultation with election workers; the code
    # paper_codes[0] is disputed (typed differently by two other workers), the rest unused.
    paper: object = None
    paper_codes: list = field(default_factory=list)
    election_worker: object = None  # a citizen's account named election worker of ``paper``


def token(user):
    key, _ = Token.objects.get_or_create(user=user)
    return key.key


def session_cookie(user):
    """A logged-in session for ``user``, as the cookie value a browser would send."""
    client = Client()
    client.force_login(user)
    value = client.cookies["sessionid"].value
    assert client.session[SESSION_KEY] == str(user.pk)
    return value


def build_world():
    process = factories.make_process(title="Digitalstrategie Heilbronn")
    other_process = factories.make_process(title="Mobilität Neckarsulm")
    hidden_process = factories.make_process(title=f"Geheimer Entwurf {CANARY}", published=False)
    facilitator = factories.make_facilitator(process, username="moderation")
    other_facilitator = factories.make_facilitator(other_process, username="andere-moderation")
    admin = factories.make_user(role=Role.FACILITATOR, username="admin", is_superuser=True, is_staff=True)
    citizen = factories.make_user(username="buergerin")
    field_ = factories.make_field(process)
    measures = [factories.make_measure(process, field=field_, title=f"Maßnahme {c}") for c in "ABCD"]
    hidden_measure = factories.make_measure(process, title=f"Noch nicht veröffentlicht {CANARY}", published=False)
    factories.make_measure(hidden_process, title=f"Maßnahme im Entwurf {CANARY}")
    project = factories.make_project(process, field=field_)
    internal_project = factories.make_project(
        process,
        title=f"Internes Projekt {CANARY}",
        public=False,
        owner_organisation=f"Geheimamt {CANARY}",
        latitude=Decimal("49.14270"),
        longitude=Decimal("9.21090"),
    )
    lab = factories.make_lab(process)
    hidden_lab = factories.make_lab(process, title=f"Verborgenes Reallabor {CANARY}", published=False)
    lab.projects.add(project, internal_project)
    ids = [m.pk for m in measures]

    def consultation(method, eligibility, open_now=True, title=None, **settings):
        title = title or f"{method} {eligibility}"
        data = {"title": title, "method": method, "eligibility": eligibility, "options": ids}
        data["settings"] = settings
        c = voting.create_consultation(facilitator, process, data)
        return voting.open_consultation(facilitator, c) if open_now else c

    open_ranking = consultation("ranking", "account")
    open_codes = consultation("approval", "access_code")
    codes, _batch = voting.generate_access_codes(facilitator, open_codes, 5)
    pairwise = consultation("pairwise", "open")
    voter = voting.Voter(pairwise.pk, browser_hash="fuzz")
    proposal = voting.propose_measure(pairwise, voter, f"Freies WLAN im Stadtpark {CANARY}", "Vorschlag")

    opinion = voting.create_consultation(
        facilitator,
        process,
        {"title": "Innenstadt", "method": "opinion", "eligibility": "open", "statements": ["Mehr Grün", "Mehr Bänke"]},
    )
    opinion = voting.open_consultation(facilitator, opinion)
    statement = Statement.objects.filter(consultation=opinion).first()
    proposed_statement = opinion_actions.propose_statement(
        opinion, voting.Voter(opinion.pk, browser_hash="fuzz"), f"Ein Brunnen {CANARY}"
    )

    published = consultation("ranking", "account")
    receipt = None
    for n in range(3):
        person = factories.make_user(username=f"waehler{n}")
        result = voting.cast_ballot(published, voting.Voter(published.pk, user_id=person.pk), {"ranking": [[ids[n]]]})
        receipt = result.receipt
    published = voting.close_consultation(facilitator, published)
    publish(facilitator, published)

    closed_unpublished = consultation("score", "account")
    closed_unpublished = voting.close_consultation(facilitator, closed_unpublished)
    draft = consultation("approval", "account", open_now=False, title=f"Entwurf {CANARY}")

    workshop = create_workshop(facilitator, process, "Zukunftswerkstatt")
    draft_workshop = create_workshop(facilitator, process, f"Vorbereitung {CANARY}", draft=True)
    other_workshop = create_workshop(other_facilitator, other_process, "Andere Werkstatt")
    join_workshop(workshop, None, "Gast", ParticipantRole.EXPERT)

    visible_feedback = post_feedback(citizen, measures[0], "Gute Idee, bitte schnell umsetzen.")
    hidden_feedback = post_feedback(citizen, measures[0], f"Beleidigender Text, ausgeblendet {CANARY}.")
    moderate_feedback(facilitator, hidden_feedback, hide=True, reason="Beleidigung")
    # Placed on the map inside the lab, then hidden: the map must not show it either.
    placed_hidden = post_feedback(citizen, lab, f"Ausgeblendet im Reallabor {CANARY}.", "49.14270", "9.21090")
    moderate_feedback(facilitator, placed_hidden, hide=True, reason="Beleidigung")

    paper = consultation("approval", "access_code", title="Papier und online")
    paper_codes, _batch = voting.generate_access_codes(facilitator, paper, 5)
    election_worker = factories.make_user(username="wahlhelferin")
    paper_actions.add_election_worker(facilitator, paper, election_worker)
    for n, name in enumerate(("wahlhelfer-a", "wahlhelfer-b")):
        helper = factories.make_user(username=name)
        paper_actions.add_election_worker(facilitator, paper, helper)
        paper_actions.enter_paper_ballot(helper, paper, paper_codes[0], {"approve": [ids[n]]})

    return World(
        process=process,
        other_process=other_process,
        hidden_process=hidden_process,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        admin=admin,
        citizen=citizen,
        measures=measures,
        hidden_measure=hidden_measure,
        field=field_,
        project=project,
        internal_project=internal_project,
        lab=lab,
        hidden_lab=hidden_lab,
        open_ranking=open_ranking,
        open_codes=open_codes,
        codes=codes,
        pairwise=pairwise,
        proposal=Proposal.objects.get(pk=proposal.pk),
        opinion=opinion,
        statement=statement,
        proposed_statement=proposed_statement,
        published=published,
        receipt=receipt,
        closed_unpublished=closed_unpublished,
        draft=draft,
        workshop=workshop,
        draft_workshop=draft_workshop,
        other_workshop=other_workshop,
        visible_feedback=visible_feedback,
        hidden_feedback=hidden_feedback,
        paper=paper,
        paper_codes=paper_codes,
        election_worker=election_worker,
    )
