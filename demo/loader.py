"""Writes the demo content (``demo.content``) into the database.

Every object of the process is matched by its natural key (process slug; process
and slug for fields, measures, projects and labs; username for accounts), so a
second run creates nothing new. A row is saved only when its demo values differ
from the database, which restores demo content someone edited and leaves
untouched rows alone. Nothing is ever deleted, and links are only added, never
removed. The workshop and the consultations are created once through the apps'
actions (found again by code and title) and then left as they are: votes are
never re-cast.
"""

import datetime
import random
import zoneinfo
from collections import Counter

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.utils import timezone
from rest_framework.authtoken.models import Token

from participation.actions import AuditAction, answer_feedback, record_audit
from participation.management.commands.create_facilitator import facilitator_group
from participation.models import (
    Feedback,
    FieldOfAction,
    LivingLab,
    Measure,
    Process,
    ProcessPhase,
    Project,
    Role,
    StatusChange,
    User,
)
from results.actions import publish
from voting import actions as voting
from voting import opinion_actions
from voting.models import Consultation, Statement
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole, Workshop

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class DemoLoader:
    def __init__(self, content):
        self.content = content
        self.tally = Counter()

    def load(self):
        """Create or restore the demo; returns the process. Run it inside a transaction."""
        content = self.content
        process = self.sync(Process, {"slug": content.process["slug"]}, _values(content.process))
        for item in content.phases:
            values = {"title": "", "title_en": "", "ends_on": None, **_values(item, "kind")}
            self.sync(ProcessPhase, {"process": process, "kind": item["kind"]}, values)
        fields = {
            item["slug"]: self.sync(FieldOfAction, {"process": process, "slug": item["slug"]}, _values(item))
            for item in content.fields
        }
        measures = self.sync_in_fields(Measure, content.measures, process, fields)
        projects = self.sync_in_fields(Project, content.projects, process, fields)
        for item in content.labs:
            lab = self.sync(LivingLab, {"process": process, "slug": item["slug"]}, _values(item, "projects"))
            lab.projects.add(*(projects[slug] for slug in item["projects"]))

        facilitator = self.sync_account(content.accounts["facilitator"], Role.FACILITATOR, staff=True)
        self.make_facilitator(facilitator, process)
        citizen = self.sync_account(content.accounts["citizen"], Role.CITIZEN, staff=False)
        for item in content.feedback:
            # Feedback has no slug: author, target and text together identify it.
            if "lab" in item:
                target = {"lab": LivingLab.objects.get(process=process, slug=item["lab"])}
            else:
                target = {"measure": measures[item["measure"]]}
            lookup = {"author": citizen, **target, "text": item["text"]}
            # A place inside the lab, if the item has one.
            feedback = self.sync(Feedback, lookup, _values(item, "lab", "measure", "text", "answer"))
            if "answer" in item and feedback.official_answer is None:
                answer_feedback(facilitator, feedback, item["answer"]["text"], item["answer"]["state"])
                self.tally["created"] += 1
        self.history(content.history, process, measures, projects, facilitator)

        if not Workshop.objects.filter(code=content.workshop["code"]).exists():
            self.workshop(content.workshop, process, facilitator)
            self.tally["created"] += 1
        for item in content.consultations:
            if not Consultation.objects.filter(process=process, title=item["title"]).exists():
                self.consultation(item, process, measures, facilitator)
                self.tally["created"] += 1
        return process

    def history(self, steps, process, measures, projects, facilitator):
        """The status histories: the catalogue counts as recorded on the process's first day,
        and each step (matched by its object, status and day) is restored like any row."""
        start = datetime.datetime.combine(process.starts_on, datetime.time(9), tzinfo=BERLIN)
        for model, objects in ((Measure, measures), (Project, projects)):
            model.objects.filter(pk__in=[obj.pk for obj in objects.values()], created__gt=start).update(created=start)
        for step in steps:
            kind = "measure" if "measure" in step else "project"
            target = (measures if kind == "measure" else projects)[step[kind]]
            at = datetime.datetime.combine(step["on"], datetime.time(12), tzinfo=BERLIN)
            values = {"reason": step["reason"], "reason_en": step["reason_en"], "changed_by": facilitator}
            self.sync(StatusChange, {kind: target, "status": step["status"], "changed_at": at}, values)

    # The process and its content, restored on every run

    def sync(self, model, lookup, values):
        """Create the object, or bring the fields in ``values`` back to the demo state."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj, state = model(**lookup, **values), "created"
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changed:
                self.tally["unchanged"] += 1
                return obj
            for name in changed:
                setattr(obj, name, values[name])
            state = "updated"
        obj.full_clean()
        obj.save()
        self.tally[state] += 1
        return obj

    def sync_in_fields(self, model, items, process, fields):
        """Measures or projects by slug, each in its field of action (``fields`` by slug)."""
        return {
            item["slug"]: self.sync(
                model,
                {"process": process, "slug": item["slug"]},
                {**_values(item, "field"), "field": fields[item["field"]]},
            )
            for item in items
        }

    def sync_account(self, account, role, staff):
        user = User.objects.filter(username=account["username"]).first()
        state = "created" if user is None else "updated"
        user = user or User(username=account["username"])
        values = {
            "email": account["email"],
            "first_name": account["first_name"],
            "last_name": account["last_name"],
            "role": role,
            "is_staff": staff,
            "is_active": True,
            "email_verified": True,
        }
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        # Re-hashing on every run would change the row each time; only a wrong password is reset.
        if not user.check_password(account["password"]):
            user.set_password(account["password"])
            changed.append("password")
        if state == "created" or changed:
            user.full_clean()
            user.save()
            self.tally[state] += 1
        else:
            self.tally["unchanged"] += 1
        return user

    def make_facilitator(self, user, process):
        # Permissions are normally created after migrate; make sure the group finds them in any case.
        create_permissions(apps.get_app_config("participation"), verbosity=0)
        create_permissions(apps.get_app_config("workshops"), verbosity=0)
        user.groups.add(facilitator_group())
        if not process.facilitators.filter(pk=user.pk).exists():
            process.facilitators.add(user)
            record_audit(None, AuditAction.UPDATE, process, {"facilitator_added": user.get_username()})
        Token.objects.get_or_create(user=user)

    # Participation, created once

    def workshop(self, item, process, facilitator):
        workshop = create_workshop(
            facilitator,
            process,
            item["title"],
            agenda=item["agenda"],
            dots_per_participant=item["dots_per_participant"],
        )
        # The README and the tests join the demo workshop by its well-known code.
        Workshop.objects.filter(pk=workshop.pk).update(code=item["code"])
        workshop.code = item["code"]
        chief = join_workshop(workshop, facilitator, item["facilitator"], ParticipantRole.FACILITATOR)
        for cluster in item["cluster"]:
            apply_command(chief.pk, {"type": "cluster.add", "id": cluster["id"], "title": cluster["title"]})
        clusters = dict(
            zip(
                (c["id"] for c in item["cluster"]),
                workshop.clusters.order_by("pk").values_list("pk", flat=True),
                strict=True,
            )
        )
        # Each cluster's area on the board, placed as a facilitator would drag it there (still empty).
        for cluster in item["cluster"]:
            area = {key: cluster[key] for key in ("x", "y", "w", "h")}
            apply_command(
                chief.pk,
                {"type": "cluster.move", "id": f"{cluster['id']}-area", "cluster": clusters[cluster["id"]], **area},
            )
        experts = {}
        for card in item["card"]:
            if card["author"] not in experts:
                experts[card["author"]] = join_workshop(workshop, None, card["author"], ParticipantRole.EXPERT)
            command = {"type": "card.add", "id": card["id"], "text": card["text"], "x": card["x"], "y": card["y"]}
            if "cluster" in card:
                command["cluster"] = clusters[card["cluster"]]
            apply_command(experts[card["author"]].pk, command)

    def consultation(self, item, process, measures, facilitator):
        data = {
            key: item[key]
            for key in (
                "title",
                "title_en",
                "description",
                "description_en",
                "method",
                "settings",
                "eligibility",
                "statements",
            )
            if key in item
        }
        data["options"] = [measures[slug].pk for slug in item.get("options", [])]
        if "closes_after_days" in item:
            data["closes_at"] = timezone.now() + timezone.timedelta(days=item["closes_after_days"])
        consultation = voting.create_consultation(facilitator, process, data)
        voting.open_consultation(facilitator, consultation)
        if "synthetic_answers" in item:
            _answer_synthetically(consultation, item["synthetic_answers"])
        if "synthetic_ballots" in item:
            _cast_synthetic_approvals(consultation, data["options"], item["synthetic_ballots"], item["settings"])
            voting.close_consultation(facilitator, consultation)
            publish(facilitator, consultation)


def _cast_synthetic_approvals(consultation, options, spec, settings):
    """Seeded voters with plausible preferences: each approves an option with its weight,
    or with the weights of its camp (``camps``: a share of the voters each). A budget's
    approvals are its points ballot: 1 point per approved project."""
    rng = random.Random(spec["seed"])  # noqa: S311 - demo data, not security
    camps = spec.get("camps") or [{"share": 1.0, "weights": spec["weights"]}]
    most = settings.get("max_approvals") or settings.get("max_projects") or len(options)
    for n in range(spec["voters"]):
        draw, camp = rng.random(), camps[-1]
        for candidate in camps:
            if draw < candidate["share"]:
                camp = candidate
                break
            draw -= candidate["share"]
        weights = camp["weights"][: len(options)]
        chosen = [m for m, w in zip(options, weights, strict=False) if rng.random() < w][:most]
        chosen = chosen or [options[weights.index(max(weights))]]
        voter = voting.Voter(consultation.pk, browser_hash=f"demo-voter-{consultation.pk}-{n:04d}")
        ballot = {"points": {str(m): 1 for m in chosen}} if settings.get("use_costs") else {"approve": chosen}
        voting.cast_ballot(consultation, voter, ballot)


def _answer_synthetically(consultation, spec):
    """Seeded participants of an opinion map: each answers most statements, agreeing with
    the chance its camp gives each statement (``camps``: a share of the participants each)."""
    rng = random.Random(spec["seed"])  # noqa: S311 - demo data, not security
    statements = list(Statement.objects.filter(consultation=consultation).order_by("pk"))
    for n in range(spec["participants"]):
        draw, camp = rng.random(), spec["camps"][-1]
        for candidate in spec["camps"]:
            if draw < candidate["share"]:
                camp = candidate
                break
            draw -= candidate["share"]
        voter = voting.Voter(consultation.pk, browser_hash=f"demo-participant-{consultation.pk}-{n:04d}")
        for statement, agree in zip(statements, camp["agree"], strict=False):
            if rng.random() < spec.get("skip", 0.15):
                continue
            value = 1 if rng.random() < agree else (-1 if rng.random() < 0.85 else 0)
            opinion_actions.answer_statement(consultation, voter, statement.pk, value)


def _values(item, *relations):
    """The model fields of a demo item: everything but the natural key and the relations."""
    return {key: value for key, value in item.items() if key != "slug" and key not in relations}
