"""Enti: the registry is shared, relation records are seen only by their ente's users."""

from __future__ import annotations


def test_the_registry_is_shared_by_every_ente(client, make_user, other_ente, make_org):
    org = make_org(name="Reims")
    prato_user = make_user("ufficio", username="prato", enti=[other_ente])
    client.force_login(prato_user)
    assert client.get(f"/partner/{org.pk}/").status_code == 200


def test_a_note_is_seen_only_by_users_of_its_ente(client, make_user, ente, other_ente, make_org):
    from ponti.partners.models import OrganisationNote

    org = make_org(name="Reims")
    florence = make_user("ufficio", username="firenze", enti=[ente])
    prato = make_user("ufficio", username="prato", enti=[other_ente])
    client.force_login(florence)
    client.post(
        f"/partner/{org.pk}/note/nuova/",
        {"text": "Incontro con il sindaco a marzo", "confidentiality": "interno"},
    )
    note = OrganisationNote.objects.get()
    assert note.ente == ente and note.author == florence
    assert "Incontro con il sindaco" in client.get(f"/partner/{org.pk}/").content.decode()
    client.force_login(prato)
    assert "Incontro con il sindaco" not in client.get(f"/partner/{org.pk}/").content.decode()
    assert list(OrganisationNote.objects.for_user(prato)) == []
    assert list(OrganisationNote.objects.for_user(florence)) == [note]


def test_with_a_single_ente_the_pages_do_not_mention_enti(client, personas):
    client.force_login(personas["ufficio"])
    page = client.get("/accounts/profilo/").content.decode()
    assert "Enti" not in page


def test_a_user_of_two_enti_sees_them_on_the_profile(client, make_user, ente, other_ente):
    user = make_user("ufficio", username="due", enti=[ente, other_ente])
    client.force_login(user)
    page = client.get("/accounts/profilo/").content.decode()
    assert "Comune di Prato" in page
