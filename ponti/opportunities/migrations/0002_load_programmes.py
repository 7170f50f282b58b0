"""Load the funding programmes shipped in `opportunities/data/` (see PROVENANCE.md there)."""

from django.db import migrations


def load(apps, schema_editor):
    from ponti.opportunities.programmes import load as load_programmes

    load_programmes(apps.get_model("opportunities", "Programme"))


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
