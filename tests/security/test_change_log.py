"""The change log holds its boundaries: every event carries the ente and the confidentiality of
its record, every bulk write is recorded, each event says where it came from, and the page, the
API and the CSV show each reader only the events of their enti and clearance."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from ponti.core import audit
from ponti.core.audit import acting_as, in_channel, is_audited
from ponti.core.models import AuditedQuerySet, AuditEvent, AuditLink
from tests.api.helpers import token_client
from tests.security.builders import build

pytestmark = pytest.mark.django_db

AUDITED = sorted(m._meta.label_lower for m in apps.get_models() if is_audited(m))
# Records with no confidentiality of their own nor in their owners: their events are pubblico.
NOT_CONFIDENTIAL = {
    "core.ente",
    "core.sector",
    "core.tag",
    "meetings.calendarfeed",
    "meetings.screeningcriterion",
    "planning.budgetcode",
    "partners.retentionrule",
    "opportunities.programme",
}
# The office's staff data: users, their places and their tokens are read within their ente.
STAFF = {
    "accounts.apitoken",
    "accounts.user",
    "accounts.membership",
    "core.importmapping",
    "opportunities.savedsearch",
}
# Owned by the accounts app, whose querysets the change log does not own yet (their only bulk
# write, a token's last use, is bookkeeping): the day they derive from AuditedQuerySet, drop them.
# A membership has only choice fields (role, clearance), changed one by one by the office.
BULK_EXEMPT = {"accounts.apitoken", "accounts.user", "accounts.membership"}
LOG = "/registro-modifiche/"
API = "/api/v1/audit-events"


def _ct(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


@pytest.fixture
def make_agreement(ente: Any, make_org: Any) -> Any:
    from ponti.agreements.models import Agreement

    def make(**values: Any) -> Any:
        agreement = Agreement.objects.create(
            **{"ente": ente, "kind": "amicizia", "title": "Patto con Reims", **values}
        )
        agreement.partners.add(make_org(name="Reims"))
        return agreement

    return make


@pytest.fixture
def prato_admin(make_user: Any, other_ente: Any) -> Any:
    return make_user("amministratore", username="admin-prato", enti=[other_ente])


# --- every event carries its ente and confidentiality ------------------------------------------


@pytest.mark.parametrize("label", AUDITED)
def test_creating_any_audited_record_records_its_ente_and_confidentiality(
    label: str, other_ente: Any
) -> None:
    """Built in a second ente (not the default one), with every confidential record riservato."""
    model = apps.get_model(label)
    obj = build(model, ente=other_ente)
    event = AuditEvent.objects.get(action="create", content_type=_ct(model), object_id=obj.pk)
    expected_ente = None if label in audit.NO_ENTE else other_ente.pk
    assert event.ente_id == expected_ente, f"{label}: the event's ente"
    expected_level = (
        "interno" if label in STAFF else "pubblico" if label in NOT_CONFIDENTIAL else "riservato"
    )
    assert event.confidentiality == expected_level, f"{label}: the event's confidentiality"


def test_the_list_of_records_without_an_ente_names_only_audited_models() -> None:
    assert set(AUDITED) >= audit.NO_ENTE
    assert set(AUDITED) >= NOT_CONFIDENTIAL


def test_a_child_record_is_as_confidential_as_its_strictest_owner(ente: Any, make_org: Any) -> None:
    from ponti.networks.models import Fee, Membership

    network = make_org(name="Rete riservata", kind="network", confidentiality="riservato")
    membership = Membership.objects.create(ente=ente, network=network, confidentiality="interno")
    fee = Fee.objects.create(membership=membership, year=2025, amount=100)
    event = AuditEvent.objects.for_object(fee).get(content_type=_ct(Fee))
    assert (event.ente_id, event.confidentiality) == (ente.pk, "riservato")


def test_past_events_get_the_ente_and_confidentiality_of_their_records(
    ente: Any, make_agreement: Any, make_person: Any
) -> None:
    """The data migration reads them from the events' links."""
    from ponti.agreements.models import Signatory

    agreement = make_agreement(confidentiality="riservato")
    signatory = Signatory.objects.create(agreement=agreement, side="nostro", name="Sindaca")
    # An event as they were recorded before: no ente, the signatory's own level.
    old = AuditEvent.objects.create(
        action="update",
        content_type=_ct(Signatory),
        object_id=str(signatory.pk),
        object_repr=str(signatory),
        confidentiality="pubblico",
    )
    for obj in (signatory, agreement):
        AuditLink.objects.create(event=old, content_type=_ct(type(obj)), object_id=str(obj.pk))
    gone = AuditEvent.objects.create(
        action="delete", content_type=_ct(Signatory), object_id="999999", object_repr="Ex"
    )
    migration = importlib.import_module("ponti.core.migrations.0011_audit_backfill_ente")
    # As on an instance that upgrades: every app's models migrated, only this one to run.
    state = MigrationExecutor(connection).loader.project_state()

    class Editor:  # what the migration reads of its schema editor
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.backfill(state.apps, editor)

    old = AuditEvent.objects.get(pk=old.pk)
    assert (old.ente_id, old.confidentiality) == (ente.pk, "riservato")
    gone = AuditEvent.objects.get(pk=gone.pk)
    assert (gone.ente_id, gone.confidentiality) == (None, "pubblico")


# --- bulk writes ------------------------------------------------------------------------------


def _field_to_change(model: type[models.Model]) -> tuple[models.Field, Any, Any] | None:
    """A field a bulk update can change on any row: (field, new value, as the trail keeps it)."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in audit.IGNORED_FIELDS | audit.SECRET_FIELDS
    ]
    for field in fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and field.name not in {"code", "language"}
            and (field.max_length or 20) >= 10
        ):
            return field, "modificato", "modificato"
    for field in fields:
        if isinstance(field, models.DateTimeField) and field.null:
            return field, AT, AT.isoformat()
    return None


@pytest.mark.parametrize("label", [label for label in AUDITED if label not in BULK_EXEMPT])
def test_a_bulk_update_of_any_audited_model_is_recorded_with_its_scope_and_ids(
    label: str, other_ente: Any
) -> None:
    model = apps.get_model(label)
    assert isinstance(model._default_manager.get_queryset(), AuditedQuerySet), (
        f"{label}: its queryset must derive from core.models.AuditedQuerySet"
    )
    obj = build(model, ente=other_ente)
    change = _field_to_change(model)
    assert change is not None, f"{label}: no field to update"
    field, value, recorded = change
    old = getattr(obj, field.attname)
    model._default_manager.filter(pk=obj.pk).update(**{field.name: value})
    event = AuditEvent.objects.get(action="bulk", content_type=_ct(model))
    assert event.changes[field.attname] == [old, recorded]
    assert event.changes["ids"] == [obj.pk] and event.object_id == str(obj.pk)
    assert event.ente_id == (None if label in audit.NO_ENTE else other_ente.pk)
    expected = (
        "interno" if label in STAFF else "pubblico" if label in NOT_CONFIDENTIAL else "riservato"
    )
    assert event.confidentiality == expected
    assert event in AuditEvent.objects.for_object(obj)


def test_a_bulk_update_across_enti_records_one_event_per_ente(ente: Any, other_ente: Any) -> None:
    from ponti.meetings.models import Meeting

    ours = Meeting.objects.create(ente=ente, title="Nostro", confidentiality="interno")
    theirs = Meeting.objects.create(ente=other_ente, title="Loro", confidentiality="riservato")
    Meeting.objects.filter(pk__in=[ours.pk, theirs.pk]).update(status="annullato")
    events = AuditEvent.objects.filter(action="bulk").order_by("ente_id")
    assert [(e.ente_id, e.confidentiality, e.changes["ids"]) for e in events] == sorted(
        [(ente.pk, "interno", [ours.pk]), (other_ente.pk, "riservato", [theirs.pk])]
    )


def test_bulk_create_and_bulk_update_are_recorded_once_with_the_ids(
    personas: Any, make_agreement: Any
) -> None:
    from ponti.agreements.models import Commitment

    agreement = make_agreement(confidentiality="riservato")
    owner = personas["ufficio"]
    with acting_as(owner):
        made = Commitment.objects.bulk_create(
            [
                Commitment(agreement=agreement, description=f"Impegno {i}", owner=owner)
                for i in (1, 2)
            ]
        )
    created = AuditEvent.objects.get(action="bulk")
    assert created.changes["ids"] == [c.pk for c in made] and created.changes["count"] == 2
    assert (created.ente_id, created.confidentiality) == (agreement.ente_id, "riservato")
    assert created.actor == owner and created.object_id == "*"
    assert created in AuditEvent.objects.for_object(agreement)  # the parent's history shows it

    for c in made:
        c.description += " (rivisto)"
    Commitment.objects.bulk_update(made, ["description"])
    updated = AuditEvent.objects.filter(action="bulk").exclude(pk=created.pk)
    assert updated.count() == 1  # bulk_update calls update(): one event, not two
    assert updated.get().changes["ids"] == [c.pk for c in made]


def test_a_queryset_delete_records_each_row(make_agreement: Any) -> None:
    from ponti.agreements.models import Signatory

    agreement = make_agreement()
    for name in ("Uno", "Due"):
        Signatory.objects.create(agreement=agreement, side="nostro", name=name)
    Signatory.objects.filter(agreement=agreement).delete()
    deleted = AuditEvent.objects.filter(action="delete", content_type=_ct(Signatory))
    assert deleted.count() == 2
    assert {e.ente_id for e in deleted} == {agreement.ente_id}


def test_bookkeeping_and_unchanged_rows_record_nothing(ente: Any, make_org: Any) -> None:
    from ponti.meetings.models import Meeting
    from ponti.partners.models import Organisation

    org = make_org()
    meeting = Meeting.objects.create(ente=ente, title="Incontro", status="confermato")
    before = AuditEvent.objects.count()
    Organisation.objects.filter(pk=org.pk).update(search_text="qualcosa")
    Meeting.objects.filter(pk=meeting.pk).update(status="confermato")
    assert AuditEvent.objects.count() == before


def test_a_versioned_save_records_one_event_not_a_bulk_one(personas: Any, make_org: Any) -> None:
    from ponti.core.services import save_versioned

    org = make_org()
    org.city = "Reims (Marne)"
    save_versioned(org, expected_version=org.version, user=personas["ufficio"])
    assert list(AuditEvent.objects.for_object(org).values_list("action", flat=True)) == [
        "update",
        "create",
    ]


# --- channels ---------------------------------------------------------------------------------


def _last(model: type[models.Model]) -> AuditEvent:
    return AuditEvent.objects.filter(content_type=_ct(model)).order_by("-id").first()  # type: ignore[return-value]


def test_a_page_records_the_web_channel(client: Client, personas: Any) -> None:
    from ponti.partners.models import Organisation

    client.force_login(personas["ufficio"])
    response = client.post(
        "/partner/nuovo/",
        {"name": "Kassel", "kind": "city", "country": "DE", "confidentiality": "interno"},
    )
    assert response.status_code == 302
    assert _last(Organisation).channel == "web"


def test_the_api_records_the_api_channel_with_a_token_or_a_session(
    client: Client, personas: Any
) -> None:
    from ponti.partners.models import Organisation

    body = {"name": "Kyoto", "kind": "city", "country": "JP", "city": "Kyoto"}
    assert token_client(personas["ufficio"]).post("/organisations", body).status_code == 201
    assert _last(Organisation).channel == "api"
    client.force_login(personas["ufficio"])
    response = client.post(
        "/api/v1/organisations", {**body, "name": "Nara"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert _last(Organisation).channel == "api"


def test_a_command_records_the_command_channel(personas: Any, capsys: Any) -> None:
    from ponti.accounts.models import ApiToken

    call_command("token", "ufficio")
    assert _last(ApiToken).channel == "command"


def test_an_import_records_the_import_channel(client: Client, personas: Any, ente: Any) -> None:
    from ponti.core.importing import services
    from ponti.planning.models import BudgetCode

    data = b"level,side,code,name,parent_code\nmissione,spesa,99,Missione di prova,\n"
    user = personas["amministratore"]
    # From a page, as the office imports: the import, not the web, is where it came from.
    with in_channel("web"):
        batch = services.start(
            user=user,
            ente=ente,
            kind="budget-codes",
            filename="codici.csv",
            data=data,
            background=False,
        )
        batch = services.confirm(batch, user=user, background=False)
    assert batch.status == "done"
    event = _last(BudgetCode)
    assert (event.channel, event.object_repr) == ("import", "99 - Missione di prova")


def test_a_change_outside_any_channel_is_the_system(make_org: Any) -> None:
    from ponti.partners.models import Organisation

    make_org()
    assert _last(Organisation).channel == "system"


def test_djangos_own_commands_are_the_system_and_pontis_are_commands() -> None:
    from django.core.management.commands.migrate import Command as Migrate

    from ponti.core.management.commands.scadenze import Command as Scadenze

    assert audit.command_channel(Migrate()) == "system"
    assert audit.command_channel(Scadenze()) == "command"


# --- who reads the log, and what they see --------------------------------------------------------


@pytest.fixture
def florence_secrets(personas: Any, ente: Any, make_org: Any) -> dict[str, Any]:
    """Florence's office records a riservato meeting with a participant and a gift."""
    from ponti.meetings.models import Gift, Meeting, Participant

    with acting_as(personas["ufficio"]):
        meeting = Meeting.objects.create(
            ente=ente, title="Incontro segreto con Kyoto", confidentiality="riservato"
        )
        Participant.objects.create(meeting=meeting, side="controparte", guest_name="Ospite Segreto")
        Gift.objects.create(
            ente=ente,
            meeting=meeting,
            direction="dato",
            description="Dono segreto",
            confidentiality="riservato",
        )
        open_meeting = Meeting.objects.create(
            ente=ente, title="Incontro aperto con Reims", confidentiality="interno"
        )
    return {"meeting": meeting, "open": open_meeting}


def _api_reprs(user: Any, **params: Any) -> list[str]:
    response = token_client(user).get("/audit-events", {"limit": 100, **params})
    assert response.status_code == 200, response.content
    return [item["object_repr"] for item in response.json()["items"]]


def _page(client: Client, user: Any, **params: Any) -> str:
    client.force_login(user)
    response = client.get(LOG, params)
    assert response.status_code == 200
    return response.content.decode()


def test_another_entes_riservato_events_never_show(
    client: Client, prato_admin: Any, florence_secrets: Any
) -> None:
    page = _page(client, prato_admin)
    csv = b"".join(client.get(LOG, {"export": "csv"}).streaming_content).decode()
    api = _api_reprs(prato_admin)
    for text in ("segreto", "Segreto", "con Kyoto", "con Reims"):
        assert text not in page and text not in csv
        assert not any(text in r for r in api)
    assert _api_reprs(prato_admin, q="segreto") == []


def test_a_reader_sees_only_the_levels_of_their_clearance(
    client: Client, personas: Any, florence_secrets: Any
) -> None:
    # The Amministratore (riservato) reads all of Florence's; the Revisore (interno) not the secrets.
    admin = _api_reprs(personas["amministratore"])
    assert "Incontro segreto con Kyoto" in admin and "Dono segreto" in admin
    assert any("Ospite Segreto" in r for r in admin)
    revisore = _api_reprs(personas["revisore"])
    assert "Incontro aperto con Reims" in revisore
    assert not any("egreto" in r for r in revisore)
    page = _page(client, personas["revisore"])
    assert "Incontro aperto con Reims" in page and "egreto" not in page


def test_names_of_linked_records_the_reader_may_not_see_are_hidden(
    client: Client, personas: Any, florence_secrets: Any, make_org: Any
) -> None:
    secret = make_org(name="Consolato Riservato", confidentiality="riservato")
    with acting_as(personas["ufficio"]):
        florence_secrets["open"].counterparts.add(secret)
    page = _page(client, personas["revisore"], kind="meetings.meeting")
    assert "Consolato Riservato" not in page and "un record riservato" in page
    csv = b"".join(
        client.get(LOG, {"kind": "meetings.meeting", "export": "csv"}).streaming_content
    ).decode()
    assert "Consolato Riservato" not in csv and "un record riservato" in csv
    items = token_client(personas["revisore"]).get("/audit-events", {"kind": "meetings.meeting"})
    assert "Consolato Riservato" not in items.content.decode()
    assert "Consolato Riservato" in _page(client, personas["amministratore"])


@pytest.mark.parametrize("role", ["amministratore", "revisore"])
def test_the_administrator_and_the_auditor_read_the_log(
    client: Client, personas: Any, role: str
) -> None:
    client.force_login(personas[role])
    assert client.get(LOG).status_code == 200
    assert token_client(personas[role]).get("/audit-events").status_code == 200


@pytest.mark.parametrize("role", ["ufficio", "consigliere", "segreteria", "responsabile"])
def test_other_roles_may_not_read_the_log(client: Client, personas: Any, role: str) -> None:
    client.force_login(personas[role])
    assert client.get(LOG).status_code == 403
    assert token_client(personas[role]).get("/audit-events").status_code == 403


def test_without_login_the_log_is_closed(client: Client) -> None:
    assert client.get(LOG).status_code == 302
    assert client.get(API).status_code == 401


# --- filters ----------------------------------------------------------------------------------

AT = datetime.datetime(2025, 5, 10, 12, 0, tzinfo=datetime.UTC)


def _event(repr_: str, **fields: Any) -> AuditEvent:
    from ponti.partners.models import Organisation

    values: dict[str, Any] = {
        "action": "update",
        "content_type": _ct(Organisation),
        "object_id": "1",
        "object_repr": repr_,
        "confidentiality": "interno",
        "channel": "web",
        "actor_repr": "ufficio",
        "at": AT,
    }
    values.update(fields)
    return AuditEvent.objects.create(**values)


@pytest.fixture
def reader_of_two(make_user: Any, personas: Any, ente: Any, other_ente: Any) -> Any:
    from ponti.meetings.models import Meeting

    reader = make_user("revisore", username="revisore-due", enti=[ente, other_ente])
    _event("Base")
    _event("Un incontro", content_type=_ct(Meeting))
    _event("Del consigliere", actor_repr="consigliere")
    _event("Del sistema", actor_repr="")
    _event("Di aprile", at=datetime.datetime(2025, 4, 2, 9, 0, tzinfo=datetime.UTC))
    _event("Di giugno", at=datetime.datetime(2025, 6, 20, 9, 0, tzinfo=datetime.UTC))
    _event("Dall'API", channel="api")
    _event("Creato", action="create")
    _event("Di Firenze", ente=ente)
    _event("Di Prato", ente=other_ente)
    return reader


MINE = {
    "Base",
    "Un incontro",
    "Del consigliere",
    "Del sistema",
    "Di aprile",
    "Di giugno",
    "Dall'API",
    "Creato",
    "Di Firenze",
    "Di Prato",
}
FILTERS = [
    ({"kind": "meetings.meeting"}, ["Un incontro"]),
    ({"actor": "consigliere"}, ["Del consigliere"]),
    ({"actor": "(sistema)"}, ["Del sistema"]),
    ({"date_from": "01/06/2025"}, ["Di giugno"]),
    ({"date_to": "30/04/2025"}, ["Di aprile"]),
    ({"date_from": "2025-04-01", "date_to": "2025-04-30"}, ["Di aprile"]),
    ({"channel": "api"}, ["Dall'API"]),
    ({"action": "create"}, ["Creato"]),
    ({"q": "PRATO"}, ["Di Prato"]),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_filter_narrows_the_page_and_the_api(
    client: Client, reader_of_two: Any, params: dict[str, str], expected: list[str]
) -> None:
    api_params = {
        k: (datetime.datetime.strptime(v, "%d/%m/%Y").date().isoformat() if "/" in v else v)
        for k, v in params.items()
    }
    assert [r for r in _api_reprs(reader_of_two, **api_params) if r in MINE] == expected
    page = _page(client, reader_of_two, **params)
    for name in ["Base", "Un incontro", "Del consigliere", "Di giugno", "Di Prato", "Creato"]:
        assert (f"«{name}»" in page) == (name in expected), name


def test_a_reader_of_several_enti_filters_by_ente(
    client: Client, reader_of_two: Any, ente: Any, other_ente: Any
) -> None:
    assert [r for r in _api_reprs(reader_of_two, ente_id=other_ente.pk) if r in MINE] == [
        "Di Prato"
    ]
    assert "Di Firenze" not in _api_reprs(reader_of_two, ente_id=0)
    page = _page(client, reader_of_two, ente=str(ente.pk))
    assert "«Di Firenze»" in page and "«Di Prato»" not in page
    assert 'name="ente"' in page


def test_a_reader_of_one_ente_is_not_offered_the_ente_filter(
    client: Client, personas: Any, other_ente: Any
) -> None:
    assert 'name="ente"' not in _page(client, personas["revisore"])
    # Nor can ask for an ente that is not theirs.
    response = token_client(personas["revisore"]).get("/audit-events", {"ente_id": other_ente.pk})
    assert response.status_code == 422 and "ente_id" in response.json()["errors"]


def test_the_user_filter_offers_only_the_readers_colleagues(
    client: Client, personas: Any, prato_admin: Any
) -> None:
    page = _page(client, personas["revisore"])
    assert '<option value="consigliere">' in page
    assert '<option value="admin-prato">' not in page
    response = token_client(personas["revisore"]).get("/audit-events", {"actor": "admin-prato"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "31/02/2025"}, "date_from", "gg/mm/aaaa"),
        ({"date_from": "ieri"}, "date_from", "gg/mm/aaaa"),
        ({"date_to": "31/12/9999"}, "date_to", "01/01/1900"),
        ({"date_from": "02/05/2025", "date_to": "01/05/2025"}, "date_to", "prima di quella"),
        ({"kind": "auth.permission"}, "kind", ""),
        ({"channel": "fax"}, "channel", ""),
        ({"q": "a\x00b"}, "q", ""),
    ],
)
def test_bad_filters_are_explained_and_keep_what_was_typed(
    client: Client, personas: Any, params: dict[str, str], field: str, message: str
) -> None:
    page = _page(client, personas["revisore"], **params)
    assert 'aria-invalid="true"' in page and message in page
    assert "Correggi i filtri" in page
    typed = params.get("date_from") or params.get("date_to")
    if typed and field.startswith("date"):
        assert f'value="{params[field]}"' in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-02-31"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_to": "0"}, "date_to"),
        ({"date_from": "1700000000"}, "date_from"),
        ({"date_from": "2025-05-02", "date_to": "2025-05-01"}, "date_to"),
        ({"kind": "auth.permission"}, "kind"),
        ({"actor": "nessuno-così"}, "actor"),
        ({"q": "a\x00b"}, "q"),
        ({"limit": 1000}, "limit"),
    ],
)
def test_the_api_refuses_bad_filters_with_422(
    personas: Any, params: dict[str, Any], field: str
) -> None:
    response = token_client(personas["revisore"]).get("/audit-events", params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_the_log_pages_and_a_page_past_the_end_shows_the_last(
    client: Client, personas: Any
) -> None:
    for i in range(55):
        _event(f"Evento {i:02d}", channel="import")
    client.force_login(personas["revisore"])
    first = client.get(LOG, {"channel": "import"}).content.decode()
    assert "Evento 54" in first and "Pagina 1 di 2" in first
    last = client.get(LOG, {"channel": "import", "page": "999999999999"}).content.decode()
    assert "Pagina 2 di 2" in last and "Evento 00" in last
    api = token_client(personas["revisore"]).get(
        "/audit-events", {"channel": "import", "limit": 50, "offset": 50}
    )
    assert api.json()["count"] == 55 and len(api.json()["items"]) == 5


# --- CSV --------------------------------------------------------------------------------------


def test_the_filtered_log_exports_as_streamed_csv_with_formulas_defused(
    client: Client, personas: Any
) -> None:
    _event('=HYPERLINK("http://x")', channel="api")
    _event("Non esportato", channel="web")
    client.force_login(personas["revisore"])
    response = client.get(LOG, {"channel": "api", "export": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Quando;Utente;Azione;Canale")
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1] and ";API;" in lines[1]
    assert ';"=' not in lines[1] and ";=" not in lines[1]
