"""English translation: a complete catalog, the IT/EN switch, and Italian as the default.

The catalog is parsed here with a few lines of Python (no polib, no gettext tools), so
the test also runs where GNU gettext is not installed.
"""

from __future__ import annotations

import datetime
import gettext
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import formats, translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def parse_po(path: Path) -> list[dict[str, Any]]:
    """Entries of a .po file: {"flags": set, "obsolete": bool, "msgid": …, "msgstr": …}."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict[str, Any] = {"flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                line = line[2:].strip()
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            elif line.startswith("#"):
                continue
            match = _KEYWORD.match(line)
            if match:
                key = match.group(1)
                entry[key] = _unescape(match.group(2))
            elif line.strip().startswith('"') and key:
                entry[key] += _unescape(line.strip()[1:-1])
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry: dict[str, Any]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """A request activates its language for the thread: give the next test a clean slate."""
    before = translation.get_language()
    yield
    translation.activate(before)


# --- (1) the catalog ----------------------------------------------------------------------


def test_catalog_header_is_english_and_not_fuzzy() -> None:
    header = next(e for e in parse_po(PO_FILE) if e["msgid"] == "" and not e["obsolete"])
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    entries = [e for e in parse_po(PO_FILE) if e["msgid"] and not e["obsolete"]]
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not all(_translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_catalog_keeps_placeholders_and_plurals() -> None:
    for entry in parse_po(PO_FILE):
        if not entry["msgid"] or entry["obsolete"]:
            continue
        wanted = set(_PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in _translations(entry):
            assert set(_PLACEHOLDER.findall(text)) == wanted, entry["msgid"]
        if "msgid_plural" in entry:
            assert {"msgstr[0]", "msgstr[1]"} <= entry.keys(), entry["msgid"]


def test_compiled_catalog_matches_the_po_file() -> None:
    """The committed .mo is the compiled .po: run `ponti compilemessages` after editing."""
    assert MO_FILE.exists(), "run: PONTI_DEBUG=1 ponti compilemessages --ignore '.venv/*'"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(PO_FILE):
        if not entry["msgid"] or entry["obsolete"] or "fuzzy" in entry["flags"]:
            continue
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = [
                compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                if context
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                for n in (1, 2)
            ]
            if got != [entry["msgstr[0]"], entry["msgstr[1]"]]:
                stale.append(entry["msgid"])
        else:
            got_one = (
                compiled.pgettext(context, entry["msgid"])
                if context
                else compiled.gettext(entry["msgid"])
            )
            if got_one != entry["msgstr"]:
                stale.append(entry["msgid"])
    assert stale == [], f".mo is older than .po for: {stale[:10]}"


# --- (2) the IT/EN switch -----------------------------------------------------------------


def _switch_to_english(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_switch_to_english_translates_the_public_home(client: Any, db: Any) -> None:
    italian = client.get("/").content.decode()
    assert "Ponti: le relazioni internazionali della Città metropolitana" in italian
    assert "Il registro è riservato al personale autorizzato." in italian

    _switch_to_english(client)
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Ponti: the international relations of the Metropolitan City" in page
    assert "The registry is restricted to authorised staff." in page
    assert "Il registro è riservato al personale autorizzato." not in page
    assert 'lang="en"' in page
    assert ">Sign in<" in page


def test_switch_to_english_translates_the_partner_registry(client: Any, make_user: Any) -> None:
    client.force_login(make_user("ufficio"))
    assert "Registro dei partner" in client.get("/partner/").content.decode()

    _switch_to_english(client)
    response = client.get("/partner/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Partner registry" in page
    assert "Registro dei partner" not in page
    assert "New organisation" in page
    assert "Organisations" in page


def test_switch_back_to_italian(client: Any, db: Any) -> None:
    _switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "it", "next": "/"})
    page = client.get("/").content.decode()
    assert "Il registro è riservato al personale autorizzato." in page


# --- (3) Italian first ----------------------------------------------------------------------


def test_accept_language_alone_does_not_switch_to_english(client: Any, db: Any) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "it"
    assert "Il registro è riservato al personale autorizzato." in page
    assert "The registry is restricted to authorised staff." not in page


def test_accept_language_alone_keeps_logged_in_pages_italian(client: Any, make_user: Any) -> None:
    client.force_login(make_user("ufficio"))
    page = client.get("/partner/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Registro dei partner" in page
    assert "Partner registry" not in page


# --- (4) dates -----------------------------------------------------------------------------


def test_dates_are_italian_by_default() -> None:
    """Italian month and weekday names in lower case (ponti/locale/it overrides Django's)."""
    translation.deactivate()  # nothing activated: the default language applies
    day = datetime.date(2026, 11, 25)
    assert formats.date_format(day, "j F Y") == "25 novembre 2026"
    assert formats.date_format(day, "DATE_FORMAT") == "25 novembre 2026"
    moment = datetime.datetime(2026, 11, 25, 14, 30)
    assert formats.date_format(moment, "DATETIME_FORMAT") == "mercoledì 25 novembre 2026 14:30"
    with translation.override("en"):
        assert formats.date_format(day, "j F Y") == "25 November 2026"


def test_pages_render_dates_in_the_chosen_language(
    client: Any, make_user: Any, make_org: Any
) -> None:
    from ponti.partners.models import Organisation

    org = make_org(name="Comune di Reims")
    stamp = datetime.datetime(2026, 11, 25, 11, 0, tzinfo=datetime.UTC)
    Organisation.objects.filter(pk=org.pk).update(updated_at=stamp)  # no auto_now
    client.force_login(make_user("ufficio"))

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "25 novembre 2026" in page

    _switch_to_english(client)
    page = client.get("/").content.decode()
    assert "25 November 2026" in page
    assert "25 novembre 2026" not in page
