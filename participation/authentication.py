"""API token authentication: DRF's, with the token's user read in one plain query.

DRF builds ``Token.objects.select_related("user").get(key=key)`` anew on every request;
building that query costs more CPU than running it, about a third of a ballot cast by an
account (bench/ballot_throughput.py --eligibility account). Same answers, same checks:
an unknown token and an inactive user are refused by DRF's own check."""

from django.contrib.auth import get_user_model
from rest_framework import authentication
from rest_framework.authtoken.models import Token


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user_model = get_user_model()
        sql = (
            f"SELECT u.* FROM {user_model._meta.db_table} u "  # noqa: S608 (table names only)
            f"JOIN {Token._meta.db_table} t ON t.user_id = u.{user_model._meta.pk.column} WHERE t.key = %s"
        )
        users = list(user_model.objects.raw(sql, [key]))
        if not users or not users[0].is_active:
            # A refusal is rare: DRF's own check words it, in DRF's translations.
            return super().authenticate_credentials(key)
        user = users[0]
        token = Token(key=key, user=user)
        token._state.adding = False
        return user, token
