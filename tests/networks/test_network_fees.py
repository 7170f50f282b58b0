"""Yearly fees: one per year, never negative, paid or not, with totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ponti.networks import services
from ponti.networks.models import Fee


def test_a_second_fee_for_the_same_year_is_refused_on_the_year(personas, membership):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1500"))
    with pytest.raises(ValidationError) as info:
        services.save_fee(
            Fee(membership=membership, year=2025, amount=Decimal("10")), user=personas["ufficio"]
        )
    assert list(info.value.message_dict) == ["year"]
    assert "2025" in info.value.message_dict["year"][0]


def test_the_database_refuses_a_duplicate_year_and_a_negative_amount(membership):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1500"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(membership=membership, year=2025, amount=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(membership=membership, year=2026, amount=Decimal("-1"))


def test_the_form_explains_the_duplicate_year_and_keeps_what_was_typed(
    client, personas, membership
):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1500"))
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/reti/{membership.pk}/quote/nuova/", {"year": "2025", "amount": "1750.50"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "La quota del 2025 è già registrata" in html and 'value="1750.50"' in html
    assert membership.fees.count() == 1


def test_the_form_refuses_a_negative_amount(client, personas, membership):
    client.force_login(personas["ufficio"])
    html = client.post(
        f"/reti/{membership.pk}/quote/nuova/", {"year": "2025", "amount": "-5"}
    ).content.decode()
    assert "non può essere negativo" in html
    assert not membership.fees.exists()


def test_the_api_answers_422_naming_the_field(api, membership):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1500"))
    duplicate = api.post(f"/memberships/{membership.pk}/fees", {"year": 2025, "amount": 20})
    assert duplicate.status_code == 422 and list(duplicate.json()["errors"]) == ["year"]
    negative = api.post(f"/memberships/{membership.pk}/fees", {"year": 2026, "amount": -1})
    assert negative.status_code == 422 and "amount" in negative.json()["errors"]
    cents = api.post(f"/memberships/{membership.pk}/fees", {"year": 2026, "amount": 1.005})
    assert cents.status_code == 422 and "amount" in cents.json()["errors"]
    unpaid_with_date = api.post(
        f"/memberships/{membership.pk}/fees", {"year": 2026, "amount": 1, "paid_on": "2026-01-31"}
    )
    assert unpaid_with_date.status_code == 422 and "paid" in unpaid_with_date.json()["errors"]
    moved = api.patch(f"/fees/{membership.fees.get().pk}", {"version": 1, "year": 2024})
    assert moved.status_code == 200 and moved.json()["year"] == 2024


def test_amounts_are_exact_in_the_api(api, membership):
    response = api.post(
        f"/memberships/{membership.pk}/fees", {"year": 2025, "amount": "1234.5", "paid": True}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "1234.50" and response.json()["paid"] is True
    assert api.get(f"/memberships/{membership.pk}/fees").json()[0]["amount"] == "1234.50"


def test_the_page_shows_totals_paid_and_unpaid(client, personas, membership):
    Fee.objects.create(
        membership=membership,
        year=2024,
        amount=Decimal("1000"),
        paid=True,
        paid_on=datetime.date(2024, 3, 1),
    )
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1200.50"))
    client.force_login(personas["revisore"])
    html = client.get(f"/reti/{membership.pk}/").content.decode()
    assert "2.200,50 €" in html  # total
    assert 'id="fees-unpaid">1.200,50 €' in html
    assert "da pagare" in html and "1 marzo 2024" in html
    assert f"/reti/{membership.pk}/quote/" not in html  # a revisore gets no edit links


def test_the_list_counts_unpaid_fees(client, personas, membership):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1"))
    client.force_login(personas["ufficio"])
    assert '<span class="badge bg-danger">1</span>' in client.get("/reti/").content.decode()


def test_a_membership_with_fees_is_not_deleted(client, api, personas, membership):
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1"))
    assert api.delete(f"/memberships/{membership.pk}").status_code == 409
    client.force_login(personas["ufficio"])
    response = client.post(f"/reti/{membership.pk}/elimina/", follow=True)
    assert "elimina prima le quote" in response.content.decode()
    assert membership.fees.exists()
    api.delete(f"/fees/{membership.fees.get().pk}")
    assert api.delete(f"/memberships/{membership.pk}").status_code == 204
