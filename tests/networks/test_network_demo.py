"""`ponti demo` loads Florence's memberships as precise as the sources, and again adds nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--force", "--password", "demo-Ponti-2025!", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def eurocities():
    from ponti.networks.models import Membership

    return Membership.objects.select_related("ente").get(network__name="Eurocities")


def test_eurocities_since_2003_with_the_vice_presidency_of_30_november_2018(demo):
    membership = eurocities()
    assert membership.ente.slug == "comune-firenze"
    assert (membership.since_year, membership.since, membership.status) == (2003, None, "attiva")
    roles = {r.kind: r for r in membership.timeline()}
    vice = roles["vicepresidenza"]
    assert (vice.start_date, vice.start_year) == (datetime.date(2018, 11, 30), None)
    assert "Edimburgo" in vice.detail
    executive = roles["comitato_esecutivo"]
    assert (executive.start_date, executive.start_year) == (
        None,
        2015,
    )  # the source gives only the year
    assert "Culture Forum 2013" in membership.notes and "eurocities" in membership.source


def test_uncertain_memberships_are_marked_to_verify(demo, client):
    from ponti.accounts.models import User
    from ponti.networks.models import Membership

    doubtful = Membership.objects.get(network__name__startswith="United Cities")
    assert (doubtful.status, doubtful.confidence) == ("da_confermare", "low")
    assert "da verificare" in doubtful.notes and doubtful.since_year is None  # 2011 was a meeting
    client.force_login(User.objects.get(username="revisore"))
    assert 'id="to-verify"' in client.get(f"/reti/{doubtful.pk}/").content.decode()


def test_every_eurocities_member_is_a_member_of_the_network_and_no_fee_is_invented(demo):
    from ponti.networks.models import Fee, NetworkMember
    from ponti.partners.models import Organisation

    tagged = Organisation.objects.filter(tags__name="Eurocities").count()
    assert NetworkMember.objects.filter(network__name="Eurocities").count() == tagged > 200
    assert not Fee.objects.exists()


def test_the_demo_users_see_the_membership(demo, client):
    from ponti.accounts.models import User

    client.force_login(User.objects.get(username="ufficio"))
    assert f'href="/reti/{eurocities().pk}/"' in client.get("/reti/").content.decode()


def test_running_it_again_adds_nothing(demo):
    from ponti.core.models import AuditEvent
    from ponti.networks.models import Membership, MembershipRole, NetworkMember

    counts = (
        Membership.objects.count(),
        MembershipRole.objects.count(),
        NetworkMember.objects.count(),
    )
    events = AuditEvent.objects.count()
    output = run_demo()
    assert "0 adesioni nuove, 0 adesioni aggiornate, 0 ruoli nuovi" in output
    assert (
        Membership.objects.count(),
        MembershipRole.objects.count(),
        NetworkMember.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events
