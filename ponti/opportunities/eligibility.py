"""Eligibility check for the CERV calls for towns: Town-Twinning and Networks of Towns.

The rules are stated here, once, with their source; the check takes the ente's own country and
the partners chosen, and explains each rule, passed or not. It is a help to the office, not the
Commission's verdict: the call document of the year is what counts (see the dates below).

Source of the rules: the call documents of the CERV programme (Regulation (EU) 2021/692),
strand «Citizens' engagement and participation», topics CERV-<year>-CITIZENS-TOWN-TT (Town-
Twinning) and CERV-<year>-CITIZENS-TOWN-NT (Networks of Towns), section «Eligibility», as
published on the EU Funding & Tenders Portal:
- Town-Twinning: «projects must involve municipalities from at least 2 eligible countries, of
  which at least 1 must be an EU Member State»;
- Networks of Towns: «projects must involve at least 5 partners (municipalities or associations
  of municipalities) from at least 3 eligible countries, of which at least 1 must be an EU Member
  State».
Eligible countries: the EU Member States and the non-EU countries associated to CERV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ponti.core import countries

# The 27 EU Member States (ISO 3166-1 alpha-2; Greece is GR in ISO, EL only in EU usage).
EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "GR", "DE", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip

# Countries associated to CERV, as of 2026 (list dated December 2026): each signed an
# association agreement to the programme. MUST be checked against the call document of the
# year (its «Eligible countries» section and the Commission's list of countries associated to
# CERV): associations are added every year, and only those we can justify are listed here.
CERV_ASSOCIATED_COUNTRIES_AS_OF = "2026-12"
CERV_ASSOCIATED_COUNTRIES = frozenset(
    {
        "AL",  # Albania
        "BA",  # Bosnia and Herzegovina
        "XK",  # Kosovo (the code the registry uses)
        "ME",  # Montenegro
        "MK",  # North Macedonia
        "RS",  # Serbia
        "UA",  # Ukraine
    }
)
CERV_ELIGIBLE_COUNTRIES = EU_MEMBER_STATES | CERV_ASSOCIATED_COUNTRIES

TOWN_TWINNING = "TT"
NETWORKS_OF_TOWNS = "NT"

# Who counts as a participant. Town-Twinning: towns and municipalities (and their
# local-government levels, which the registry calls «area metropolitana, regione o distretto»);
# Networks of Towns also admits associations of municipalities (networks, non-profit bodies
# representing local authorities).
MUNICIPAL_KINDS = frozenset({"city", "metro_region"})
NETWORK_KINDS = MUNICIPAL_KINDS | {"network", "ngo"}


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    min_participants: int  # the ente included
    min_countries: int
    kinds: frozenset[str]


SCHEMES = {
    TOWN_TWINNING: Scheme(TOWN_TWINNING, "CERV Town-Twinning", 2, 2, MUNICIPAL_KINDS),
    NETWORKS_OF_TOWNS: Scheme(NETWORKS_OF_TOWNS, "CERV Networks of Towns", 5, 3, NETWORK_KINDS),
}

CERV_PORTAL_CODE = "43251589"  # the Funding & Tenders Portal's frameworkProgramme for CERV


def scheme_for(opportunity: Any) -> Scheme | None:
    """The CERV scheme an opportunity is a call of (None: the check does not apply).

    CERV by its programme (abbreviation or portal code) or by an identifier starting «CERV-»;
    the scheme by the topic or call identifier: «…-TOWN-TT» or «…-TOWN-NT».
    """
    programme = getattr(opportunity, "programme", None)
    identifiers = f"{opportunity.topic_identifier} {opportunity.call_identifier}".upper()
    is_cerv = (
        (
            programme is not None
            and (programme.abbreviation == "CERV" or programme.code == CERV_PORTAL_CODE)
        )
        or opportunity.programme_code in {"CERV", CERV_PORTAL_CODE}
        or "CERV-" in identifiers
    )
    if not is_cerv:
        return None
    if "TOWN-TT" in identifiers:
        return SCHEMES[TOWN_TWINNING]
    if "TOWN-NT" in identifiers:
        return SCHEMES[NETWORKS_OF_TOWNS]
    return None


@dataclass(frozen=True)
class Participant:
    name: str
    country: str
    kind: str


@dataclass
class Rule:
    code: str
    passed: bool
    text: str


@dataclass
class Eligibility:
    scheme: Scheme
    passed: bool
    rules: list[Rule] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    counted: int = 0


def _names(codes: set[str] | list[str]) -> str:
    return ", ".join(sorted(countries.country_name(c) or c for c in codes))


def check(scheme: Scheme, ente: Participant, partners: list[Participant]) -> Eligibility:
    """Each rule of the scheme, with its explanation, for the ente and the partners chosen."""
    rules: list[Rule] = []
    outside = [p for p in partners if p.country not in CERV_ELIGIBLE_COUNTRIES]
    wrong_kind = [
        p for p in partners if p.country in CERV_ELIGIBLE_COUNTRIES and p.kind not in scheme.kinds
    ]
    if outside:
        text = _(
            "Non ammissibili per paese: %(names)s. Possono partecipare solo gli Stati membri "
            "dell'UE e i paesi associati a CERV (elenco al %(date)s, da verificare sul bando)."
        ) % {
            "names": "; ".join(f"{p.name} ({countries.country_name(p.country)})" for p in outside),
            "date": CERV_ASSOCIATED_COUNTRIES_AS_OF,
        }
    else:
        text = _("Tutti i partner scelti sono di paesi ammissibili (Stati UE o associati a CERV).")
    rules.append(Rule("countries_eligible", not outside, text))
    if wrong_kind:
        rules.append(
            Rule(
                "kinds",
                True,
                _("Non contano come comuni o associazioni di comuni: %(names)s.")
                % {"names": "; ".join(p.name for p in wrong_kind)},
            )
        )
    counted = [
        p
        for p in [ente, *partners]
        if p.country in CERV_ELIGIBLE_COUNTRIES and p.kind in scheme.kinds
    ]
    found = {p.country for p in counted}
    if scheme.min_participants > 2:
        ok = len(counted) >= scheme.min_participants
        rules.append(
            Rule(
                "min_participants",
                ok,
                _(
                    "Almeno %(min)d comuni o associazioni di comuni, l'ente compreso: "
                    "ne contano %(n)d."
                )
                % {"min": scheme.min_participants, "n": len(counted)},
            )
        )
    ok = len(found) >= scheme.min_countries
    rules.append(
        Rule(
            "min_countries",
            ok,
            _("Almeno %(min)d paesi ammissibili diversi: ne risultano %(n)d (%(names)s).")
            % {"min": scheme.min_countries, "n": len(found), "names": _names(found) or "—"},
        )
    )
    eu = found & EU_MEMBER_STATES
    rules.append(
        Rule(
            "eu_member",
            bool(eu),
            _("Almeno uno Stato membro dell'UE: %(names)s.") % {"names": _names(eu)}
            if eu
            else _("Almeno uno Stato membro dell'UE: nessuno tra i partecipanti."),
        )
    )
    return Eligibility(
        scheme=scheme,
        passed=all(r.passed for r in rules),
        rules=rules,
        countries=sorted(found),
        counted=len(counted),
    )


def check_opportunity(opportunity: Any, partners: list[Any]) -> Eligibility | None:
    """The check for an opportunity's ente (a municipality of its own country) and the registry
    organisations chosen (None when the opportunity is not a CERV call for towns)."""
    scheme = scheme_for(opportunity)
    if scheme is None:
        return None
    ente = opportunity.ente
    own = Participant(str(ente), ente.country or "IT", "city")
    chosen = [Participant(p.name, p.country, p.kind) for p in partners]
    return check(scheme, own, chosen)
