"""Import of the budget classification (administrators); the amounts go through the import engine.

The classification page works in two steps. The upload is checked (a dry run) and the row-by-row report shown;
the bytes wait in a private temporary file, named by a random token kept in the user's session
(the browser only ever sends the token back, never a path). «Conferma l'importazione» checks the
file again against the current data and applies it all, or nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core import uploads
from ponti.core.permissions import can, require
from ponti.core.typing import AuthedRequest

from ..classification import import_classification as run_classification_import
from ..import_files import ImportReport
from ..models import BudgetAmount, BudgetCode, CodeLevel, Side

SESSION_KEY = "planning_pending_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
STALE_SECONDS = 24 * 3600
CLASSIFICATION = "classification"
SPREADSHEETS = (
    ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


# --- Forms ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File da importare (CSV o XLSX)"),
        help_text=gettext_lazy(
            "Prima viene solo controllato: nulla è salvato finché non confermi."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEETS}),
    )

    def clean_file(self) -> uploads.Upload:
        """The checked bytes (size, then content: a CSV or an XLSX whose archive is sound)."""
        return uploads.read_upload(self.cleaned_data["file"], allowed=uploads.SPREADSHEETS)


# --- The temporary file between the dry run and the confirmation --------------------------------


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "tmp" / "planning-imports"


def _sweep(folder: Path) -> None:
    """Forget uploads nobody confirmed: a day later they are deleted."""
    limit = time.time() - STALE_SECONDS
    for path in folder.glob("*.upload"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def _stash(
    request: AuthedRequest, kind: str, data: bytes, filename: str, ente_id: int | None = None
) -> str:
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _sweep(folder)
    pending: dict[str, Any] = request.session.get(SESSION_KEY, {})
    # One pending import of each kind per user: a new upload replaces the previous one.
    for old_token, meta in list(pending.items()):
        if meta.get("kind") == kind:
            _delete_file(old_token)
            del pending[old_token]
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    pending[token] = {
        "kind": kind,
        "filename": filename[:200],
        "ente": ente_id,
        "user": request.user.pk,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _unstash(request: AuthedRequest, kind: str, token: str) -> tuple[bytes, dict[str, Any]] | None:
    """The bytes and details of the user's pending import, if `token` is one of theirs."""
    if not TOKEN.match(token or ""):
        return None
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if not meta or meta.get("kind") != kind or meta.get("user") != request.user.pk:
        return None
    try:
        return (_pending_dir() / f"{token}.upload").read_bytes(), meta
    except OSError:
        return None


def _discard(request: AuthedRequest, token: str) -> None:
    pending: dict[str, Any] = request.session.get(SESSION_KEY, {})
    if token in pending:
        del pending[token]
        request.session[SESSION_KEY] = pending
        _delete_file(token)


def _delete_file(token: str) -> None:
    if TOKEN.match(token):
        with contextlib.suppress(OSError):
            (_pending_dir() / f"{token}.upload").unlink()


def _summary(report: ImportReport) -> str:
    counts = report.counts
    return _(
        "Importazione completata: %(new)s righe nuove, %(updated)s aggiornate, %(same)s invariate."
    ) % {"new": counts["nuovo"], "updated": counts["aggiornato"], "same": counts["invariato"]}


# --- Amounts ----------------------------------------------------------------------------------


@login_required
def import_amounts(request: AuthedRequest) -> HttpResponse:
    """The amounts are imported by the import engine, in the background (kind «budget»)."""
    require(request.user, "change", BudgetAmount)
    return redirect(reverse("core:import_new") + "?tipo=budget")


# --- Classification ---------------------------------------------------------------------------

SECTIONS = [
    (Side.SPESA, CodeLevel.MISSIONE, gettext_lazy("Missioni")),
    (Side.SPESA, CodeLevel.PROGRAMMA, gettext_lazy("Programmi")),
    (Side.SPESA, CodeLevel.TITOLO, gettext_lazy("Titoli di spesa")),
    (Side.SPESA, CodeLevel.MACROAGGREGATO, gettext_lazy("Macroaggregati di spesa")),
    (Side.ENTRATA, CodeLevel.TITOLO, gettext_lazy("Titoli di entrata")),
    (Side.ENTRATA, CodeLevel.TIPOLOGIA, gettext_lazy("Tipologie di entrata")),
]


def _may_change_classification(user: Any) -> bool:
    return can(user, "change", BudgetCode) and can(user, "add", BudgetCode)


@login_required
def classification_list(request: AuthedRequest) -> HttpResponse:
    require(request.user, "view", BudgetCode)
    codes = list(BudgetCode.objects.select_related("parent").order_by("code"))
    sides: dict[str, list[dict[str, Any]]] = {Side.SPESA: [], Side.ENTRATA: []}
    for side, level, title in SECTIONS:
        sides[side].append(
            {
                "title": title,
                "codes": [c for c in codes if c.side == side and c.level == level],
                "has_parent": CodeLevel(level).parent_level is not None,
                "anchor": f"{level}-{side}",
            }
        )
    return render(
        request,
        "planning/classification_list.html",
        {
            "sides": [(Side(side).label, groups) for side, groups in sides.items()],
            "total": len(codes),
            "can_import": _may_change_classification(request.user),
        },
    )


@login_required
def import_classification(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not _may_change_classification(user):
        raise PermissionDenied
    form = UploadForm()
    context: dict[str, Any] = {"max_mb": uploads.max_file_bytes() // uploads.MB}
    if request.method == "POST":
        token = request.POST.get("token", "")
        if token:
            stashed = _unstash(request, CLASSIFICATION, token)
            if stashed is None:
                messages.error(
                    request,
                    _(
                        "Questa importazione non è più disponibile (già confermata, annullata o scaduta): carica di nuovo il file."
                    ),
                )
                return redirect("planning:import_classification")
            data, meta = stashed
            _discard(request, token)
            if request.POST.get("action") == "cancel":
                messages.info(request, _("Importazione annullata: nulla è stato salvato."))
                return redirect("planning:import_classification")
            report = run_classification_import(data, meta["filename"], user=user, dry_run=False)
            if report.applied:
                messages.success(request, _summary(report))
                return redirect("planning:classification_list")
            context |= {"report": report, "filename": meta["filename"], "confirm_failed": True}
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data, filename = upload.data, upload.name
                report = run_classification_import(data, filename, user=user, dry_run=True)
                context |= {"report": report, "filename": filename}
                if report.ok and report.changes:
                    context["token"] = _stash(request, CLASSIFICATION, data, filename)
    context["form"] = form
    return render(request, "planning/import_classification.html", context)
