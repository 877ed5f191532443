"""The database engine's full-text match on SQLite, straight on modelsearch's FTS5 index.

Through the backend, the match of a common word (35,000 matches at 100,000 listings) read every
matching document's row to test its portal and expiry date. Here the documents' rows are not
read: the FTS5 index gives index-entry ids, the entries give the page ids (one lookup each by
id, most of the remaining time), and the documents' portal and expiry indexes give the scope."""

from collections.abc import Sequence
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from ..models import SearchDocument


def available() -> bool:
    """Whether the search backend in use is modelsearch's FTS5 one (SQLite with FTS5; without
    it, modelsearch falls back to plain lookups and keeps no FTS5 index)."""
    if connection.vendor != "sqlite":
        return False
    try:
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
    except (ImportError, LookupError):  # SQLite without FTS5
        return False
    return isinstance(get_search_backend(), SQLiteSearchBackend)


def phrase(terms: Sequence[str], columns: str = "title body") -> str:
    """An FTS5 expression: every term in one of ``columns``. Terms are ``\\w+`` words,
    quoted, so no FTS5 syntax can come from the visitor."""
    quoted = " AND ".join(f'"{term}"' for term in terms)
    return f"{{{columns}}} : ({quoted})"


def _tables() -> tuple[str, str]:
    config = get_app_config()
    return (
        config.get_model("SQLiteFTSIndexEntry")._meta.db_table,
        config.get_model("IndexEntry")._meta.db_table,
    )


def _entries() -> tuple[str, list]:
    """SQL for the page ids of the documents whose index entry matches an FTS5 expression
    (its one parameter left to fill), and its other parameters."""
    fts, entries = _tables()
    content_type = ContentType.objects.get_for_model(SearchDocument).pk
    sql = (
        f'SELECT CAST(e."object_id" AS INTEGER) FROM "{entries}" e'
        f' WHERE e."content_type_id" = %s AND e."id" IN'
        f' (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s)'
    )
    return sql, [content_type]


def _fetch(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _ids(expression: str, portals: Sequence[str], today: date) -> list[int]:
    """Page ids of the documents in ``portals``, not expired on ``today``, whose index entry
    matches the FTS5 ``expression``."""
    documents = SearchDocument._meta.db_table
    matching, params = _entries()
    marks = ", ".join(["%s"] * len(portals))
    sql = (
        f'SELECT d."page_id" FROM "{documents}" d WHERE d."portal" IN ({marks})'
        f' AND d."page_id" IN ({matching}) AND d."page_id" NOT IN'
        f' (SELECT x."page_id" FROM "{documents}" x WHERE x."expires_on" < %s)'
    )
    return _fetch(sql, [*portals, *params, expression, today])


def matches(terms: Sequence[str], portals: Sequence[str], today: date) -> list[int]:
    """Page ids of the documents in scope with every term in their title or text."""
    return _ids(phrase(terms), portals, today) if terms else []
