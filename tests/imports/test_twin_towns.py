"""The twin-town list of the Italian metropolitan capitals, imported on the demo.

The file is the real one (ponti/partners/data, from it.wikipedia via Wikidata): Florence's own
twinnings are recognised as the Comune di Firenze's agreements, every other row becomes a known
bond between two cities, a city named in two languages is one organisation, and running the
import again creates nothing.
"""

from __future__ import annotations

import csv
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import ponti.partners

LIST = Path(ponti.partners.__file__).parent / "data" / "italian_metro_capitals_twin_towns.csv"
CM = "Città Metropolitana di Firenze"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", "agreements", str(LIST), "--ente", CM, *args, stdout=out)
    return out.getvalue()


def org(name: str, country: str) -> Any:
    from ponti.partners.models import Organisation

    return Organisation.objects.get(name=name, country=country)


@pytest.fixture
def demo(db: Any) -> None:
    call_command(
        "demo", "--force", "--password", "demo-Ponti-2025!", stdout=StringIO(), stderr=StringIO()
    )


def test_the_metro_capitals_list_imports_as_florences_agreements_and_known_bonds(
    demo: None,
) -> None:
    from ponti.agreements.bonds import KnownBond
    from ponti.agreements.models import Agreement
    from ponti.core.importing.models import ImportBatch
    from ponti.partners import gazetteer
    from ponti.partners.models import Organisation

    rows = list(csv.DictReader(LIST.open(encoding="utf-8")))
    florence_rows = [r for r in rows if r["italian_city"] == "Firenze"]
    agreements_before = Agreement.objects.count()
    florence_before = set(
        Agreement.objects.filter(ente__name="Comune di Firenze").values_list("pk", flat=True)
    )

    output = run()

    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "done", output
    assert batch.counts["errore"] == 0
    # Florence's own twinnings are the demo's agreements, recognised, not duplicated.
    florence = batch.rows.filter(label__startswith="Firenze –")
    assert florence.count() == len(florence_rows)
    assert set(florence.values_list("status", flat=True)) == {"invariato"}
    assert (
        set(Agreement.objects.filter(ente__name="Comune di Firenze").values_list("pk", flat=True))
        == florence_before
    )
    # Every other row is a known bond, never an agreement of an ente.
    assert Agreement.objects.count() == agreements_before
    assert KnownBond.objects.count() == batch.counts["nuovo"]
    # A partner named in Italian is the registry's city of any language.
    paris = org("Paris", "FR")
    assert "Roma" in {b.other(paris).name for b in KnownBond.objects.of(paris)}
    cologne = org("Cologne", "DE")
    assert {b.other(cologne).name for b in KnownBond.objects.of(cologne)} >= {"Torino", "Venezia"}
    krakow = org("Kraków", "PL")
    assert "Milano" in {b.other(krakow).name for b in KnownBond.objects.of(krakow)}
    # Each city exists once.
    places = Counter()
    geo = gazetteer.get()
    for o in Organisation.objects.filter(kind="city"):
        found = geo.lookup(o.name, o.country)
        if found is not None:
            places[found] += 1
    assert [geo.city(k).name for k, n in places.items() if n > 1] == []

    # Again: nothing new.
    bonds, organisations = KnownBond.objects.count(), Organisation.objects.count()
    again = run()
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "done", again
    assert batch.counts == {"nuovo": 0, "aggiornato": 0, "invariato": len(rows), "errore": 0}
    assert (KnownBond.objects.count(), Organisation.objects.count()) == (bonds, organisations)
    assert Agreement.objects.count() == agreements_before
