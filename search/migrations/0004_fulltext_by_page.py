"""The database engine's own full-text index on SQLite: an FTS5 table whose row ids are the
documents' page ids, kept up to date by triggers (see ``search/engines/fulltext.py``).
Nothing on PostgreSQL, or on SQLite built without FTS5."""

from django.db import migrations


def create(apps, schema_editor):
    from search.engines.fulltext import create_index

    create_index(schema_editor.connection)


def drop(apps, schema_editor):
    from search.engines.fulltext import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_wider_kind"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
