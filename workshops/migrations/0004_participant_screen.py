from django.db import migrations, models


def mark_projectors(apps, schema_editor):
    # Projector pages joined before this field existed: anonymous observers under the
    # name the page gives itself (German or English).
    Participant = apps.get_model("workshops", "Participant")
    Participant.objects.filter(role="observer", user__isnull=True, display_name__in=["Projektor", "Projector"]).update(
        screen=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_participant_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="screen",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_projectors, migrations.RunPython.noop),
    ]
