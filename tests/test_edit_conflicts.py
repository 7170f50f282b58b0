"""Two people editing the same record: the second save is refused and shown what changed."""

from __future__ import annotations

import pytest

from ponti.core.services import ConflictError
from ponti.partners import services


def _form(org, **changes):
    data = {
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "city": org.city,
        "confidentiality": org.confidentiality,
        "version": org.version,
    }
    data.update(changes)
    return data


def test_the_second_save_is_refused_with_the_changes_made_meanwhile(client, personas, make_org):
    org = make_org(name="Kassel", city="Kassel")
    stale = _form(org, description="La mia descrizione")
    client.force_login(personas["consigliere"])
    assert (
        client.post(f"/partner/{org.pk}/modifica/", _form(org, city="Kassel (Hessen)")).status_code
        == 302
    )
    client.force_login(personas["ufficio"])
    response = client.post(f"/partner/{org.pk}/modifica/", stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "qualcun altro ha modificato" in page
    assert "Kassel (Hessen)" in page and "consigliere" in page
    assert "La mia descrizione" in page  # nothing typed is lost
    org.refresh_from_db()
    assert org.city == "Kassel (Hessen)" and org.description == ""


def test_the_service_refuses_a_stale_version(personas, make_org):
    org = make_org()
    services.update_organisation(
        org, user=personas["ufficio"], data={"city": "Lione"}, expected_version=1
    )
    with pytest.raises(ConflictError) as info:
        services.update_organisation(
            org, user=personas["ufficio"], data={"city": "Lyon"}, expected_version=1
        )
    assert info.value.changes[0]["by"] == "ufficio"
    org.refresh_from_db()
    assert org.city == "Lione" and org.version == 2
