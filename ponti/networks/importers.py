"""Network memberships of the importing ente (or of an ente under it) through the import engine.

A row is a membership: the network by name (an organisation of kind «rete» found through the
matcher, or created once when its country is given), since when (a day or only a year), its
state, a role the ente holds and a yearly fee. A membership already recorded is recognised by
its ID or by the same ente and network. Roles are only added, never ended, by an import. The
headers are the labels of the memberships' export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.dates import DatePrecision
from ponti.core.importing.cells import CellError, parse_country, parse_day, parse_int
from ponti.core.importing.columns import Column
from ponti.core.importing.kinds import RowReport, Written, changed_meanwhile, register
from ponti.core.importing.models import RowStatus
from ponti.core.money import AmountError, parse_amount
from ponti.core.permissions import can
from ponti.partners.importing import (
    NewOrganisation,
    RecordImporter,
    before_of,
    key_of,
    name_of,
    split_list,
    updated,
)
from ponti.partners.models import Organisation, OrganisationKind

from .models import Confidence, Fee, Membership, MembershipRole, MembershipStatus, RoleKind
from .services import create_membership, save_fee, save_role, update_membership

C = Column
MEMBERSHIP_COLUMNS = [
    C("id", "ID"),
    C("rete", gettext_lazy("Rete"), ("network", "network_name", "nome_rete"), required=True),
    C("paese_rete", gettext_lazy("Paese della rete"), ("network_country",)),
    C("stato", gettext_lazy("Stato"), ("status",)),
    C("dal_anno", gettext_lazy("Aderente dall'anno"), ("since_year",)),
    C("dal_giorno", gettext_lazy("Aderente dal"), ("since_date",)),
    C("dal", gettext_lazy("Dal"), ("since", "membro_dal", "member_since")),
    C("al", gettext_lazy("Fino al"), ("until",)),
    C("ruoli", gettext_lazy("Ruoli in corso"), ("roles", "ruolo", "role")),
    C("affidabilita", gettext_lazy("Affidabilità dei dati"), ("confidence",)),
    C("note", gettext_lazy("Note"), ("notes",)),
    C("fonte", gettext_lazy("Fonte"), ("source",)),
    C("quota", gettext_lazy("Quota annuale (€)"), ("fee", "quota", "importo_quota")),
    C("anno_quota", gettext_lazy("Anno della quota"), ("fee_year",)),
    C("ente", gettext_lazy("Ente"), ()),
    C("riservatezza", gettext_lazy("Riservatezza"), ("confidentiality",)),
]
CONFIDENCE_ALIASES = {"alta": "high", "media": "medium", "bassa": "low", "da_verificare": "low"}


@dataclass
class Plan:
    row: RowReport
    ente: Any
    network: Organisation | NewOrganisation
    values: dict[str, Any]
    roles: list[str] = field(default_factory=list)
    fee: tuple[int, Any] | None = None  # (year, amount)
    existing: Membership | None = None
    version: int = 0


def _network(org: Organisation) -> bool:
    return org.kind == OrganisationKind.NETWORK


@register
class MembershipImporter(RecordImporter):
    kind = "memberships"
    label = gettext_lazy("Adesioni alle reti")
    model = Membership
    columns = MEMBERSHIP_COLUMNS
    description = gettext_lazy(
        "Una riga per rete: il nome della rete, da quando (giorno o anno), lo stato, il ruolo "
        "dell'ente e la quota annuale. Le adesioni già registrate sono riconosciute per ID o per "
        "ente e rete."
    )

    def prepare(self) -> None:
        super().prepare()
        self.enti = self.ente_names()
        self.visible = Membership.objects.for_user(self.user).select_related("network")
        self.by_pair = {
            (m.ente_id, m.network_id): m
            for m in self.visible.filter(ente__in=list(set(self.enti.values())))
        }

    # --- reading ----------------------------------------------------------------------------

    def _since(self, row: RowReport, cells: list[Any], values: dict[str, Any]) -> None:
        year = self.read(row, cells, "dal_anno", lambda v: parse_int(v, low=1900, high=2100))
        day = self.read(row, cells, "dal_giorno", parse_day)
        known = self.date_known_in_part(row, cells, "dal")
        if known is not None and known.is_known:
            if known.precision == DatePrecision.DAY:
                day = known.value
            else:
                year = known.year
                if known.precision == DatePrecision.MONTH:
                    row.warnings.append(_("Del mese di adesione si tiene solo l'anno."))
        if day:
            values["since"] = day
            values["since_year"] = None
        elif year:
            values["since_year"] = year
            values["since"] = None

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        self._since(row, cells, values)
        until = self.read(row, cells, "al", parse_day)
        if until:
            values["until"] = until
        status = self.choice(row, cells, "stato", MembershipStatus)
        if status:
            values["status"] = status
        confidence = self.choice(row, cells, "affidabilita", Confidence, aliases=CONFIDENCE_ALIASES)
        if confidence:
            values["confidence"] = confidence
        for key, name in (("note", "notes"), ("fonte", "source")):
            text = self.text(cells, key)
            if text:
                values[name] = self.max_length(row, Membership, name, key, text)
        level = self.confidentiality(row, cells)
        if level:
            values["confidentiality"] = level
        return values

    def _roles(self, row: RowReport, cells: list[Any]) -> list[str]:
        out = []
        for part in split_list(self.text(cells, "ruoli")):
            try:
                out.append(_role(part))
            except CellError as exc:
                row.error(self.column_label("ruoli"), str(exc))
        return out

    def _fee(self, row: RowReport, cells: list[Any]) -> tuple[int, Any] | None:
        raw = self.text(cells, "quota")
        if not raw:
            return None
        try:
            amount = parse_amount(self.cell(cells, "quota"), negative=False)
        except AmountError as exc:
            row.error(self.column_label("quota"), f"«{raw}»: {exc}")
            return None
        year = self.read(row, cells, "anno_quota", lambda v: parse_int(v, low=1900, high=2100))
        return (year or timezone.localdate().year, amount)

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        existing = self.by_id(row, cells, self.visible)
        ente = existing.ente if existing else self.row_ente(row, cells, self.enti)
        values = self._values(row, cells)
        roles = self._roles(row, cells)
        fee = self._fee(row, cells)
        name = self.text(cells, "rete")
        row.label = name
        country = self.read(row, cells, "paese_rete", parse_country) or ""
        if existing is False or ente is None or row.errors:
            return None
        network: Organisation | NewOrganisation | None
        if existing is not None:
            network = existing.network
        else:
            network = self.partners.find(
                row, name, country=country, kind=OrganisationKind.NETWORK, accept=_network
            )
            if network is None:
                row.error(
                    self.column_label("rete"),
                    _(
                        "«%(name)s» non è una rete del registro: indica il paese della rete per crearla."
                    )
                    % {"name": name},
                )
                return None
            if isinstance(network, Organisation):
                existing = self.by_pair.get((ente.pk, network.pk))
        key = existing.pk if existing else (ente.pk, key_of(network))
        if self.repeated(
            row, key, "rete", _("la stessa adesione è già alla riga %(row)s del file.")
        ):
            return None
        plan = Plan(row=row, ente=ente, network=network, values=values, roles=roles, fee=fee)
        if existing is not None:
            return self._plan_update(plan, existing)
        values.setdefault("status", MembershipStatus.ATTIVA)
        membership = Membership(ente=ente, **values)
        if isinstance(network, Organisation):
            membership.network = network
        try:
            membership.full_clean(exclude=["network"])
        except ValidationError as exc:
            row.invalid(exc, Membership)
            return None
        row.status = RowStatus.NEW
        row.changes.append(
            _("Nuova adesione di %(ente)s a %(network)s")
            % {"ente": ente, "network": name_of(network)}
        )
        self._describe(plan)
        return plan

    def _plan_update(self, plan: Plan, membership: Membership) -> Plan | None:
        row = plan.row
        row.label = str(membership.network)
        plan.values = self.changes(row, membership, plan.values)
        current = {r.kind for r in membership.current_roles()}
        plan.roles = [r for r in plan.roles if r not in current]
        if plan.fee is not None:
            year, amount = plan.fee
            fee = membership.fees.filter(year=year).first()
            if fee is not None:
                if fee.amount != amount:
                    row.error(
                        self.column_label("quota"),
                        _(
                            "la quota %(year)s è già registrata (%(amount)s €): cambiala dalla sua pagina."
                        )
                        % {"year": year, "amount": fee.amount},
                    )
                    return None
                plan.fee = None
        if not plan.values and not plan.roles and plan.fee is None:
            row.status = RowStatus.UNCHANGED
            return None
        if not can(self.user, "change", Membership, membership):
            row.error("", _("non puoi modificare questa adesione."))
            return None
        row.status = RowStatus.UPDATED
        plan.existing, plan.version = membership, membership.version
        self._describe(plan)
        return plan

    def _describe(self, plan: Plan) -> None:
        for kind in plan.roles:
            plan.row.changes.append(_("Nuovo ruolo: %(role)s") % {"role": RoleKind(kind).label})
        if plan.fee is not None:
            plan.row.changes.append(
                _("Quota %(year)s: %(amount)s €") % {"year": plan.fee[0], "amount": plan.fee[1]}
            )

    # --- writing ----------------------------------------------------------------------------

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        if plan.existing is None:
            network = self.partners.saved(plan.network, written)
            membership = create_membership(
                user=self.user, ente=plan.ente, data={**plan.values, "network": network}
            )
            written.append(Written(membership))
        else:
            membership = plan.existing
            if plan.values:
                before = before_of(membership, plan.values)
                with changed_meanwhile(
                    _("L'adesione a «%(name)s» è stata modificata durante l'importazione.")
                    % {"name": membership.network}
                ):
                    update_membership(
                        membership, user=self.user, data=plan.values, expected_version=plan.version
                    )
                written.append(updated(membership, before))
        for kind in plan.roles:
            role = MembershipRole(
                membership=membership,
                kind=kind,
                start_date=membership.since,
                start_year=membership.since_year if not membership.since else None,
            )
            written.append(Written(save_role(role, user=self.user)))
        if plan.fee is not None:
            year, amount = plan.fee
            fee = Fee(membership=membership, year=year, amount=amount)
            written.append(Written(save_fee(fee, user=self.user)))


def _role(text: str) -> str:
    from ponti.core.importing.cells import parse_choice

    role = parse_choice(text, RoleKind)
    assert role is not None
    return role
