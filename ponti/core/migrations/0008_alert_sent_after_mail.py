"""An alert is claimed first and marked sent only once its e-mail has left."""

import django.utils.timezone
from django.db import migrations, models


def sent_before(apps, schema_editor):
    # Rows written before this change were recorded as sent: keep them so.
    AlertDelivery = apps.get_model("core", "AlertDelivery")
    AlertDelivery.objects.filter(sent_at__isnull=True).update(sent_at=models.F("claimed_at"))


class Migration(migrations.Migration):
    dependencies = [("core", "0007_ente_kind_parent")]

    operations = [
        migrations.RenameField(model_name="alertdelivery", old_name="sent_at", new_name="claimed_at"),
        migrations.AddField(
            model_name="alertdelivery",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sent_before, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="alertdelivery",
            name="claimed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
