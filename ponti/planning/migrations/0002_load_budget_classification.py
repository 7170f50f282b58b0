"""Load the budget classification shipped in `planning/data/budget_classification.csv`.

Frozen here on purpose: later reloads go through the administrator's CSV import, not this migration.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "budget_classification.csv"
PARENT_LEVEL = {"programma": "missione", "tipologia": "titolo", "macroaggregato": "titolo"}


def load(apps, schema_editor):
    BudgetCode = apps.get_model("planning", "BudgetCode")
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Parents first: missioni and titoli have none.
    rows.sort(key=lambda r: r["level"] in PARENT_LEVEL)
    for row in rows:
        parent = None
        if row["level"] in PARENT_LEVEL:
            parent_side = "spesa" if row["level"] == "programma" else row["side"]
            parent = BudgetCode.objects.get(level=PARENT_LEVEL[row["level"]], side=parent_side, code=row["parent_code"])
        BudgetCode.objects.update_or_create(
            level=row["level"], side=row["side"], code=row["code"],
            defaults={"name": row["name"], "parent": parent, "source": row["source"]},
        )


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
