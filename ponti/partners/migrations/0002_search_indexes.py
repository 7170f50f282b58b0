"""Substring search indexes for search_text: pg_trgm GIN indexes on PostgreSQL, FTS5
trigram tables kept by triggers on SQLite (see ponti.partners.search_index)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ponti.partners import search_index

    search_index.ensure(schema_editor.connection)


def backwards(apps, schema_editor):
    from ponti.partners import search_index

    search_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
