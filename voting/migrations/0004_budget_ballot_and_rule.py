"""Participatory budgets set up before they had a ballot style and a deciding rule were
knapsack ballots decided greedily: say so in their settings."""

from django.db import migrations


def name_budget_rules(apps, schema_editor):
    Consultation = apps.get_model("voting", "Consultation")
    for consultation in Consultation.objects.filter(method="points").only("settings"):
        settings = consultation.settings or {}
        if settings.get("use_costs") and "budget_rule" not in settings:
            settings.setdefault("budget_ballot", "knapsack")
            settings["budget_rule"] = "greedy"
            consultation.settings = settings
            consultation.save(update_fields=["settings"])


class Migration(migrations.Migration):
    dependencies = [("voting", "0003_receipt_lookup_and_box_mixing")]

    operations = [migrations.RunPython(name_budget_rules, migrations.RunPython.noop)]
