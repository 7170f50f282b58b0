"""The agreements API: a pact from proposal to active, and its refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.helpers import token_client


def test_a_pact_goes_from_proposal_to_active_through_the_api(personas, make_org):
    api = token_client(personas["ufficio"])
    reims = make_org(name="Reims", country="FR")
    response = api.post(
        "/agreements",
        {
            "kind": "amicizia",
            "title": "Patto di amicizia con Reims",
            "partner_ids": [reims.pk],
            "sectors": ["cultura"],
        },
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["status"] == "proposta" and agreement["partners"][0]["name"] == "Reims"
    pk = agreement["id"]
    steps = [
        {"target": "negoziazione"},
        {
            "target": "approvato",
            "approval_body": "consiglio",
            "approval_number": "45",
            "approval_date": "2026-03-10",
        },
        {
            "target": "firmato",
            "signed_on": "2026-04-02",
            "signed_place": "Palazzo Vecchio, Firenze",
        },
        {"target": "attivo", "note": "In vigore"},
    ]
    for step in steps:
        response = api.post(f"/agreements/{pk}/transitions", step)
        assert response.status_code == 200, response.json()
    assert response.json()["status"] == "attivo" and response.json()["signed_on"] == "2026-04-02"
    timeline = api.get(f"/agreements/{pk}/transitions").json()
    assert [t["target"] for t in timeline] == ["negoziazione", "approvato", "firmato", "attivo"]


def test_an_illegal_transition_is_422_naming_status(personas, make_org):
    from ponti.agreements.models import Agreement

    api = token_client(personas["ufficio"])
    pk = api.post(
        "/agreements", {"kind": "mou", "title": "MoU", "partner_ids": [make_org().pk]}
    ).json()["id"]
    Agreement.objects.filter(pk=pk).update(status="firmato")
    response = api.post(f"/agreements/{pk}/transitions", {"target": "proposta"})
    assert response.status_code == 422 and "status" in response.json()["errors"]


def test_a_revisore_can_read_but_not_write(personas, make_org):
    writer, reader = token_client(personas["ufficio"]), token_client(personas["revisore"])
    pk = writer.post(
        "/agreements", {"kind": "mou", "title": "MoU", "partner_ids": [make_org().pk]}
    ).json()["id"]
    assert reader.get(f"/agreements/{pk}").status_code == 200
    assert (
        reader.post(
            "/agreements", {"kind": "mou", "title": "X", "partner_ids": [make_org().pk]}
        ).status_code
        == 403
    )
    assert (
        reader.post(f"/agreements/{pk}/transitions", {"target": "negoziazione"}).status_code == 403
    )
    assert reader.patch(f"/agreements/{pk}", {"version": 1, "title": "Y"}).status_code == 403


def test_end_before_start_and_unknown_partner_are_422(personas):
    api = token_client(personas["ufficio"])
    response = api.post(
        "/agreements",
        {
            "kind": "mou",
            "title": "MoU",
            "partner_ids": [999999],
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
    )
    assert response.status_code == 422
    assert {"partner_ids", "end_date"} <= set(response.json()["errors"])


def test_stale_version_is_409(personas, make_org):
    api = token_client(personas["ufficio"])
    pk = api.post(
        "/agreements", {"kind": "mou", "title": "MoU", "partner_ids": [make_org().pk]}
    ).json()["id"]
    assert api.patch(f"/agreements/{pk}", {"version": 1, "title": "Nuovo"}).status_code == 200
    assert api.patch(f"/agreements/{pk}", {"version": 1, "title": "Vecchio"}).status_code == 409


def test_commitment_owned_by_another_ente_is_422(personas, make_user, other_ente, make_org):
    api = token_client(personas["ufficio"])
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    pk = api.post(
        "/agreements", {"kind": "mou", "title": "MoU", "partner_ids": [make_org().pk]}
    ).json()["id"]
    response = api.post(
        f"/agreements/{pk}/commitments", {"description": "Mostra", "owner_id": outsider.pk}
    )
    assert response.status_code == 422 and "owner_id" in response.json()["errors"]
    ok = api.post(
        f"/agreements/{pk}/commitments",
        {"description": "Mostra", "owner_id": personas["consigliere"].pk, "due_date": "2027-01-31"},
    )
    assert ok.status_code == 201


def test_documents_upload_and_download_through_the_api(personas, make_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = token_client(personas["ufficio"])
    pk = api.post(
        "/agreements", {"kind": "mou", "title": "MoU", "partner_ids": [make_org().pk]}
    ).json()["id"]
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = api.client.post(
        f"/api/v1/agreements/{pk}/documents",
        {"file": SimpleUploadedFile("testo.pdf", pdf), "title": "Testo"},
    )
    assert response.status_code == 201, response.content
    url = response.json()["download_url"]
    reader = token_client(personas["revisore"])
    download = reader.client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    bad = api.client.post(
        f"/api/v1/agreements/{pk}/documents",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00rest")},
    )
    assert bad.status_code == 422 and "file" in bad.json()["errors"]


def test_due_items_endpoint(personas, make_org):
    import datetime

    api = token_client(personas["ufficio"])
    pk = api.post(
        "/agreements",
        {
            "kind": "mou",
            "title": "MoU in scadenza",
            "partner_ids": [make_org().pk],
            "end_date": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
        },
    ).json()["id"]
    from ponti.agreements.models import Agreement

    Agreement.objects.filter(pk=pk).update(status="attivo")
    items = api.get("/due-items").json()
    assert any(i["title"] == "MoU in scadenza" and i["kind"] == "scadenza" for i in items)
