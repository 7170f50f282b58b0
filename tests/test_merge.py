"""Merging a duplicate keeps every link and the history of both."""

from __future__ import annotations

from ponti.core.models import AuditEvent, Sector
from ponti.partners import services
from ponti.partners.models import Organisation, OrganisationMerge, OrganisationName, Position


def test_merge_moves_people_names_children_and_fills_gaps(personas, make_org, make_person):
    target = make_org(name="Kyoto", country="JP", city="Kyoto")
    source = make_org(
        name="Kioto",
        country="JP",
        city="Kyoto",
        website="https://www.city.kyoto.lg.jp/",
        wikidata_id="Q34600",
    )
    source.sectors.add(Sector.objects.get(code="cultura"))
    OrganisationName.objects.create(organisation=source, language="ja", name="京都市")
    child = make_org(name="Università di Kyoto", kind="university", parent=source)
    person = make_person(first_name="Daisaku", last_name="Kadokawa")
    Position.objects.create(person=person, organisation=source, role="Sindaco")

    services.merge_organisations(source, target, user=personas["ufficio"])

    target.refresh_from_db()
    assert not Organisation.objects.filter(pk=source.pk).exists()
    assert target.website == "https://www.city.kyoto.lg.jp/" and target.wikidata_id == "Q34600"
    assert list(target.sectors.values_list("code", flat=True)) == ["cultura"]
    assert target.other_names.get().name == "京都市"
    assert Position.objects.get().organisation == target
    child.refresh_from_db()
    assert child.parent == target
    assert target.merged_from.get().source_name == "Kioto"


def test_the_target_history_includes_the_duplicate_history(personas, make_org):
    target = make_org(name="Kyoto")
    source = make_org(name="Kioto")
    source_events = set(AuditEvent.objects.for_object(source).values_list("pk", flat=True))
    services.merge_organisations(source, target, user=personas["ufficio"])
    history = set(services.history_for_organisation(target).values_list("pk", flat=True))
    assert source_events <= history
    assert AuditEvent.objects.filter(action="merge", object_id=str(target.pk)).exists()


def test_merge_through_the_page_needs_confirmation_and_the_merge_permission(
    client, personas, make_org
):
    target, source = make_org(name="Kyoto"), make_org(name="Kioto")
    client.force_login(personas["consigliere"])
    assert client.get(f"/partner/{source.pk}/unisci/").status_code == 403
    client.force_login(personas["ufficio"])
    response = client.post(f"/partner/{source.pk}/unisci/", {"target": str(target.pk)})
    assert response.status_code == 200 and Organisation.objects.filter(pk=source.pk).exists()
    response = client.post(
        f"/partner/{source.pk}/unisci/", {"target": str(target.pk), "confirm": "on"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=source.pk).exists()


def test_merging_two_members_of_the_same_network_keeps_one_membership_link(personas, make_org):
    from ponti.networks.models import NetworkMember

    network = make_org(name="Eurocities", kind="network", country="BE")
    target, source = make_org(name="Kyiv"), make_org(name="Kiev")
    NetworkMember.objects.create(network=network, member=target)
    NetworkMember.objects.create(network=network, member=source)
    services.merge_organisations(source, target, user=personas["ufficio"])
    assert list(NetworkMember.objects.values_list("member__name", flat=True)) == ["Kyiv"]


def test_merge_moves_the_links_of_every_app(personas, ente, make_org):
    """Agreements and meetings (many-to-many), and every relation found on Organisation."""
    import datetime

    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.networks.models import NetworkMember

    target, source = make_org(name="Köln", country="DE"), make_org(name="Colonia", country="DE")
    network = make_org(name="Eurocities", kind="network", country="BE")
    agreement = Agreement.objects.create(
        kind="amicizia", title="Amicizia con Colonia", ente=ente, confidentiality="interno"
    )
    agreement.partners.set([source])
    when = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(
        ente=ente,
        title="Visita",
        status="confermato",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
        confidentiality="interno",
    )
    meeting.counterparts.set([source])
    NetworkMember.objects.create(network=network, member=source)
    source_id = source.pk

    services.merge_organisations(source, target, user=personas["ufficio"])

    assert list(agreement.partners.all()) == [target]
    assert list(meeting.counterparts.all()) == [target]
    assert NetworkMember.objects.get(network=network).member == target
    # Nothing anywhere still points at the duplicate: relations are found, not listed.
    for rel in Organisation._meta.related_objects:
        if rel.related_model is OrganisationMerge:
            continue
        assert not rel.related_model._base_manager.filter(**{rel.field.name: source_id}).exists()


def test_merge_carries_the_ente_the_duplicate_represents(personas, ente, make_org):
    source = make_org(name="Città Metropolitana di Firenze", country="IT", represents=ente)
    target = make_org(name="Metropolitan City of Florence", country="IT")
    services.merge_organisations(source, target, user=personas["amministratore"])
    target.refresh_from_db()
    assert target.represents == ente


def test_the_merge_page_finds_the_one_that_stays_by_name(client, personas, make_org):
    source = make_org(name="Colonia", country="DE")
    target = make_org(name="Köln", country="DE")
    make_org(name="Kölner Dom", country="DE", confidentiality="riservato")
    client.force_login(personas["ufficio"])
    # Before any search: the likely duplicates, with why.
    page = client.get(f"/partner/{source.pk}/unisci/").content.decode()
    assert f'value="{target.pk}"' in page and "GeoNames" in page
    # A search by name, as the htmx fragment.
    fragment = client.get(
        f"/partner/{source.pk}/unisci/", {"q": "koln"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<fieldset" in fragment and f'id="target-{target.pk}"' in fragment
    assert "<html" not in fragment


def test_the_merge_page_never_offers_what_the_user_may_not_see(client, make_user, make_org):
    source = make_org(name="Colonia", country="DE")
    hidden = make_org(name="Köln", country="DE", confidentiality="riservato")
    clerk = make_user("ufficio", username="clerk", clearance="interno")
    client.force_login(clerk)
    for params in ({}, {"q": "Koln"}, {"target": str(hidden.pk)}):
        page = client.get(f"/partner/{source.pk}/unisci/", params).content.decode()
        assert "Köln" not in page and f'value="{hidden.pk}"' not in page
    response = client.post(
        f"/partner/{source.pk}/unisci/", {"target": str(hidden.pk), "confirm": "on"}
    )
    assert response.status_code == 200 and Organisation.objects.filter(pk=source.pk).exists()


def test_merging_the_parent_of_the_target_gives_the_target_its_grandparent(personas, make_org):
    government = make_org(name="Governo federale", kind="government", country="DE")
    source = make_org(name="Land Berlin", kind="metro_region", country="DE", parent=government)
    target = make_org(name="Berlin", country="DE", parent=source)
    services.merge_organisations(source, target, user=personas["ufficio"])
    target.refresh_from_db()
    assert target.parent == government
