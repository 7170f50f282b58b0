"""One partner in any language: the matcher shared by imports and the duplicate warning."""

from __future__ import annotations

import pytest

from ponti.core.countries import parse_country
from ponti.partners import gazetteer
from ponti.partners.matching import OrganisationIndex, candidates
from ponti.partners.models import Organisation, OrganisationName

pytestmark = pytest.mark.django_db


def _certain(index, name, **kwargs):
    return [c.organisation.name for c in index.match(name, **kwargs) if c.certain]


@pytest.mark.parametrize(
    ("stored", "country", "written"),
    [
        ("Paris", "FR", "Parigi"),
        ("Köln", "DE", "Colonia"),
        ("Köln", "DE", "Cologne"),
        ("Cologne", "DE", "Köln"),
        ("London", "GB", "Londra"),
        ("Kraków", "PL", "Cracovia"),
        ("Krakow", "PL", "Kraków"),
        ("Kyiv", "UA", "Kiev"),
        ("Edinburgh", "GB", "Edimburgo"),
        ("Nanjing", "CN", "Nanchino"),
        ("Nanjing", "CN", "南京"),
        ("Comune di Firenze", "IT", "Firenze"),
    ],
)
def test_it_recognises_a_city_written_in_another_language(make_org, stored, country, written):
    make_org(name=stored, country=country)
    index = OrganisationIndex(Organisation.objects.all())
    assert _certain(index, written, country=country) == [stored]


def test_it_finds_an_organisation_by_a_stored_name_in_another_language(make_org):
    org = make_org(name="Kyoto", country="JP")
    OrganisationName.objects.create(organisation=org, language="ja", name="京都市役所")
    index = OrganisationIndex(Organisation.objects.all())
    (found,) = index.match("京都市役所", country="JP")
    assert found.certain and found.organisation == org
    assert "京都市役所" in " ".join(found.reasons)


def test_a_same_name_city_in_another_country_is_never_certain(make_org):
    make_org(name="Paris", country="US")
    make_org(name="Colonia", country="UY")
    index = OrganisationIndex(Organisation.objects.all())
    paris = index.match("Paris", country="FR")
    assert paris and not any(c.certain for c in paris) and not paris[0].probable
    assert not any(c.certain for c in index.match("Colonia", country="DE"))


def test_the_wikidata_id_wins_over_names(make_org):
    make_org(name="Firenze", country="IT")
    florence = make_org(name="Comune di Firenze (ente)", country="IT", wikidata_id="Q2044")
    index = OrganisationIndex(Organisation.objects.all())
    best = index.match("Florenz", country="DE", wikidata_id="q2044")[0]
    assert best.organisation == florence and best.certain and best.score == 1.0
    assert "Q2044" in best.reasons[0]


def test_a_close_name_in_the_same_country_is_probable_not_certain(make_org):
    make_org(name="Università degli Studi di Firenze", country="IT", kind="university")
    index = OrganisationIndex(Organisation.objects.all())
    (found,) = index.match("Universita degli Studi di Firenz", country="IT")
    assert found.probable and not found.certain


def test_a_nearby_organisation_with_a_similar_name_is_probable(make_org):
    make_org(
        name="Camera di Commercio di Firenze",
        country="IT",
        kind="chamber",
        latitude="43.7700",
        longitude="11.2500",
    )
    index = OrganisationIndex(Organisation.objects.all())
    found = index.match(
        "Camera di Commercio Firenze Prato", country="IT", latitude=43.78, longitude=11.26
    )
    assert found and found[0].probable and not found[0].certain
    assert "km" in " ".join(found[0].reasons)


def test_an_organisation_added_during_an_import_is_found_by_later_rows(make_org):
    index = OrganisationIndex(Organisation.objects.none())
    assert index.match("Londra", country="GB") == []
    index.add(make_org(name="London", country="GB"))
    assert _certain(index, "Londra", country="GB") == ["London"]


def test_riservato_organisations_are_not_candidates_for_a_reader_without_clearance(
    personas, make_org
):
    make_org(name="Paris", country="FR", confidentiality="riservato")
    reader = personas["revisore"]  # no riservato clearance
    assert OrganisationIndex.visible_to(reader).match("Parigi", country="FR") == []
    assert candidates("Parigi", reader=reader, country="FR") == []
    assert OrganisationIndex.visible_to(personas["amministratore"]).match("Parigi", country="FR")
    assert candidates("Parigi", reader=personas["amministratore"], country="FR")


def test_candidates_find_a_city_stored_under_its_local_name(personas, make_org):
    koln = make_org(name="Köln", country="DE")
    make_org(name="Colonia del Sacramento", country="UY")
    found = candidates("Colonia", reader=personas["ufficio"], country="DE")
    assert found[0].organisation == koln and found[0].certain


def test_the_gazetteer_gives_coordinates():
    lat, lon = gazetteer.coordinates("Colonia", "DE")
    assert abs(lat - 50.93) < 0.1 and abs(lon - 6.95) < 0.1
    assert gazetteer.coordinates("Atlantide", "IT") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germania", "DE"),
        ("Deutschland", "DE"),
        ("DE", "DE"),
        ("deu", "DE"),
        ("Regno Unito", "GB"),
        ("Stati Uniti d’America", "US"),
        ("Polska", "PL"),
        ("Україна", "UA"),
        ("Costa d'Avorio", "CI"),
        ("Kosovo", "XK"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_parse_country_reads_codes_and_names_in_several_languages(text, code):
    assert parse_country(text) == code
