"""Control characters (Unicode Cc other than tab, newline and carriage return; NUL included),
lone surrogates and U+FFFE/U+FFFF are refused with a clear message, naming the field and the
position, in every form, every API input and every import. The walks below prove "every":
they enumerate the form classes and the OpenAPI document, so a new form or operation is
covered, and checked, without opting in."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms

import ponti
from ponti.core.dates import ImpreciseDateFormField
from ponti.core.text import FORBIDDEN, forbidden_character, forbidden_character_message

BAD = "a\x0bb"  # a vertical tab at position 2: what broke the XLSX export and the DOCX dossier
CONTROL = "carattere di controllo (U+000B) alla posizione 2"


# --- The rule ----------------------------------------------------------------------------------


def test_every_cc_character_but_tab_newline_and_return_is_refused() -> None:
    controls = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
    refused = {c for c in controls if forbidden_character(f"ab{c}")}
    assert refused == set(controls) - {"\t", "\n", "\r"}
    assert forbidden_character("riga 1\r\n\triga 2") is None
    for char in ["\ud800", "\udfff", "\ufffe", "\uffff"]:
        assert forbidden_character(f"x{char}") == (2, char)
    for fine in ["Fès", "京都", "\u2028", "€", "😀"]:
        assert forbidden_character(fine) is None


def test_the_message_names_the_field_the_character_and_the_position() -> None:
    assert forbidden_character_message("Comune\x0bdi Prato", "Nome") == (
        "«Nome» contiene un carattere di controllo (U+000B) alla posizione 7: cancellalo e riprova."
    )
    assert "carattere di controllo (U+0000) alla posizione 1" in (
        forbidden_character_message("\x00", None) or ""
    )
    assert "carattere non valido (U+D800)" in (forbidden_character_message("\ud800") or "")


# --- Every form --------------------------------------------------------------------------------

# Fields that cannot hold free text: a choice, a number, a date, a flag, a file.
NOT_TEXT = (
    forms.ChoiceField,
    forms.ModelChoiceField,
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
    forms.BooleanField,
    forms.FileField,
    ImpreciseDateFormField,  # read like a DateField: any other character is an invalid date
)
SKIP_MODULES = {"ponti.wsgi", "ponti.asgi", "ponti.manage", "ponti.settings", "ponti.test_settings"}


def _import_all_of_ponti() -> None:
    for module in pkgutil.walk_packages(ponti.__path__, "ponti."):
        if module.name in SKIP_MODULES or ".migrations" in module.name:
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def ponti_forms() -> list[type[forms.BaseForm]]:
    _import_all_of_ponti()
    return sorted(
        (c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("ponti.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def test_the_walk_finds_the_forms_of_every_app(db: Any) -> None:
    apps = {c.__module__.split(".")[1] for c in ponti_forms()}
    assert {"accounts", "agreements", "meetings", "networks", "partners", "planning"} <= apps


def test_every_text_field_of_every_form_refuses_a_control_character(db: Any) -> None:
    checked = 0
    for form_class in ponti_forms():
        for name, field in form_class.base_fields.items():
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            if isinstance(field, forms.CharField):
                with pytest.raises(forms.ValidationError) as refused:
                    field.clean(BAD)
                assert refused.value.code == "control_character", where
                assert CONTROL in refused.value.messages[0], where
                checked += 1
            else:
                assert isinstance(field, NOT_TEXT), f"{where}: a new kind of field, {field!r}"
    assert checked > 80, checked


def test_every_kind_of_text_field_refuses_one_even_those_made_at_run_time(db: Any) -> None:
    """Fields a form adds in __init__ (the amounts per year, the sources) are of these kinds;
    so is a field nobody has written yet: the check is on CharField itself."""
    used = {
        type(field)
        for form_class in ponti_forms()
        for field in form_class.base_fields.values()
        if isinstance(field, forms.CharField)
    }
    ponti_kinds = {k for k in _subclasses(forms.CharField) if k.__module__.startswith("ponti.")}

    class Tomorrow(forms.CharField):
        pass

    for kind in used | ponti_kinds | {forms.CharField, Tomorrow}:
        try:
            field = kind()
        except TypeError:  # a field with required arguments
            continue
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("Kyo\x00to")
        assert "(U+0000) alla posizione 4" in refused.value.messages[0], kind


def test_a_form_page_refuses_it_and_keeps_everything_typed(
    client: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["ufficio"])
    response = client.post(
        "/partner/nuovo/",
        {
            "name": "Comune\x0bdi Prato",
            "kind": "city",
            "country": "IT",
            "city": "Prato",
            "description": "Una città tessile\nnel cuore della Toscana",
            "confidentiality": "interno",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "«Nome» contiene un carattere di controllo (U+000B) alla posizione 7: cancellalo e riprova."
        in html
    )
    assert 'value="Prato"' in html and "Una città tessile" in html


def test_tab_and_newline_are_kept_in_multi_line_text(client: Any, personas: dict[str, Any]) -> None:
    from ponti.partners.models import Organisation

    client.force_login(personas["ufficio"])
    client.post(
        "/partner/nuovo/",
        {
            "name": "Comune di Prato",
            "kind": "city",
            "country": "IT",
            "description": "Riga 1\r\n\tRiga 2",
            "confidentiality": "interno",
        },
    )
    assert Organisation.objects.get().description == "Riga 1\r\n\tRiga 2"


def test_a_nul_in_a_filter_form_is_a_message_not_a_500(
    client: Any, personas: dict[str, Any]
) -> None:
    """The lists whose query string goes through a filter form. (The people list and the
    suggestions read `q` without a form: item 9 of the issue, "no 500 on bad input".)"""
    client.force_login(personas["ufficio"])
    for url in ["/partner/", "/accordi/", "/incontri/", "/reti/membri/"]:
        response = client.get(url, {"q": "Ky\x00oto"})
        # A refused search lists nothing and says why (400), never a 500.
        assert response.status_code == 400, url
        assert "carattere di controllo (U+0000)" in response.content.decode(), url


# --- Every API input -----------------------------------------------------------------------------


def _openapi() -> dict[str, Any]:
    from ponti.api import api

    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            variants = [_resolve(s, spec) for s in schema[key]]
            return next((v for v in variants if _accepts_text(v)), variants[0])
    return schema


def _accepts_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") in ("string", "object", "array") and schema.get("format") != "binary"


def poisoned(schema: dict[str, Any], spec: dict[str, Any]) -> list[tuple[Any, str]]:
    """(value, path) pairs, one per string the schema takes, with that string poisoned; the
    path is relative ("", "name", "other_names.0.name")."""
    schema = _resolve(schema, spec)
    kind = schema.get("type")
    if kind == "string" and schema.get("format") != "binary":
        return [(BAD, "")]
    if kind == "array":
        return [([value], _join("0", inner)) for value, inner in poisoned(schema["items"], spec)]
    if kind == "object":
        return [
            ({name: value}, _join(name, inner))
            for name, prop in schema.get("properties", {}).items()
            for value, inner in poisoned(prop, spec)
        ]
    return []


def _join(head: str, tail: str) -> str:
    return f"{head}.{tail}" if tail else head


def api_inputs() -> list[tuple[str, str, str, dict[str, Any], str]]:
    """Every string an operation takes: (method, url, where, payload, field path)."""
    spec = _openapi()
    cases = []
    for path, methods in spec["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in methods.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query":
                    for value, _inner in poisoned(param["schema"], spec):
                        first = value[0] if isinstance(value, list) else value
                        cases.append((method, url, "query", {param["name"]: first}, param["name"]))
            content = operation.get("requestBody", {}).get("content", {})
            for media, body in content.items():
                where = "json" if media == "application/json" else "form"
                for value, name in poisoned(body["schema"], spec):
                    cases.append((method, url, where, value, name))
    return cases


def test_the_walk_covers_bodies_queries_and_forms_of_every_app() -> None:
    cases = api_inputs()
    wheres = {where for _m, _u, where, _p, _n in cases}
    assert wheres == {"json", "query", "form"}
    paths = {url for _m, url, _w, _p, _n in cases}
    for resource in [
        "organisations",
        "people",
        "agreements",
        "memberships",
        "meetings",
        "gifts",
        "budget-lines",
        "objectives",
        "indicators",
        "movements",
    ]:
        assert any(f"/{resource}" in p for p in paths), resource
    assert len(cases) > 150, len(cases)


def test_every_string_of_every_api_operation_refuses_a_control_character(
    make_user: Any,
) -> None:
    from tests.api.helpers import token_client

    client = token_client(make_user("amministratore")).client
    failures = []
    for method, url, where, payload, name in api_inputs():
        if where == "query":
            response = client.generic(method.upper(), f"{url}?{urlencode(payload)}")
        elif where == "form":
            response = getattr(client, method)(url, payload)
        else:
            response = client.generic(
                method.upper(), url, json.dumps(payload), content_type="application/json"
            )
        errors = response.json().get("errors", {}) if response.status_code == 422 else {}
        if not any(CONTROL in message for message in errors.get(name, [])):
            failures.append(
                f"{method.upper()} {url} {where} {name}: {response.status_code} {errors}"
            )
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} in all)"


def test_the_api_refuses_nul_surrogates_and_c1_controls_too(api_as: Any, db: Any) -> None:
    api = api_as("ufficio")
    for text in ["Kyo\x00to", "Kyo\x85to", "Kyo\ud800to", "Kyo\uffffto"]:
        body = json.dumps({"name": text, "kind": "city", "country": "JP"})
        response = api.post("/organisations", body)
        assert response.status_code == 422, text
        assert "alla posizione 4" in response.json()["errors"]["name"][0], text
    search = api.get("/people", {"q": "Ro\x00ssi"})
    assert search.status_code == 422 and "alla posizione 3" in search.json()["errors"]["q"][0]


def test_the_api_keeps_tab_and_newline_in_multi_line_text(api_as: Any, db: Any) -> None:
    api = api_as("ufficio")
    body = {"name": "Kyoto", "kind": "city", "country": "JP", "description": "Riga 1\n\tRiga 2"}
    response = api.post("/organisations", body)
    assert response.status_code == 201 and response.json()["description"] == "Riga 1\n\tRiga 2"


# --- Every import ------------------------------------------------------------------------------


def test_an_import_refuses_a_file_with_control_characters_naming_row_and_column(
    client: Any,
    personas: dict[str, Any],
    budget_line: Any,
    ente: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        b"capitolo;tipo;anno;previsione_iniziale;descrizione\r\n"
        b"1450;S;2024;1000;Quote\x0bassociative\r\n"
    )
    client.force_login(personas["responsabile"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/importazioni/nuova/",
            {"kind": "budget", "ente": ente.pk, "file": SimpleUploadedFile("importi.csv", data)},
        )
    html = client.get(response["Location"]).content.decode()
    assert (
        "Riga 2: «descrizione» contiene un carattere di controllo (U+000B) alla posizione 6" in html
    )
    from ponti.planning.models import BudgetAmount

    assert not BudgetAmount.objects.exists()


def test_the_import_api_says_the_same(
    api_as: Any, budget_line: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"capitolo;tipo;anno;previsione_iniziale;descrizione\r\n1450;S;2024;1000;\x1bQuote\r\n"
    api = api_as("responsabile")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.client.post(
            "/api/v1/imports", {"kind": "budget", "file": SimpleUploadedFile("importi.csv", data)}
        )
    assert response.status_code == 202
    batch = api.get(f"/imports/{response.json()['id']}")
    assert "(U+001B) alla posizione 1" in " ".join(batch.json()["file_errors"])


def test_the_forbidden_pattern_is_the_one_the_imports_and_the_archives_use() -> None:
    from ponti.core import uploads
    from ponti.core.importing import files

    assert uploads.FORBIDDEN is FORBIDDEN
    assert files.forbidden_character_message is forbidden_character_message
