"""What the provider's claims make of a Ponti user (accounts/claims.py): places in the enti,
linking by e-mail, new users. One test goes through the real provider; the others hand the
verified claims to `claims.provision` as the backend does."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from ponti.accounts import services
from ponti.accounts.claims import Refused, provision
from ponti.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _places(user: Any) -> list[tuple[str, str, str]]:
    return sorted((m.ente.slug, m.role, m.clearance) for m in user.memberships.all())


def test_the_roles_claim_gives_places_and_what_it_cannot_give_is_ignored_and_logged(
    client: Any, sso: Any, sso_login: Any, ente: Any, other_ente: Any, caplog: Any
) -> None:
    sso.add_person(
        "mrossi",
        claims={"preferred_username": "mrossi"},
        id_token={
            "ponti_roles": [
                "cm-firenze:ufficio:interno",
                "prato:revisore",
                "nowhere:ufficio",  # no such ente
                "cm-firenze:sovrano",  # no such role
                "prato:ufficio",  # a second place in Prato
                "cm-firenze:revisore:riservato",  # above the role's clearance
                "cm-firenze",  # no role
                42,
            ]
        },
    )
    with caplog.at_level(logging.WARNING, logger="ponti.accounts.oidc"):
        sso_login(client, "mrossi")
    user = User.objects.get(username="mrossi")
    assert _places(user) == [
        ("cm-firenze", "ufficio", "interno"),
        ("prato", "revisore", "interno"),
    ]
    ignored = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    assert len(ignored) == 6, ignored
    assert any("'nowhere:ufficio'" in message for message in ignored)


def _claims(**extra: Any) -> dict[str, Any]:
    return {"sub": "s-1", "preferred_username": "mrossi", "email": "m@example.org", **extra}


def test_authoritative_places_replace_the_local_ones(
    settings: Any, make_user: Any, ente: Any, other_ente: Any
) -> None:
    user = make_user("ufficio", username="mrossi", enti=[ente, other_ente])
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1")
    provision(_claims(ponti_roles=["prato:revisore"]), create=True)
    assert _places(user) == [("prato", "revisore", "interno")]


def test_additive_places_keep_the_local_ones(
    settings: Any, make_user: Any, ente: Any, other_ente: Any
) -> None:
    settings.PONTI_OIDC_ROLES_MODE = "additive"
    user = make_user("ufficio", username="mrossi", enti=[ente])
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1")
    provision(_claims(ponti_roles=["prato:revisore"]), create=True)
    assert _places(user) == [
        ("cm-firenze", "ufficio", "riservato"),
        ("prato", "revisore", "interno"),
    ]


def test_without_the_claim_the_places_stay_as_the_amministratore_set_them(
    settings: Any, make_user: Any, ente: Any
) -> None:
    user = make_user("ufficio", username="mrossi")
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1")
    provision(_claims(), create=True)  # SPID through a gateway: identity only
    assert _places(user) == [("cm-firenze", "ufficio", "riservato")]
    settings.PONTI_OIDC_ROLES_CLAIM = ""  # places from the provider switched off
    provision(_claims(ponti_roles=[]), create=True)
    assert _places(user) == [("cm-firenze", "ufficio", "riservato")]


def test_an_empty_authoritative_claim_takes_every_place_away(make_user: Any, ente: Any) -> None:
    user = make_user("ufficio", username="mrossi")
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1")
    provision(_claims(ponti_roles=[]), create=True)
    assert _places(user) == []


def test_a_nested_claim_and_a_claim_in_one_string(
    settings: Any, ente: Any, other_ente: Any
) -> None:
    settings.PONTI_OIDC_ROLES_CLAIM = "resource_access.ponti.roles"
    user = provision(
        _claims(resource_access={"ponti": {"roles": "cm-firenze:responsabile, prato:revisore"}}),
        create=True,
    )
    assert _places(user) == [
        ("cm-firenze", "responsabile", "interno"),
        ("prato", "revisore", "interno"),
    ]


# --- linking by e-mail, only when the provider's e-mails are verified --------------------------


def test_without_the_flag_an_e_mail_never_links(settings: Any, make_user: Any) -> None:
    local = make_user("ufficio", username="maria")
    user = provision(_claims(email=local.email, email_verified=True), create=True)
    assert user.pk != local.pk


def test_with_the_flag_a_first_login_links_the_one_local_user_with_that_e_mail(
    settings: Any, make_user: Any
) -> None:
    settings.PONTI_OIDC_LINK_BY_EMAIL = True
    local = make_user("ufficio", username="maria")
    user = provision(_claims(email=local.email.upper()), create=True)
    assert user.pk == local.pk and user.oidc_subject == "s-1"
    assert _places(user) == [("cm-firenze", "ufficio", "riservato")]
    assert user.check_password(PASSWORD)  # the local login stays theirs too


def test_with_the_flag_an_unverified_or_shared_e_mail_does_not_link(
    settings: Any, make_user: Any, db: Any
) -> None:
    settings.PONTI_OIDC_LINK_BY_EMAIL = True
    local = make_user("ufficio", username="maria")
    user = provision(_claims(email=local.email, email_verified=False), create=True)
    assert user.pk != local.pk
    twin = make_user("revisore", username="gemella")
    User.objects.filter(pk=twin.pk).update(email="shared@example.org")
    User.objects.filter(pk=local.pk).update(email="shared@example.org")
    other = provision(_claims(sub="s-2", email="shared@example.org"), create=True)
    assert other.pk not in (local.pk, twin.pk)


def test_with_the_flag_a_superuser_is_never_linked(settings: Any, db: Any) -> None:
    settings.PONTI_OIDC_LINK_BY_EMAIL = True
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    user = provision(_claims(email="root@example.org", ponti_roles=[]), create=True)
    assert user.pk != root.pk and not user.is_superuser
    root.refresh_from_db()
    assert root.oidc_subject is None


# --- new users ---------------------------------------------------------------------------------


def test_claims_never_make_a_superuser_or_staff(ente: Any) -> None:
    user = provision(
        _claims(
            is_superuser=True, is_staff=True, groups=["admin"], ponti_roles=["cm-firenze:ufficio"]
        ),
        create=True,
    )
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


def test_with_creation_off_an_unknown_person_is_refused(db: Any) -> None:
    with pytest.raises(Refused, match="Non hai ancora un account"):
        provision(_claims(), create=False)
    assert not User.objects.exists()


def test_a_username_is_made_from_what_the_provider_gives(db: Any) -> None:
    odd = provision(_claims(sub="s-9", preferred_username="Maria Rossi/ext"), create=True)
    assert odd.username == "Maria-Rossi-ext"
    by_mail = provision(_claims(sub="s-10", preferred_username=None, email="g@e.org"), create=True)
    assert by_mail.username == "g@e.org"
    bare = provision({"sub": "s-11"}, create=True)
    assert bare.username.startswith("sso-") and bare.email == ""


def test_a_claim_the_provider_left_out_leaves_the_field_alone(make_user: Any) -> None:
    user = make_user("ufficio", username="mrossi")
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1", first_name="Maria")
    provision(
        {"sub": "s-1", "preferred_username": "mrossi", "email": "not an address"}, create=True
    )
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Maria", "mrossi@example.org")


def test_a_deactivated_user_is_refused_and_left_unchanged(make_user: Any, ente: Any) -> None:
    admin = make_user("amministratore", username="admin")
    user = make_user("ufficio", username="mrossi")
    User.objects.filter(pk=user.pk).update(oidc_subject="s-1")
    services.set_active(User.objects.get(pk=user.pk), by=admin, active=False)
    with pytest.raises(Refused, match="disattivato"):
        provision(_claims(ponti_roles=[]), create=True)
    assert _places(user) == [("cm-firenze", "ufficio", "riservato")]
