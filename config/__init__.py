"""Composition root: settings, URLs, the ASGI and WSGI entry points, the OpenAPI hooks and the retention job.

It sits above every app and wires them together; no app imports it.
"""
