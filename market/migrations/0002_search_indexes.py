"""The word indexes of the search, which Django's fields cannot express, one per database vendor.

SQLite: an FTS5 table over the folded names and the folded rest (rowid = product id). The text is
folded before it is stored, so unicode61 only splits words; remove_diacritics 2 is a second guard for
text that reaches the table unfolded.
PostgreSQL: a stored tsvector column (names weigh A, the rest D) with a GIN index for the word
search, and pg_trgm's GIN index on the names for the fuzzy stage (similarity when no word matches).
The text is folded in Python by the same rule on both databases (ocop_hub.text.fold, đ → d
included), so unaccent is not needed here."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE market_search_fts USING fts5("
    "names, body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS market_search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE market_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', document), 'D')"
    ") STORED",
    "CREATE INDEX market_search_tsv ON market_searchdocument USING gin (tsv)",
    "CREATE INDEX market_search_names_trgm ON market_searchdocument USING gin (names gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS market_search_names_trgm",
    "DROP INDEX IF EXISTS market_search_tsv",
    "ALTER TABLE market_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
