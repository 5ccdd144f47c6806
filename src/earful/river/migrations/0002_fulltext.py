"""Full-text index over mentions: SQLite FTS5 kept in step by triggers, or a PostgreSQL GIN
index over the same text. earful.river.search reads it."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE river_mention_fts USING fts5(
        title, text, content='river_mention', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER river_mention_fts_insert AFTER INSERT ON river_mention BEGIN
        INSERT INTO river_mention_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER river_mention_fts_delete AFTER DELETE ON river_mention BEGIN
        INSERT INTO river_mention_fts(river_mention_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER river_mention_fts_update AFTER UPDATE OF title, text ON river_mention
    BEGIN
        INSERT INTO river_mention_fts(river_mention_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO river_mention_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO river_mention_fts(river_mention_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS river_mention_fts_insert",
    "DROP TRIGGER IF EXISTS river_mention_fts_delete",
    "DROP TRIGGER IF EXISTS river_mention_fts_update",
    "DROP TABLE IF EXISTS river_mention_fts",
]
# PostgreSQL: fold case and accents (unaccent) and turn every run of non-alphanumerics into
# a space before the 'simple' parser sees the text, so it splits words exactly where SQLite's
# unicode61 tokenizer and the Python matcher do (the stock parser would keep URLs, e-mail
# addresses and host names as single tokens and hide the words inside them).
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION earful_fold(value text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$""",
    """CREATE OR REPLACE FUNCTION earful_search_text(value text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT regexp_replace(earful_fold(value), '[^[:alnum:]]+', ' ', 'g') $$""",
    """CREATE INDEX river_mention_fts ON river_mention USING GIN
       (to_tsvector('simple'::regconfig, earful_search_text(title || ' ' || text)))""",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS river_mention_fts",
    "DROP FUNCTION IF EXISTS earful_search_text(text)",
    "DROP FUNCTION IF EXISTS earful_fold(text)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("river", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
