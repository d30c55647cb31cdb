from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"

    def ready(self):
        from . import extensions, signals  # noqa: F401 - signals connects the receivers

        extensions.register()
