"""Two connections writing at the same moment both get their write, on every database
the suite runs on: the workshop sockets' database threads do this all the time, and on
SQLite the test database once failed the second writer at once ("database table is
locked") instead of letting it wait its turn."""

import threading
import time

import pytest
from django.db import connection, transaction

from participation.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_writer_waits_for_the_first_and_both_writes_are_kept():
    first_is_writing = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                User.objects.create(username="erste")
                first_is_writing.set()
                time.sleep(0.5)  # still holding its write lock when the second one starts
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            first_is_writing.set()
            connection.close()

    def second():
        first_is_writing.wait(5)
        try:
            with transaction.atomic():
                User.objects.create(username="zweite")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert set(User.objects.values_list("username", flat=True)) >= {"erste", "zweite"}
