"""config/wsgi.py serves plain HTTP (the WSGI server of the production topology runs it)."""

from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def keep_the_test_connection():
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_wsgi_application_serves_a_request(keep_the_test_connection):
    from config.wsgi import application

    environ = {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    started = []
    body = b"".join(application(environ, lambda status, headers: started.append((status, dict(headers)))))
    assert started[0][0] == "200 OK"
    assert started[0][1]["Content-Security-Policy"]  # through the whole middleware chain
    assert b'"database"' in body
