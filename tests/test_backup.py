"""`ponti backup` and `ponti restore`: the same data, ids and documents, no audit events,
damaged or foreign archives refused before anything is written.

The "restore" database (see ponti/test_settings.py) is a second test database, left as
`migrate` leaves a new instance: the empty instance the archive is restored into.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ponti.core.models import AuditEvent
from ponti.partners.models import Organisation
from tests.conftest import PASSWORD
from tests.test_operations import _ponti

pytestmark = pytest.mark.django_db(databases=["default", "restore"])

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def table_rows(using: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sessions aside), as Python values, by primary key."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        name = model._meta.label_lower
        if not model._meta.managed or model._meta.proxy or name == "sessions.session":
            continue
        columns = [f.attname for f in model._meta.local_concrete_fields]
        queryset = model._base_manager.using(using).order_by("pk").values_list(*columns)
        tables[name] = list(queryset)
    return tables


def file_sums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def backup(path: Path) -> str:
    out = StringIO()
    call_command("backup", str(path), stdout=out, stderr=out)
    return out.getvalue()


def restore(path: Path, *, database: str = "restore", force: bool = False) -> str:
    out = StringIO()
    call_command("restore", str(path), database=database, force=force, stdout=out)
    return out.getvalue()


def add_document(agreement: Any, user: Any, name: str = "patto firmato.pdf") -> Any:
    from ponti.agreements.services import add_document

    return add_document(agreement, user=user, upload=SimpleUploadedFile(name, PDF))


def rewritten(archive: Path, out: Path, change: Any) -> Path:
    """The archive with its manifest changed by `change` and its checksums recomputed, as
    another version of Ponti would have written it."""
    sums = {}
    with tarfile.open(archive) as source, tarfile.open(out, "w") as target:
        for member in source:
            if member.name == "SHA256SUMS":
                continue
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
            sums[member.name] = hashlib.sha256(data).hexdigest()
        listing = "".join(f"{digest}  {name}\n" for name, digest in sums.items()).encode()
        info = tarfile.TarInfo("SHA256SUMS")
        info.size = len(listing)
        target.addfile(info, io.BytesIO(listing))
    return out


@pytest.fixture
def small_archive(tmp_path: Path, settings: Any, media: Path, make_org: Any) -> Path:
    """An archive of one organisation; MEDIA_ROOT then is the empty instance's, "restored"."""
    make_org(name="Reims")
    archive = tmp_path / "ponti.tar"
    backup(archive)
    settings.MEDIA_ROOT = tmp_path / "restored"
    return archive


def assert_untouched(target_media: Path) -> None:
    """The restore database is as migrate left it, and no file was written."""
    assert not Organisation.objects.using("restore").exists()
    assert not AuditEvent.objects.using("restore").exists()
    assert not target_media.exists() or not any(target_media.rglob("*"))


# --- the round trip --------------------------------------------------------------------------


def test_a_backup_of_the_demo_restores_identically_into_an_empty_instance(
    tmp_path: Path, settings: Any, media: Path
) -> None:
    from ponti.accounts.models import ApiToken, User
    from ponti.agreements.models import Agreement

    call_command("demo", "--force", "--password", "demo-Ponti-2025!", stdout=StringIO())
    ufficio = User.objects.get(username="ufficio")
    add_document(Agreement.objects.order_by("pk").first(), ufficio)
    add_document(Agreement.objects.order_by("pk").last(), ufficio, "intesa.pdf")
    (media / "altro").mkdir()
    (media / "altro" / "nota.txt").write_bytes(b"un file che nessun record indica")
    ApiToken.issue(ufficio, "integrazione")
    Organisation.objects.create(name="Da cancellare", kind="city", country="FR").delete()
    Client().force_login(ufficio)  # a session: not part of the backup
    source, source_files = table_rows("default"), file_sums(media)
    events = AuditEvent.objects.count()
    assert events > 500 and len(source_files) == 3

    archive = tmp_path / "ponti.tar.gz"
    output = backup(archive)
    assert "3 documenti" in output
    settings.MEDIA_ROOT = tmp_path / "restored"
    output = restore(archive)

    restored = table_rows("restore")
    assert restored.keys() == source.keys()
    for table, rows in source.items():
        assert restored[table] == rows, table
    assert file_sums(tmp_path / "restored") == source_files
    if connections["restore"].vendor == "sqlite":
        # The registry's search index (FTS5, kept by triggers) follows the loaded rows.
        with connections["restore"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM partners_organisation_search")
            assert cursor.fetchone()[0] == len(source["partners.organisation"])
    # No event invented by the restore, in either database.
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.using("restore").count() == events
    assert "Ripristinato" in output and "3 documenti" in output


def test_new_records_after_a_restore_never_take_the_id_of_a_deleted_one(
    tmp_path: Path, settings: Any, media: Path, make_org: Any
) -> None:
    make_org(name="Reims")
    deleted = make_org(name="Cancellata")
    deleted_pk = deleted.pk
    deleted.delete()
    archive = tmp_path / "ponti.tar"
    backup(archive)
    settings.MEDIA_ROOT = tmp_path / "restored"
    restore(archive)

    [new] = Organisation.objects.using("restore").bulk_create(
        [Organisation(name="Nuova", kind="city", country="FR")]
    )
    assert new.pk > deleted_pk


def test_an_archive_holds_a_manifest_and_a_checksum_of_every_member(
    tmp_path: Path, media: Path, make_org: Any, personas: Any, ente: Any
) -> None:
    from ponti.agreements.models import Agreement

    org = make_org(name="Reims")
    agreement = Agreement.objects.create(ente=ente, title="Patto con Reims", kind="amicizia")
    agreement.partners.add(org)
    add_document(agreement, personas["ufficio"])
    archive = tmp_path / "ponti.tar.gz"
    backup(archive)

    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes inside
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        listing = tar.extractfile("SHA256SUMS").read().decode()  # type: ignore[union-attr]
        sums = {line[66:]: line[:64] for line in listing.splitlines()}
        for name in names[:-1]:
            data = tar.extractfile(name).read()  # type: ignore[union-attr]
            assert hashlib.sha256(data).hexdigest() == sums.pop(name), name
    assert names[-1] == "SHA256SUMS" and not sums
    assert manifest["format"] == "ponti-backup" and manifest["ponti_version"]
    assert manifest["models"]["partners.organisation"] == 1
    assert manifest["models"]["agreements.agreement_partners"] == 1
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["media"]["files"] == 1
    assert "data/core.auditevent.jsonl" in names
    assert "data/sessions.session.jsonl" not in names
    assert any(n.startswith("media/agreements/") for n in names)


def test_a_document_missing_from_the_disk_is_reported(
    tmp_path: Path, media: Path, personas: Any, ente: Any
) -> None:
    from ponti.agreements.models import Agreement

    agreement = Agreement.objects.create(ente=ente, title="Patto", kind="amicizia")
    document = add_document(agreement, personas["ufficio"])
    Path(document.file.path).unlink()
    output = backup(tmp_path / "ponti.tar")
    assert f"assente in MEDIA_ROOT: {document.file.name}" in output


# --- refusals --------------------------------------------------------------------------------


def test_a_tampered_archive_is_refused_before_anything_is_written(
    tmp_path: Path, small_archive: Path
) -> None:
    with tarfile.open(small_archive) as tar:
        offset = tar.getmember("data/partners.organisation.jsonl").offset_data
    data = bytearray(small_archive.read_bytes())
    data[offset + 20] ^= 0x01
    small_archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match=r"partners\.organisation\.jsonl: checksum diverso"):
        restore(small_archive)
    assert_untouched(tmp_path / "restored")


def test_a_truncated_archive_is_refused(tmp_path: Path, small_archive: Path) -> None:
    small_archive.write_bytes(small_archive.read_bytes()[: small_archive.stat().st_size // 2])

    with pytest.raises(CommandError, match="danneggiato o incompleto"):
        restore(small_archive)
    assert_untouched(tmp_path / "restored")


def test_an_archive_of_other_migrations_is_refused(tmp_path: Path, small_archive: Path) -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["core"].append("9999_futura")

    def older(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["core"].remove("0002_default_ente_and_sectors")

    with pytest.raises(CommandError, match="core: solo nell'archivio 9999_futura"):
        restore(rewritten(small_archive, tmp_path / "newer.tar", newer))
    with pytest.raises(
        CommandError, match="core: solo in questa installazione 0002_default_ente_and_sectors"
    ):
        restore(rewritten(small_archive, tmp_path / "older.tar", older))
    assert_untouched(tmp_path / "restored")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "restored"
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="test_backup.py")
    with pytest.raises(CommandError, match="danneggiato o incompleto"):
        restore(other)
    text = tmp_path / "notes.txt"
    text.write_text("nothing here")
    with pytest.raises(CommandError, match="danneggiato o incompleto"):
        restore(text)
    assert_untouched(tmp_path / "restored")


def test_the_backup_never_overwrites_a_file(tmp_path: Path, media: Path) -> None:
    archive = tmp_path / "ponti.tar.gz"
    archive.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="esiste già"):
        backup(archive)
    assert archive.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["ponti.tar.gz"]


def test_the_backup_is_refused_inside_the_documents_folder(media: Path) -> None:
    with pytest.raises(CommandError, match="fuori dalla cartella dei documenti"):
        backup(media / "ponti.tar.gz")
    assert not any(media.iterdir())


# --- over an instance with data -------------------------------------------------------------


def test_an_instance_with_data_is_refused_without_force(
    tmp_path: Path, media: Path, make_org: Any
) -> None:
    make_org(name="Reims")
    archive = tmp_path / "ponti.tar"
    backup(archive)
    make_org(name="Kyoto")

    with pytest.raises(CommandError, match=r"contiene già dati: .*organizzazioni: 2.*--force"):
        restore(archive, database="default")
    assert Organisation.objects.count() == 2


def test_with_force_the_instance_becomes_the_archive(
    tmp_path: Path, media: Path, make_user: Any, make_org: Any
) -> None:
    from ponti.accounts.models import ApiToken

    user = make_user("ufficio")
    _token, raw = ApiToken.issue(user, "script")
    kept = make_org(name="Reims")
    add_document_file = media / "agreements" / "1" / "patto.pdf"
    add_document_file.parent.mkdir(parents=True)
    add_document_file.write_bytes(PDF)
    archive = tmp_path / "ponti.tar.gz"
    backup(archive)
    make_org(name="Aggiunta dopo il backup")
    (media / "aggiunto.pdf").write_bytes(PDF)
    browser = Client()
    browser.force_login(user)

    output = restore(archive, database="default", force=True)

    assert "Cancello:" in output and "organizzazioni: 2" in output and "2 file" in output
    assert list(Organisation.objects.values_list("pk", "name")) == [(kept.pk, "Reims")]
    assert file_sums(media) == {"agreements/1/patto.pdf": hashlib.sha256(PDF).hexdigest()}
    # Sessions end; the password and the API token are the archive's, and they work.
    assert browser.get("/accounts/login/").context["user"].is_anonymous
    assert Client().login(request=HttpRequest(), username=user.username, password=PASSWORD)
    response = Client().get(
        f"/api/v1/organisations/{kept.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200


# --- consistency ---------------------------------------------------------------------------


def test_the_backup_reads_the_database_in_one_read_only_snapshot() -> None:
    from ponti.core.backup.create import snapshot

    # A connection of its own to the "restore" test database, outside the test's transaction,
    # so that the snapshot is the backup's own.
    connection = connections.create_connection("restore")
    connections["snapshot"] = connection
    try:
        with CaptureQueriesContext(connection) as queries, snapshot("snapshot"):
            assert connection.in_atomic_block
            Organisation.objects.using("snapshot").count()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SHOW transaction_isolation")
                    assert cursor.fetchone()[0] == "repeatable read"
                    cursor.execute("SHOW transaction_read_only")
                    assert cursor.fetchone()[0] == "on"
            else:
                # A read transaction, not Ponti's usual BEGIN IMMEDIATE, which would hold the
                # write lock and block every writer while the backup runs.
                assert queries.captured_queries[0]["sql"] == "BEGIN DEFERRED"
        assert not connection.in_atomic_block
        if connection.vendor == "sqlite":
            assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
    finally:
        connection.close()
        del connections["snapshot"]


# --- across databases: SQLite → PostgreSQL, PostgreSQL → SQLite -----------------------------


def _postgres_server() -> str | None:
    """The PostgreSQL server of the test run, or a local one if it answers; None without."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("PONTI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ponti")
    try:
        psycopg.connect(_with_database(url, "postgres"), connect_timeout=3).close()
    except psycopg.Error:
        return None
    return url


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def _fresh_postgres(url: str, name: str) -> Iterator[str]:
    import psycopg

    admin = _with_database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _round(environment: dict[str, str], archive: Path, out: Path) -> Path:
    """A new instance: migrate, restore `archive` into it, back it up again to `out`."""
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["restore", str(archive)],
        ["backup", str(out)],
    ):
        result = _ponti(*command, **environment)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def _contents(archive: Path) -> dict[str, str]:
    """The checksum of each member but the manifest (which says when and on what database)."""
    with tarfile.open(archive) as tar:
        listing = tar.extractfile("SHA256SUMS").read().decode()  # type: ignore[union-attr]
    sums = dict(reversed(line.split("  ", 1)) for line in listing.splitlines())
    sums.pop("manifest.json")
    return sums


def test_an_archive_restores_into_the_other_database(
    tmp_path: Path, media: Path, personas: Any, make_org: Any, ente: Any
) -> None:
    """Values as each database returns them (decimals, timestamps with microseconds, JSON,
    floats, many-to-many links) come back the same from the other one, byte for byte: run on
    SQLite, this restores into PostgreSQL; run on PostgreSQL (as CI does too), into SQLite."""
    from ponti.agreements.models import Agreement

    on_postgresql = connections["default"].vendor == "postgresql"
    server = None if on_postgresql else _postgres_server()
    if not on_postgresql and server is None:
        pytest.skip("no PostgreSQL server answers (set DATABASE_URL or PONTI_TEST_POSTGRES_URL)")
    org = make_org(name="Kyōto 京都", latitude=35.0116, longitude=135.7681)
    agreement = Agreement.objects.create(ente=ente, title="Patto «Kyōto»", kind="amicizia")
    agreement.partners.add(org)
    add_document(agreement, personas["ufficio"])
    archive = tmp_path / "source.tar.gz"
    backup(archive)

    environment = {
        "PONTI_SECRET_KEY": "test-only-secret-key-for-the-cross-database-backup-test-0123456789",
        "PONTI_VAR_DIR": str(tmp_path / "other"),
        "PONTI_MEDIA_ROOT": str(tmp_path / "other" / "media"),
    }
    (tmp_path / "other").mkdir()
    if server is None:  # from PostgreSQL into SQLite
        environment["DATABASE_URL"] = ""
        environment["PONTI_SQLITE_PATH"] = str(tmp_path / "other" / "ponti.sqlite3")
        other = _round(environment, archive, tmp_path / "other.tar.gz")
    else:  # from SQLite into PostgreSQL
        name = urlsplit(server).path.lstrip("/") or "ponti"
        with _fresh_postgres(server, f"{name}_cross_{os.getpid()}") as url:
            environment["DATABASE_URL"] = url
            other = _round(environment, archive, tmp_path / "other.tar.gz")

    assert _contents(other) == _contents(archive)
