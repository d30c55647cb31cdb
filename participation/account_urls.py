"""Citizen accounts: registration, verification, login, password, GDPR (namespace "accounts")."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import account_views, notification_views
from .login import LoginForm

urlpatterns = [
    path("", account_views.profile, name="profile"),
    path(
        "anmelden/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            redirect_authenticated_user=True,
            authentication_form=LoginForm,  # locks an account for an address after 5 wrong passwords
        ),
        name="login",
    ),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", account_views.register, name="register"),
    path("bestaetigung-gesendet/", account_views.verification_sent, name="verification_sent"),
    path("bestaetigen/<str:token>/", account_views.verify_email, name="verify_email"),
    path("bestaetigung-anfordern/", account_views.resend_verification, name="resend_verification"),
    path(
        "passwort-vergessen/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset_form.html",
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "passwort-aendern/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "passwort-aendern/fertig/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("benachrichtigungen/", notification_views.manage, name="notifications"),
    path("folgen/", notification_views.follow, name="follow"),
    path("benachrichtigungen/abbestellen/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    path("daten/", account_views.export_data, name="export_data"),
    path("loeschen/", account_views.delete_account, name="delete_account"),
    path("geloescht/", account_views.delete_account_done, name="delete_account_done"),
]
