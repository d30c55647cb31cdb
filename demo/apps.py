from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content (demo/data) and its loader, ``manage.py load_demo``. The top floor: it may
    use every app, and no app uses it."""

    name = "demo"
