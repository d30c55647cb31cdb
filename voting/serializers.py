"""Shapes of the consultation endpoints (documentation and output; no logic).
Input is validated by the actions, which know the consultation's rules."""

from rest_framework import serializers

from .models import Consultation, Eligibility, Method, PairwiseVote, Proposal, ReceiptLookup, Statement


class ConsultationCreateSerializer(serializers.Serializer):
    process = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False)
    method = serializers.ChoiceField(choices=Method.choices)
    options = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Measure ids of the process (2 or more; for an opinion map optional: what it is about).",
    )
    statements = serializers.ListField(
        child=serializers.CharField(max_length=280),
        required=False,
        help_text="opinion: the first statements (the facilitators'), visible at once.",
    )
    settings = serializers.DictField(
        required=False,
        help_text="approval: {max_approvals}; score: {labels: numbers|words}; "
        "points: {budget_points} or a participatory budget {use_costs: true, budget, "
        "budget_ballot: knapsack|approval|points, max_projects (approval), budget_points (points), "
        "budget_rule: equal_shares|greedy}; pairwise: {allow_proposals}; opinion: {allow_statements}",
    )
    eligibility = serializers.ChoiceField(choices=Eligibility.choices)
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    interim_results = serializers.BooleanField(required=False)
    receipt_lookup = serializers.ChoiceField(
        choices=ReceiptLookup.choices,
        required=False,
        help_text="What the public lookup of a receipt shows after publication: the ballot (content) or only "
        "that it was counted unchanged (counted). Default: counted for budgets (points with use_costs), else content.",
    )


class ConsultationSerializer(serializers.ModelSerializer):
    phase = serializers.CharField(read_only=True)
    options = serializers.SerializerMethodField()
    turnout = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "process",
            "title",
            "title_en",
            "description",
            "description_en",
            "method",
            "settings",
            "eligibility",
            "state",
            "phase",
            "opens_at",
            "closes_at",
            "interim_results",
            "receipt_lookup",
            "options",
            "turnout",
        ]

    def get_options(self, obj) -> list[int]:
        return [option.measure_id for option in obj.options.all()]

    def get_turnout(self, obj) -> int:
        return obj.voters.count()


class AccessCodeRequestSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AccessCodesSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())


class BallotRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(required=False)
    ballot = serializers.DictField(
        help_text='approval {"approve": [ids]}; score {"scores": {id: 0..5}}; '
        'ranking {"ranking": [[id], [id, id]]}; points {"points": {id: n}}'
    )


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    created = serializers.BooleanField()
    changed = serializers.BooleanField()


class CurrentBallotSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    ballot = serializers.DictField()


class PairRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(required=False)
    left = serializers.IntegerField()
    right = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=PairwiseVote.Choice.choices)
    id = serializers.RegexField(
        r"^[A-Za-z0-9_.:-]{1,64}$",
        required=False,
        help_text="The client's id for this answer; the same id again is recorded once.",
    )


class PairRecordedSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    duplicate = serializers.BooleanField(help_text="An earlier request with this id had recorded it.")


class PairSerializer(serializers.Serializer):
    left = serializers.DictField()
    right = serializers.DictField()
    request_id = serializers.CharField(help_text="Send it back as the answer's id.")


class ProposalRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(required=False)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False)


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "title", "description", "status", "measure", "created"]


class StatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statement
        fields = ["id", "text", "text_en", "state", "by_facilitators", "created"]


class StatementRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(required=False)
    text = serializers.CharField(max_length=280)
    text_en = serializers.CharField(max_length=280, required=False, help_text="Only the facilitators'.")


class StatementCardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    by_facilitators = serializers.BooleanField()


class NextStatementSerializer(serializers.Serializer):
    statement = StatementCardSerializer(allow_null=True, help_text="null: every visible statement is answered.")
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class AnswerRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(required=False)
    statement = serializers.IntegerField()
    value = serializers.ChoiceField(choices=[1, -1, 0], help_text="1 agree, -1 disagree, 0 pass")


class AnswerRecordedSerializer(NextStatementSerializer):
    changed = serializers.BooleanField(help_text="False: the same answer was stored already.")


# --- paper ballots (voting/paper_api.py) -------------------------------------------------


class ElectionWorkerRequestSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, help_text="The account's id (or give username).")
    username = serializers.CharField(required=False, max_length=150)


class ElectionWorkerSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    added = serializers.DateTimeField()


class PaperBallotRequestSerializer(serializers.Serializer):
    access_code = serializers.CharField(help_text="The code printed on the returned letter.")
    ballot = serializers.DictField(
        required=False,
        help_text="The marks of the paper ballot, as an online ballot of this method; left out when spoiled.",
    )
    spoiled = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: the paper ballot cannot be counted (too many marks, over the budget, nothing legible); "
        "then no ballot. Two people must agree that it is spoiled; it spends the code but puts nothing in the box.",
    )


class PaperBallotStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["waiting", "counted", "disputed", "spoiled"],
        help_text="waiting: one entry so far; counted: two people typed the same, the ballot is in the box; "
        "spoiled: two people found it cannot be counted, nothing is in the box but the code is spent; "
        "disputed: the entries differ, a third person settles it (paper-ballots/resolve).",
    )


class PaperBallotListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code_end = serializers.CharField(help_text="The access code's last four characters.")
    state = serializers.ChoiceField(choices=["waiting", "counted", "disputed", "refused", "spoiled"])
    entries = serializers.IntegerField(help_text="How many people typed it.")
    contents = serializers.ListField(
        child=serializers.DictField(allow_null=True),
        allow_null=True,
        help_text="Disputed ones, for the facilitators only: the typed contents side by side "
        '(a spoiled entry as {"spoiled": true}); else null.',
    )
