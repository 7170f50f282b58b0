"""An organisation of the registry can be the public face of an ente of this instance."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_list_indexes_with_confidentiality"),
        ("core", "0007_ente_kind_parent"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="represents",
            field=models.OneToOneField(
                blank=True,
                help_text="Se l'organizzazione è uno degli enti che usano Ponti.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="organisation",
                to="core.ente",
                verbose_name="ente rappresentato",
            ),
        ),
    ]
