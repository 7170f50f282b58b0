"""What every importer inherits from `core.importing.kinds`: rows about the same thing, a
record's validation messages, a record changed meanwhile, and one plan written at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ponti.core.importing.kinds import (
    DataChanged,
    Importer,
    RowReport,
    Written,
    changed_meanwhile,
)
from ponti.core.services import ConflictError


def test_a_row_about_the_same_thing_as_an_earlier_one_names_it() -> None:
    importer = Importer(ente=None, user=None)
    first, second = RowReport(2), RowReport(5)
    message = "lo stesso è già alla riga %(row)s."
    assert not importer.repeated(first, ("a", 1), "", message)
    assert importer.repeated(second, ("a", 1), "", message)
    assert (first.errors, second.errors) == ([], ["lo stesso è già alla riga 2."])


def test_a_records_validation_names_each_field_and_none_for_the_whole_record() -> None:
    from ponti.partners.models import Organisation

    row = RowReport(3)
    row.invalid(
        ValidationError({"country": ["sbagliato."], NON_FIELD_ERRORS: ["incoerente."]}),
        Organisation,
    )
    label = str(Organisation._meta.get_field("country").verbose_name)
    assert row.errors == [f"{label}: sbagliato.", "incoerente."]


def test_a_record_changed_meanwhile_is_data_changed() -> None:
    with pytest.raises(DataChanged, match="cambiato"), changed_meanwhile("cambiato"):
        raise ConflictError.__new__(ConflictError)  # as a versioned save raises it


@dataclass
class _Plan:
    row: RowReport
    fails: bool = False


class _Importer(Importer):
    def apply_one(self, plan: Any, written: list[Written]) -> None:
        if plan.fails:
            raise ValidationError("regola del database.")


def test_a_plan_the_database_refuses_names_its_row() -> None:
    importer = _Importer(ente=None, user=None)
    assert importer.apply([_Plan(RowReport(2))]) == []
    with pytest.raises(ValidationError, match="Riga 7: regola del database."):
        importer.apply([_Plan(RowReport(2)), _Plan(RowReport(7), fails=True)])
