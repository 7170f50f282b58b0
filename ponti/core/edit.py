"""Saving an edit form of a versioned record: the one way every app's pages do it.

A form carries the version the user read (`core.forms.VersionField`). If someone saved the
record since, the save is refused (`core.services.ConflictError`), the page says what changed
(`core/partials/conflict.html`) and the form keeps everything the user typed, now holding the
current version: saving again is a decision, not an accident. A model or service error goes
on the field it names. Nothing typed is lost either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError

from .forms import errors_to_form
from .services import ConflictError


class Edit(NamedTuple):
    saved: bool
    value: Any = None
    conflict: ConflictError | None = None


def read_version(form: Any, record: Any = None) -> int | None:
    """The version the user's form was made from; for a post without one (an old client),
    the version the view read, which still refuses a save that races another."""
    posted = form.cleaned_data.get("version")
    if posted:
        return int(posted)
    record = record if record is not None else getattr(form, "instance", None)
    return record.version if record is not None and record.pk else None


def save_edit(request: Any, form: Any, save: Callable[[Any], Any], record: Any = None) -> Edit:
    """Call `save(expected_version)` for a valid form and tell the view how it went.
    The version is None only for a new record. `record` is the record edited, for a form that
    is not a ModelForm of it."""
    try:
        value = save(read_version(form, record))
    except ConflictError as exc:
        posted = request.POST.copy()
        fresh = type(exc.obj)._base_manager.filter(pk=exc.obj.pk).values_list("version", flat=True)
        posted["version"] = str(fresh.first() or exc.since_version)
        form.data = posted
        return Edit(saved=False, conflict=exc)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return Edit(saved=False)
    return Edit(saved=True, value=value)
