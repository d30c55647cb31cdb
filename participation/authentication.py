"""API token authentication: DRF's, with the token's user read in one plain query.

DRF builds ``Token.objects.select_related("user").get(key=key)`` anew on every request;
building that query (or a raw queryset) costs more CPU than running it, about a third of
a ballot cast by an account (bench/ballot_throughput.py --eligibility account). So the
query is written once per process and database, the columns' converters (the ORM's own)
looked up once per connection, and the row becomes a user with ``Model.from_db``, as the
ORM does. Same answers, same checks: an unknown token and an inactive user are refused by
DRF's own check."""

import functools
import weakref

from django.contrib.auth import get_user_model
from django.db import connections, router
from rest_framework import authentication
from rest_framework.authtoken.models import Token


@functools.cache
def _user_query(alias):
    """For the database ``alias``: the user model, its concrete fields' names, their columns
    as expressions and the query for a token's user."""
    user_model = get_user_model()
    quote = connections[alias].ops.quote_name
    fields = user_model._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(f'u.{quote(field.column)}' for field in fields)} "  # noqa: S608 (names only)
        f"FROM {quote(user_model._meta.db_table)} u JOIN {quote(Token._meta.db_table)} t "
        f"ON t.user_id = u.{quote(user_model._meta.pk.column)} WHERE t.key = %s"
    )
    columns = [field.get_col(user_model._meta.db_table) for field in fields]
    return user_model, [field.attname for field in fields], columns, sql


_converters = weakref.WeakKeyDictionary()


def _converters_of(connection, columns):
    """(index, column, converters) of each column that has converters on this connection."""
    found = _converters.get(connection)
    if found is None:
        found = []
        for index, column in enumerate(columns):
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if functions:
                found.append((index, column, functions))
        _converters[connection] = found
    return found


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        alias = router.db_for_read(get_user_model())
        user_model, names, columns, sql = _user_query(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        user = None
        if row is not None:
            values = list(row)
            for index, column, functions in _converters_of(connection, columns):
                for convert in functions:
                    values[index] = convert(values[index], column, connection)
            user = user_model.from_db(alias, names, values)
        if user is None or not user.is_active:
            # A refusal is rare: DRF's own check words it, in DRF's translations.
            return super().authenticate_credentials(key)
        token = Token(key=key, user=user)
        token._state.adding = False
        return user, token
