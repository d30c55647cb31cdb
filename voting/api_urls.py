"""Consultation endpoints, included under /api/ in the "api" namespace."""

from django.urls import path

from . import api, opinion_api, paper_api

urlpatterns = [
    path("consultations/", api.ConsultationListView.as_view(), name="consultation-list"),
    path("consultations/<int:pk>/", api.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("consultations/<int:pk>/open", api.ConsultationOpenView.as_view(), name="consultation-open"),
    path("consultations/<int:pk>/schedule", api.ConsultationScheduleView.as_view(), name="consultation-schedule"),
    path("consultations/<int:pk>/close", api.ConsultationCloseView.as_view(), name="consultation-close"),
    path("consultations/<int:pk>/access-codes", api.AccessCodesView.as_view(), name="consultation-access-codes"),
    path("consultations/<int:pk>/ballot", api.BallotView.as_view(), name="consultation-ballot"),
    path("consultations/<int:pk>/pairs/next", api.PairNextView.as_view(), name="consultation-pair-next"),
    path("consultations/<int:pk>/pairs", api.PairVoteView.as_view(), name="consultation-pairs"),
    path("consultations/<int:pk>/proposals", api.ProposalListView.as_view(), name="consultation-proposals"),
    path(
        "consultations/<int:pk>/proposals/<int:proposal_id>/approve",
        api.ProposalDecisionView.as_view(approve=True),
        name="consultation-proposal-approve",
    ),
    path(
        "consultations/<int:pk>/proposals/<int:proposal_id>/reject",
        api.ProposalDecisionView.as_view(approve=False),
        name="consultation-proposal-reject",
    ),
    path("consultations/<int:pk>/statements", opinion_api.StatementListView.as_view(), name="consultation-statements"),
    path(
        "consultations/<int:pk>/statements/next",
        opinion_api.NextStatementView.as_view(),
        name="consultation-statement-next",
    ),
    path(
        "consultations/<int:pk>/statements/<int:statement_id>/publish",
        opinion_api.StatementDecisionView.as_view(publish=True),
        name="consultation-statement-publish",
    ),
    path(
        "consultations/<int:pk>/statements/<int:statement_id>/hide",
        opinion_api.StatementDecisionView.as_view(publish=False),
        name="consultation-statement-hide",
    ),
    path("consultations/<int:pk>/answers", opinion_api.AnswerView.as_view(), name="consultation-answers"),
    path("consultations/<int:pk>/opinion-map", opinion_api.OpinionMapView.as_view(), name="consultation-opinion-map"),
    path(
        "consultations/<int:pk>/election-workers",
        paper_api.ElectionWorkerListView.as_view(),
        name="consultation-election-workers",
    ),
    path(
        "consultations/<int:pk>/election-workers/<int:user_id>",
        paper_api.ElectionWorkerDetailView.as_view(),
        name="consultation-election-worker",
    ),
    path(
        "consultations/<int:pk>/paper-ballots",
        paper_api.PaperBallotListView.as_view(),
        name="consultation-paper-ballots",
    ),
    path(
        "consultations/<int:pk>/paper-ballots/resolve",
        paper_api.PaperBallotResolveView.as_view(),
        name="consultation-paper-ballot-resolve",
    ),
]
