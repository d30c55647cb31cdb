"""config/wsgi.py serves plain HTTP (the WSGI server of the production topology runs it)."""

from wsgiref.util import setup_testing_defaults


def test_the_wsgi_application_serves_a_request():
    from config.wsgi import application

    # A file at the site's root: through the whole middleware chain, without the test database.
    environ = {"PATH_INFO": "/favicon.ico", "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    started = []
    body = b"".join(application(environ, lambda status, headers: started.append((status, dict(headers)))))
    assert started[0][0] == "200 OK"
    assert started[0][1]["Content-Security-Policy"]
    assert body
