from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0005_board"),
    ]

    operations = [
        migrations.AddField(
            model_name="breakoutgroup",
            name="active",
            field=models.BooleanField(default=False),
        ),
    ]
