"""Agreements as JSON: list, create, update, transitions (an action), signatories,
commitments, documents (upload and download) and due items. Same permissions and the
same service functions as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ponti.core import due
from ponti.core.api import (
    ConflictOut,
    ErrorOut,
    ExportQuery,
    FieldErrorOut,
    check_imprecise_date,
    choose_ente,
    export_doc,
)
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, can_see, clearance, visible_levels
from ponti.core.exports import export_response
from ponti.core.models import Sector
from ponti.core.permissions import can, get_for_user, require, visible_queryset
from ponti.core.pickers import RISERVATO, keep_hidden
from ponti.core.roles import role_in
from ponti.core.services import ConflictError
from ponti.partners.models import Organisation, Person
from ponti.partners.schemas import QueryId

from . import services, states
from .models import Agreement, AgreementDocument, Commitment
from .schemas import (
    AgreementFilters,
    AgreementIn,
    AgreementOut,
    AgreementPage,
    AgreementPatch,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    DocumentOut,
    DueItemOut,
    SignatoryIn,
    SignatoryOut,
    TransitionIn,
    TransitionOut,
)
from .tables import AGREEMENT_COLUMNS, for_export

router = Router(tags=["accordi"])

AUTH = {401: ErrorOut, 403: ErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
WRITE = {**READ, 400: ErrorOut, 413: ErrorOut}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(a: Agreement, user: Any) -> dict[str, Any]:
    levels = visible_levels(user)
    return {
        "id": a.pk,
        "ente_id": a.ente_id,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "title": a.title,
        "status": a.status,
        "status_label": a.get_status_display(),
        "partners": [
            {"id": p.pk, "name": p.name, "country": p.country}
            for p in a.partners.all()
            if p.confidentiality in levels
        ],
        "sectors": [s.code for s in a.sectors.all()],
        "description": a.description,
        "published": a.published,
        "confidentiality": a.confidentiality,
        "approval_body": a.approval_body or None,
        "approval_number": a.approval_number,
        "approval_date": a.approval_date,
        "signed_on": a.signed_on,
        "signed_precision": a.signed.precision,
        "signed_place": a.signed_place,
        "start_date": a.start_date,
        "start_precision": a.start.precision,
        "end_date": a.end_date,
        "renewal_date": a.renewal_date,
        "last_activity_on": a.last_activity_on,
        "confidence": a.confidence,
        "source": a.source,
        "allowed_transitions": [
            t.target
            for t in states.available(
                a.status, [role_in(user, a.ente_id) or ""], superuser=user.is_superuser
            )
        ]
        if can(user, "change", Agreement, a)
        else [],
        "version": a.version,
    }


def _partners(user: Any, ids: list[int], errors: dict[str, list[str]]) -> list[Organisation]:
    found = list(visible_queryset(user, Organisation).filter(pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        errors.setdefault("partner_ids", []).append(
            _("Partner inesistenti: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        )
    return found


def _sectors(codes: list[str], errors: dict[str, list[str]]) -> list[Sector]:
    found = list(Sector.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {s.code for s in found})
    if missing:
        errors.setdefault("sectors", []).append(
            _("Settori inesistenti: %(c)s.") % {"c": ", ".join(missing)}
        )
    return found


def _check_common(
    user: Any, data: dict[str, Any], errors: dict[str, list[str]], current: Agreement | None = None
) -> None:
    level = data.get("confidentiality")
    if level is not None and CONFIDENTIALITY_LEVELS[str(level)] > clearance(user):
        errors.setdefault("confidentiality", []).append(
            _("Non puoi assegnare un livello di riservatezza che non potresti leggere.")
        )
    if "approval_body" in data and data["approval_body"] is None:
        data["approval_body"] = ""  # no act known (yet)
    check_imprecise_date(data, "signed_on", "signed_precision", errors, current)
    check_imprecise_date(data, "start_date", "start_precision", errors, current)
    start = data.get("start_date", current.start_date if current else None)
    end = data.get("end_date", current.end_date if current else None)
    if start and end and end < start:
        errors.setdefault("end_date", []).append(
            _("La fine della validità non può precedere l'inizio.")
        )


def _filtered(user: Any, filters: AgreementFilters) -> Any:
    """The agreements of the list and of its export, filtered, in the list's order."""
    qs = visible_queryset(user, Agreement)
    # Partners the user may see: a hidden partner's name or country finds no agreement.
    partners = Organisation.objects.visible_to(user)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(partners__in=partners.named(filters.q)))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.ente_id:
        qs = qs.filter(ente_id=filters.ente_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.country:
        qs = qs.filter(partners__in=partners.filter(country=filters.country))
    if filters.sector:
        qs = qs.filter(sectors__code=filters.sector)
    if filters.expiring:
        qs = qs.filter(pk__in=Agreement.objects.expiring(90).values("pk"))
    if filters.dormant:
        qs = qs.filter(pk__in=Agreement.objects.dormant().values("pk"))
    return qs.distinct().order_by("-signed_on", "title", "pk")


@router.get("/agreements", response={200: AgreementPage, **AUTH, 422: FieldErrorOut})
def list_agreements(request: HttpRequest, filters: Query[AgreementFilters]) -> Any:
    user = _user(request)
    qs = _filtered(user, filters).prefetch_related("partners", "sectors")
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(a, user) for a in items],
    }


@router.get(
    "/agreements/export",
    response={200: None, **AUTH, 422: FieldErrorOut},
    openapi_extra=export_doc("Gli accordi"),
)
def export_agreements(
    request: HttpRequest, filters: Query[AgreementFilters], export: Query[ExportQuery]
) -> Any:
    user = _user(request)
    rows = for_export(_filtered(user, filters), user)
    return export_response(AGREEMENT_COLUMNS, rows, export.format, filename=_("accordi"))


@router.post("/agreements", response={201: AgreementOut, **WRITE, 409: ErrorOut})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    user = _user(request)
    require(user, "add", Agreement)
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    ente = choose_ente(user, data["ente_id"], errors, Agreement)
    partners = _partners(user, data["partner_ids"], errors)
    sectors = _sectors(data["sectors"], errors)
    _check_common(user, data, errors)
    if errors:
        raise ValidationError(errors)
    if not data["confirm_twin"]:
        conflicts = services.twin_conflicts(ente=ente, kind=data["kind"], partners=partners)
        if conflicts:
            return Status(
                409,
                {
                    "detail": _(
                        "L'ente ha già un gemellaggio in questo paese (%(t)s): valuta un patto di amicizia, o conferma con confirm_twin."
                    )
                    % {"t": conflicts[0].title}
                },
            )
    fields = {
        k: v
        for k, v in data.items()
        if k not in {"partner_ids", "sectors", "ente_id", "confirm_twin"}
    }
    agreement = services.create_agreement(
        user=user, ente=ente, data={**fields, "partners": partners, "sectors": sectors}
    )
    return Status(201, _out(agreement, user))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **READ})
def get_agreement(request: HttpRequest, agreement_id: QueryId) -> Any:
    agreement, _editable = get_for_user(_user(request), Agreement, agreement_id)
    return _out(agreement, _user(request))


@router.patch("/agreements/{agreement_id}", response={200: AgreementOut, **WRITE, 409: ConflictOut})
def update_agreement(request: HttpRequest, agreement_id: QueryId, payload: AgreementPatch) -> Any:
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if agreement.version != version:
        raise ConflictError(agreement, version)
    errors: dict[str, list[str]] = {}
    if "partner_ids" in data:
        chosen = _partners(user, data.pop("partner_ids") or [], errors)
        # Partners the user may not read stay: they could neither see nor remove them.
        data["partners"] = keep_hidden(user, agreement.partners.all(), chosen)
    if "sectors" in data:
        data["sectors"] = _sectors(data["sectors"] or [], errors)
    for key in (
        "kind",
        "title",
        "confidentiality",
        "published",
        "description",
        "confidence",
        "source",
        "approval_number",
        "signed_place",
    ):
        if key in data and data[key] is None:
            errors.setdefault(key, []).append(_("Non può essere vuoto."))
    _check_common(user, data, errors, agreement)
    if errors:
        raise ValidationError(errors)
    services.update_agreement(agreement, user=user, data=data, expected_version=version)
    return _out(agreement, user)


@router.post("/agreements/{agreement_id}/transitions", response={200: AgreementOut, **WRITE})
def transition_agreement(request: HttpRequest, agreement_id: QueryId, payload: TransitionIn) -> Any:
    """Move the agreement along its lifecycle (the state machine decides what is allowed)."""
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id)
    data = payload.dict()
    fields = {k: v for k, v in data.items() if k not in {"target", "note"} and v not in (None, "")}
    try:
        services.transition(agreement, data["target"], user=user, note=data["note"], fields=fields)
    except PermissionDenied:
        raise
    return _out(agreement, user)


@router.delete("/agreements/{agreement_id}", response={204: None, **READ})
def delete_agreement(request: HttpRequest, agreement_id: QueryId) -> Any:
    """Delete an agreement entered by mistake: the Amministratore of its ente alone (403 for
    others); the change log records it."""
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id, action="delete")
    services.delete_agreement(agreement, user=user)
    return Status(204, None)


@router.get("/agreements/{agreement_id}/transitions", response={200: list[TransitionOut], **READ})
def list_transitions(request: HttpRequest, agreement_id: QueryId) -> Any:
    agreement, _editable = get_for_user(_user(request), Agreement, agreement_id)
    return [
        {
            "source": t.source,
            "target": t.target,
            "at": t.at,
            "by": t.by.username if t.by else None,
            "note": t.note,
        }
        for t in agreement.transitions.select_related("by")
    ]


@router.get("/agreements/{agreement_id}/signatories", response={200: list[SignatoryOut], **READ})
def list_signatories(request: HttpRequest, agreement_id: QueryId) -> Any:
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id)
    out = []
    for s in agreement.signatories.select_related("person"):
        row = {f: getattr(s, f) for f in ("id", "side", "person_id", "position_id", "name", "role")}
        if s.person is not None and not can_see(user, s.person):
            # A person the reader may not read: neither who nor where, «riservato».
            row.update(person_id=None, position_id=None, name=str(RISERVATO), role="")
        out.append(row)
    return out


@router.post("/agreements/{agreement_id}/signatories", response={201: SignatoryOut, **WRITE})
def add_signatory(request: HttpRequest, agreement_id: QueryId, payload: SignatoryIn) -> Any:
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id, action="change")
    person = None
    if payload.person_id:
        person = visible_queryset(user, Person).filter(pk=payload.person_id).first()
        if person is None:
            raise ValidationError({"person_id": [_("Persona inesistente.")]})
    elif not payload.name:
        raise ValidationError({"person_id": [_("Indica una persona del registro o il nome.")]})
    signatory = services.add_signatory(
        agreement, user=user, side=payload.side, person=person, name=payload.name, role=payload.role
    )
    return Status(201, signatory)


def _commitment_out(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "agreement_id": c.agreement_id,
        "description": c.description,
        "owner_id": c.owner_id,
        "owner": str(c.owner),
        "party_id": c.party_id,
        "due_date": c.due_date,
        "status": c.status,
        "version": c.version,
    }


def _apply_commitment(commitment: Commitment, data: dict[str, Any], agreement: Agreement) -> None:
    from django.contrib.auth import get_user_model

    errors: dict[str, list[str]] = {}
    if "owner_id" in data:
        owner = get_user_model().objects.filter(pk=data.pop("owner_id"), is_active=True).first()
        if owner is None:
            errors["owner_id"] = [_("Utente inesistente.")]
        else:
            commitment.owner = owner
    if "party_id" in data:
        party_id = data.pop("party_id")
        if party_id is not None and not agreement.partners.filter(pk=party_id).exists():
            errors["party_id"] = [_("La parte deve essere uno dei partner dell'accordo.")]
        commitment.party_id = party_id
    for key, value in data.items():
        if value is None and key in {"description", "status"}:
            errors.setdefault(key, []).append(_("Non può essere vuoto."))
        else:
            setattr(commitment, key, value)
    if errors:
        raise ValidationError(errors)


def _save_commitment(commitment: Commitment, user: Any, version: int | None = None) -> None:
    try:
        services.save_commitment(commitment, user=user, expected_version=version)
    except ValidationError as exc:
        renamed = {
            ("owner_id" if k == "owner" else "party_id" if k == "party" else k): v
            for k, v in exc.message_dict.items()
        }
        raise ValidationError(renamed) from exc


@router.get("/agreements/{agreement_id}/commitments", response={200: list[CommitmentOut], **READ})
def list_commitments(request: HttpRequest, agreement_id: QueryId) -> Any:
    agreement, _editable = get_for_user(_user(request), Agreement, agreement_id)
    return [_commitment_out(c) for c in agreement.commitments.select_related("owner")]


@router.post("/agreements/{agreement_id}/commitments", response={201: CommitmentOut, **WRITE})
def add_commitment(request: HttpRequest, agreement_id: QueryId, payload: CommitmentIn) -> Any:
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id, action="change")
    require(user, "add", Commitment)
    commitment = Commitment(agreement=agreement)
    _apply_commitment(commitment, payload.dict(), agreement)
    _save_commitment(commitment, user)
    return Status(201, _commitment_out(commitment))


@router.patch(
    "/commitments/{commitment_id}", response={200: CommitmentOut, **WRITE, 409: ConflictOut}
)
def update_commitment(
    request: HttpRequest, commitment_id: QueryId, payload: CommitmentPatch
) -> Any:
    user = _user(request)
    commitment = Commitment.objects.filter(pk=commitment_id).select_related("agreement").first()
    if commitment is None:
        raise Http404
    agreement, _editable = get_for_user(user, Agreement, commitment.agreement_id, action="change")
    require(user, "change", Commitment)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if commitment.version != version:
        raise ConflictError(commitment, version)
    _apply_commitment(commitment, data, agreement)
    _save_commitment(commitment, user, version)
    return _commitment_out(commitment)


def _document_out(d: AgreementDocument) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "original_name": d.original_name,
        "content_type": d.content_type,
        "size": d.size,
        "uploaded_at": d.uploaded_at,
        "download_url": reverse(
            "api:download_document", kwargs={"agreement_id": d.agreement_id, "document_id": d.pk}
        ),
    }


@router.get("/agreements/{agreement_id}/documents", response={200: list[DocumentOut], **READ})
def list_documents(request: HttpRequest, agreement_id: QueryId) -> Any:
    agreement, _editable = get_for_user(_user(request), Agreement, agreement_id)
    return [_document_out(d) for d in agreement.documents.all()]


@router.post("/agreements/{agreement_id}/documents", response={201: DocumentOut, **WRITE})
def upload_document(
    request: HttpRequest, agreement_id: QueryId, file: File[UploadedFile], title: Form[str] = ""
) -> Any:
    """Upload a PDF, ODT or DOCX (checked by content, at most PONTI_MAX_UPLOAD_MB)."""
    user = _user(request)
    agreement, _editable = get_for_user(user, Agreement, agreement_id, action="change")
    if len(title) > 200:
        raise ValidationError({"title": [_("Al massimo 200 caratteri.")]})
    document = services.add_document(agreement, user=user, upload=file, title=title)
    return Status(201, _document_out(document))


@router.get(
    "/agreements/{agreement_id}/documents/{document_id}/download",
    response={200: None, **READ},
    url_name="download_document",
)
def download_document(request: HttpRequest, agreement_id: QueryId, document_id: QueryId) -> Any:
    agreement, _editable = get_for_user(_user(request), Agreement, agreement_id)
    document = agreement.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@router.get("/due-items", response={200: list[DueItemOut], **AUTH})
def due_items(request: HttpRequest) -> Any:
    """What is due for the user's enti (the Scadenze page as JSON)."""
    user = _user(request)
    require(user, "view", Agreement)
    return [i.__dict__ for i in due.visible_items(user, due.collect(timezone.localdate()))]
