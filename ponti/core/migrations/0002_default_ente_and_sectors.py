"""A new instance has one ente and the fields of cooperation."""

from django.db import migrations

SECTORS = [
    ("universita", "Università", "Universities"),
    ("cultura", "Cultura", "Culture"),
    ("economia", "Economia", "Economy"),
    ("turismo", "Turismo", "Tourism"),
    ("ambiente", "Ambiente e clima", "Environment and climate"),
    ("mobilita", "Mobilità", "Mobility"),
    ("sociale", "Sociale", "Social affairs"),
    ("giovani", "Giovani", "Youth"),
    ("sport", "Sport", "Sport"),
    ("pace-diritti", "Pace e diritti", "Peace and human rights"),
    ("istruzione", "Istruzione e formazione", "Education and training"),
    ("ricerca-innovazione", "Ricerca e innovazione", "Research and innovation"),
    ("digitale", "Digitale", "Digital"),
    ("salute", "Salute", "Health"),
    ("urbanistica", "Urbanistica e patrimonio", "Urban planning and heritage"),
    ("cooperazione", "Cooperazione allo sviluppo", "Development cooperation"),
    ("protezione-civile", "Protezione civile", "Civil protection"),
    ("agricoltura", "Agricoltura e alimentazione", "Agriculture and food"),
]


def forwards(apps, schema_editor):
    Ente = apps.get_model("core", "Ente")
    Sector = apps.get_model("core", "Sector")
    Ente.objects.get_or_create(
        slug="cm-firenze",
        defaults={
            "name": "Città Metropolitana di Firenze",
            "short_name": "CM Firenze",
            "country": "IT",
            "city": "Firenze",
        },
    )
    for position, (code, name_it, name_en) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            code=code, defaults={"name_it": name_it, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
