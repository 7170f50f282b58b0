"""Lists for whoever works across an ente and the enti under it: an ente column and filter."""

from __future__ import annotations

from typing import Any


def test_the_agreement_and_meeting_lists_filter_by_ente_for_a_user_of_several(
    client: Any, make_user: Any, ente: Any, make_org: Any
) -> None:
    from ponti.agreements.models import Agreement
    from ponti.core.models import Ente
    from ponti.meetings.models import Meeting

    comune = Ente.objects.create(name="Comune di Scandicci", slug="scandicci", parent=ente)
    for owner, title in ((ente, "Metropolitano"), (comune, "Comunale")):
        Agreement.objects.create(
            ente=owner, kind="amicizia", title=f"Patto {title}", confidentiality="interno"
        )
        Meeting.objects.create(ente=owner, title=f"Incontro {title}", confidentiality="interno")
    both = make_user("ufficio", username="entrambi", enti=[ente, comune])
    client.force_login(both)
    for url, word in (("/accordi/", "Patto"), ("/incontri/", "Incontro")):
        page = client.get(url).content.decode()
        assert 'name="ente"' in page and "Comune di Scandicci</td>" in page, url
        only = client.get(f"{url}?ente={comune.pk}").content.decode()
        assert f"{word} Comunale" in only and f"{word} Metropolitano" not in only, url
    one = make_user("ufficio", username="uno", enti=[ente])
    client.force_login(one)
    assert 'name="ente"' not in client.get("/accordi/").content.decode()
    # An ente that is not the user's is no choice: the filter is ignored, nothing else is shown.
    other = Ente.objects.create(name="Comune di Prato", slug="prato-x")
    client.force_login(both)
    assert "Patto Metropolitano" in client.get(f"/accordi/?ente={other.pk}").content.decode()


def test_memberships_gifts_actions_and_budget_lines_filter_by_ente_on_pages_and_api(
    client: Any, make_user: Any, ente: Any
) -> None:
    from ponti.core.models import Ente
    from ponti.meetings.models import FollowUpAction, Gift
    from ponti.networks.models import Membership
    from ponti.partners.models import Organisation
    from ponti.planning.models import BudgetCode, BudgetLine

    comune = Ente.objects.create(name="Comune di Scandicci", slug="scandicci", parent=ente)
    both = make_user("ufficio", username="entrambi", enti=[ente, comune])
    titolo = BudgetCode.objects.filter(level="titolo", side="spesa").first()
    for owner, word in ((ente, "Metropolitano"), (comune, "Comunale")):
        network = Organisation.objects.create(name=f"Rete {word}", kind="network", country="BE")
        Membership.objects.create(ente=owner, network=network, since_year=2003)
        city = Organisation.objects.create(name=f"Città {word}", kind="city", country="FR")
        Gift.objects.create(
            ente=owner, direction="ricevuto", description=f"Dono {word}", confidentiality="interno"
        )
        FollowUpAction.objects.create(
            ente=owner,
            organisation=city,
            description=f"Azione {word}",
            owner=both,
            confidentiality="interno",
        )
        BudgetLine.objects.create(
            ente=owner, number=f"9{len(word)}", description=f"Capitolo {word}", side="spesa",
            titolo=titolo,
        )  # fmt: skip
    client.force_login(both)
    pages = (
        ("/reti/", "Rete"),
        ("/incontri/doni/", "Dono"),
        ("/incontri/azioni/", "Azione"),
        ("/programmazione/capitoli/", "Capitolo"),
    )
    for url, word in pages:
        page = client.get(url).content.decode()
        assert 'name="ente"' in page, url
        assert f"{word} Comunale" in page and f"{word} Metropolitano" in page, url
        only = client.get(f"{url}?ente={comune.pk}").content.decode()
        table = only[only.index("<table") : only.index("</table>")]
        assert f"{word} Comunale" in table and f"{word} Metropolitano" not in table, url
        # The export keeps the filter.
        exported = client.get(f"{url}?ente={comune.pk}&export=csv")
        text = b"".join(exported.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        assert f"{word} Metropolitano" not in text, url
    api = (
        ("/api/v1/gifts", "description", "Dono"),
        ("/api/v1/actions", "description", "Azione"),
        ("/api/v1/budget-lines", "description", "Capitolo"),
        ("/api/v1/memberships", "network_name", "Rete"),
    )
    for url, key, _word in api:
        items = client.get(f"{url}?ente_id={comune.pk}").json()["items"]
        found = {str(i.get(key, "")) for i in items}
        assert any("Comunale" in f for f in found) and not any(
            "Metropolitano" in f for f in found
        ), (url, found)
    one = make_user("ufficio", username="uno", enti=[ente])
    client.force_login(one)
    for url, _word in pages:
        assert 'name="ente"' not in client.get(url).content.decode(), url
