"""Enti get a kind and a parent (the metropolitan city contains its comuni) and a version."""

import django.db.models.deletion
from django.db import migrations, models


def kinds(apps, schema_editor):
    Ente = apps.get_model("core", "Ente")
    Ente.objects.filter(slug="cm-firenze").update(kind="citta_metropolitana")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_ente_gift_value_threshold")]

    operations = [
        migrations.AddField(
            model_name="ente",
            name="kind",
            field=models.CharField(
                choices=[
                    ("citta_metropolitana", "Città metropolitana"),
                    ("comune", "Comune"),
                    ("unione", "Unione di comuni"),
                    ("regione", "Regione"),
                    ("altro", "Altro ente"),
                ],
                default="altro",
                max_length=24,
                verbose_name="tipo di ente",
            ),
        ),
        migrations.AddField(
            model_name="ente",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                help_text="Es. la Città metropolitana per uno dei suoi comuni. Vuoto: ente di primo livello.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="core.ente",
                verbose_name="ente superiore",
            ),
        ),
        migrations.AddField(
            model_name="ente",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="versione"),
        ),
        migrations.RunPython(kinds, migrations.RunPython.noop),
    ]
