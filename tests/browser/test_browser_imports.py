"""An import as the office does it: upload an XLSX, watch the progress bar while the background
worker checks it, read the dry-run report, confirm, then undo.

The worker is django-tasks-db's own `Worker`, run in a thread of the test process against the
live server's database; it starts only once the page shows the queued batch, and the importer
is slowed down a little, so that the progress bar is seen moving rather than guessed at.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROWS = 300


def xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Partner", "Paese", "Anno", "Fonte"])
    for n in range(ROWS):
        sheet.append([f"Città di prova {n}", "Germania" if n % 2 else "FR", 1950 + n % 70, "prova"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def worker(settings: Any, monkeypatch: Any, tmp_path: Any) -> Iterator[Any]:
    """Start with `worker.start()`: a database worker in a thread until the test ends."""
    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    from ponti.agreements.importers import AgreementImporter

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    check = AgreementImporter.check

    def slowly(self: Any, row: Any, cells: Any) -> Any:
        time.sleep(0.01)  # 300 rows ≈ 3 s: long enough to see the bar move
        return check(self, row, cells)

    monkeypatch.setattr(AgreementImporter, "check", slowly)
    stop = threading.Event()
    errors: list[BaseException] = []
    # An in-memory SQLite database lives in one connection: the worker shares it, as the live
    # server does. PostgreSQL: the worker opens its own, as a real worker would.
    shared = connections["default"]
    sharing = shared.vendor == "sqlite" and shared.is_in_memory_db()
    if sharing:
        shared.inc_thread_sharing()

    def loop() -> None:
        if sharing:
            connections["default"] = shared
        try:
            while not stop.is_set():
                Worker(
                    queue_names=["default"],
                    interval=0.1,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id="browser-test",
                    excluded_queue_names=[],
                ).run()
                time.sleep(0.2)
        except BaseException as exc:  # shown by the test, not lost in the thread
            errors.append(exc)

    class Handle:
        thread: threading.Thread | None = None

        def start(self) -> None:
            self.thread = threading.Thread(target=loop, daemon=True)
            self.thread.start()

    handle = Handle()
    yield handle
    stop.set()
    if handle.thread is not None:
        handle.thread.join(30)
    if sharing:
        shared.dec_thread_sharing()
    assert not errors, errors


def test_an_xlsx_is_checked_in_the_background_confirmed_and_undone(
    page: Page, login: Any, assert_accessible: Any, worker: Any
) -> None:
    from ponti.agreements.models import Agreement

    login(page, "ufficio")
    page.goto("/importazioni/")
    page.get_by_role("link", name="Nuova importazione").click()
    main = page.locator("main")
    main.get_by_label("Dati da importare").select_option("agreements")
    main.get_by_label("File").set_input_files(
        files=[
            {
                "name": "gemellaggi.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx(),
            }
        ]
    )
    assert_accessible(page, "new import")
    main.get_by_role("button", name="Verifica il file").click()

    # Queued: the page says so, with the progress bar, and polls by itself.
    status = main.get_by_role("status").first
    expect(status).to_contain_text("In coda")
    expect(main.locator("progress")).to_be_visible()
    assert_accessible(page, "import queued")
    worker.start()
    expect(status).to_contain_text("Verifica in corso", timeout=15_000)
    seen = _progress_values(page)
    assert any(0 < v < 100 for v in seen), seen

    # The dry run's report: every row new, nothing written yet.
    expect(main).to_contain_text("Verificata: pronta da confermare", timeout=30_000)
    expect(main).to_contain_text(f"Nuovo: {ROWS}")
    assert Agreement.objects.count() == 0
    assert_accessible(page, "import checked, the report")
    main.get_by_role("button", name=f"Conferma: scrivi {ROWS} righe").click()
    expect(main).to_contain_text("Importata", timeout=60_000)
    assert Agreement.objects.count() == ROWS
    assert_accessible(page, "import written")

    main.get_by_role("button", name="Annulla l'importazione").click()
    expect(main).to_contain_text("Annullata", timeout=60_000)
    assert Agreement.objects.count() == 0
    assert_accessible(page, "import undone")


def _progress_values(page: Page, seconds: float = 10) -> list[int]:
    """The values the progress bar shows while the check runs (read every 100 ms)."""
    values: list[int] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = page.evaluate(
            "() => { const p = document.querySelector('main progress');"
            " return p && p.hasAttribute('value') ? Number(p.value) : null; }"
        )
        if value is not None:
            values.append(int(value))
            if 0 < value < 100:
                break
        if page.locator("main").inner_text().find("Verificata") >= 0:
            break
        time.sleep(0.1)
    return values
