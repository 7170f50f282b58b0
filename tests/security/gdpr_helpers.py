"""Names of the person linked to everything, and a whole-database text dump."""

from __future__ import annotations

import datetime

NAME = ("Gianna", "Verdacchi")
EMAIL = "gianna.verdacchi@example.it"
PHONE = "+39 055 7654321"
OLD_PHONE = "+39 055 1111999"
MOBILE = "+39 333 1112223"
TERMS = [" ".join(NAME), EMAIL, PHONE, OLD_PHONE, MOBILE]
TZ = datetime.UTC


def database_text() -> str:
    """Every row of every table, as text: what a dump of the database would show."""
    from django.db import connection

    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                parts.append(" | ".join(str(v) for v in row))
    return "\n".join(parts).lower()
