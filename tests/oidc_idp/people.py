"""The provider's people: one JSON file each in the folder $IDP_PEOPLE, written by the tests.

    {"password": "…", "sub": "…",
     "claims": {"email": "…", "given_name": "…", …},   standard claims, served by userinfo
     "id_token": {"ponti_roles": ["cm-firenze:ufficio"]},  more claims, put in the ID token
     "tamper": {"aud": "…", "iss": "…", "nonce": "…", "exp": -3600,   the ID token's, changed
                "signature": true, "userinfo_sub": "…"}}              what a forger would send

Files are read at each request, so a test changes a person between two logins by rewriting it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User

PEOPLE = Path(os.environ.get("IDP_PEOPLE", "."))


def person(username: str | None) -> dict[str, Any] | None:
    if not username or not re.fullmatch(r"[\w.@+-]+", username):
        return None
    path = PEOPLE / f"{username}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def by_subject(sub: str) -> dict[str, Any] | None:
    for path in PEOPLE.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if str(data.get("sub", path.stem)) == sub:
            return data
    return None


class PeopleBackend(BaseBackend):
    """The provider's login: a person's file and password."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kw: Any
    ) -> Any:
        data = person(username)
        if data is None or not secrets.compare_digest(str(data["password"]), password or ""):
            return None
        user, _created = User.objects.get_or_create(username=username)
        return user

    def get_user(self, user_id: int) -> Any:
        return User.objects.filter(pk=user_id).first()


def subject(user: Any) -> str:
    return str((person(user.username) or {}).get("sub", user.username))


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    for key, value in (person(user.username) or {}).get("claims", {}).items():
        if key in claims:
            claims[key] = value
    return claims


def id_token(claims: dict[str, Any], user: Any, **kw: Any) -> dict[str, Any]:
    data = person(user.username) or {}
    claims.update(data.get("id_token", {}))
    tamper = data.get("tamper", {})
    for key in ("aud", "iss", "nonce"):
        if key in tamper:
            claims[key] = tamper[key]
    if "exp" in tamper:
        claims["exp"] = int(time.time()) + int(tamper["exp"])
        claims["iat"] = claims["exp"] - 600
    return claims


@cache
def _forger_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TamperedSignatureMiddleware:
    """Re-signs a person's ID token with a key the provider never published (same `kid`), or
    answers the userinfo for another subject, when their file asks for it."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        path = request.path.rstrip("/")
        if response.status_code != 200 or not path.endswith(("/token", "/userinfo")):
            return response
        body = json.loads(response.content)
        if path.endswith("/token") and body.get("id_token"):
            claims = jwt.decode(body["id_token"], options={"verify_signature": False})
            tamper = (by_subject(claims["sub"]) or {}).get("tamper", {})
            if tamper.get("signature"):
                kid = jwt.get_unverified_header(body["id_token"]).get("kid")
                headers = {"kid": kid} if kid else None
                body["id_token"] = jwt.encode(claims, _forger_key(), "RS256", headers=headers)
        elif path.endswith("/userinfo"):
            tamper = (by_subject(str(body.get("sub"))) or {}).get("tamper", {})
            if "userinfo_sub" in tamper:
                body["sub"] = tamper["userinfo_sub"]
        response.content = json.dumps(body)
        return response
