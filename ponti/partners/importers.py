"""The registry's import kinds, registered with the engine (`ponti.core.importing`):
organisations (`import_organisations.py`) and people with their positions (`import_people.py`),
on the helpers the record importers share (`importing.py`)."""

from .import_organisations import OrganisationImporter
from .import_people import PersonImporter

__all__ = ["OrganisationImporter", "PersonImporter"]
