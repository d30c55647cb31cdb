from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Installed so that Django finds the project-wide commands (purge_personal_data)."""

    name = "config"
