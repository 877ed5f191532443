"""The database engine's full-text index on SQLite: an FTS5 table of its own, keyed by page id.

modelsearch's FTS5 index is keyed by its own index entries: every match had to look up each
entry's page id, and then each document's row for its portal (350 ms for a common word at
100,000 listings). Here a match gives page ids at once, and the portal is a word of the
index, so the FTS5 index alone answers "these words, in these portals". Triggers on the
documents table keep it up to date in the same transaction as every write, whatever makes
it (the ORM, a bulk update, a restore). Autocomplete and PostgreSQL stay on modelsearch."""

from collections.abc import Sequence
from datetime import date

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.sqlite.utils import fts5_available

from ..models import SearchDocument

TABLE = "search_fulltext"
DOCUMENTS = SearchDocument._meta.db_table


def _portal_word(column: str) -> str:
    """SQL for a portal's slug as one word of the index: ``p`` and its bytes in hex (a slug's
    hyphens would split it into words shared with other slugs)."""
    return f"'p' || lower(hex({column}))"


def portal_word(portal: str) -> str:
    """The same word, worked out here for a query."""
    return "p" + portal.encode().hex()


def _row(prefix: str) -> str:
    return f"{prefix}.page_id, {prefix}.title, {prefix}.body, {_portal_word(prefix + '.portal')}"


_INSERT = f"INSERT INTO {TABLE}(rowid, title, body, portal) VALUES ({_row('new')});"
# A contentless table forgets a row by being given exactly what it indexed.
_DELETE = (
    f"INSERT INTO {TABLE}({TABLE}, rowid, title, body, portal) VALUES ('delete', {_row('old')});"
)

CREATE = [
    # The tokenizer is modelsearch's (FTS5's default): the same words match as through it.
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, portal, content='')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {DOCUMENTS} BEGIN {_INSERT} END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {DOCUMENTS} BEGIN {_DELETE} END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF page_id, title, body, portal"
    f" ON {DOCUMENTS} BEGIN {_DELETE} {_INSERT} END",
    f"INSERT INTO {TABLE}(rowid, title, body, portal) SELECT {_row('d')} FROM {DOCUMENTS} d",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{event}" for event in ("insert", "delete", "update")] + [
    f"DROP TABLE IF EXISTS {TABLE}"
]


def create_index(conn) -> None:
    """Create the index and its triggers, filled from the documents (a migration's step)."""
    if conn.vendor == "sqlite" and fts5_available():
        with conn.cursor() as cursor:
            for statement in CREATE:
                cursor.execute(statement)


def drop_index(conn) -> None:
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            for statement in DROP:
                cursor.execute(statement)


def available() -> bool:
    """Whether the database has this index (SQLite with FTS5, migrated)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        return cursor.fetchone() is not None


def _any(words: Sequence[str]) -> str:
    return "(" + " OR ".join(f'"{word}"' for word in words) + ")"


def expression(
    terms: Sequence[str], portals: Sequence[str], columns: str = "title body", first: bool = False
) -> str:
    """An FTS5 expression: every term in one of ``columns`` (as its first word with ``first``),
    in one of ``portals``. Terms are ``\\w+`` words, quoted, so no FTS5 syntax can come from
    the visitor."""
    every = " AND ".join(f'{"^" if first else ""}"{term}"' for term in terms)
    return f"{{{columns}}} : ({every}) AND {{portal}} : {_any([portal_word(p) for p in portals])}"


def matches(terms: Sequence[str], portals: Sequence[str], today: date) -> list[int]:
    """Page ids of the documents in ``portals``, not expired on ``today``, with every term in
    their title or text. Expired documents are few (the expiry job closes them): their ids
    come from their index and are left out here, which is cheaper than asking SQLite to test
    each match (20 ms for a common word at 100,000 listings)."""
    if not terms or not portals:
        return []
    marks = ", ".join(["%s"] * len(portals))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "page_id" FROM "{DOCUMENTS}"'
            f' WHERE "expires_on" < %s AND "portal" IN ({marks})',
            [today, *portals],
        )
        expired = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression(terms, portals)]
        )
        return [row[0] for row in cursor.fetchall() if row[0] not in expired]


def matching(
    terms: Sequence[str], portals: Sequence[str], columns: str = "title body", first: bool = False
) -> RawSQL:
    """A condition on documents: the match of ``expression``. The database runs it once per
    query, without the ids travelling through Python."""
    return RawSQL(
        f'"{DOCUMENTS}"."page_id" IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)',
        (expression(terms, portals, columns, first),),
        BooleanField(),
    )
