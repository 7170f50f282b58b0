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
