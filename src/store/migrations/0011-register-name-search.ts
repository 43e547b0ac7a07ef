import { sql, type Kysely } from 'kysely';
import type { StoreKind } from '../ports.js';

/**
 * Full-text name search over the register. `search_text` holds an object's name and
 * transliteration as words (lower case, accents removed, every run of characters that are not
 * letters or digits made one space: `searchText` in store/object-row.ts); both databases index
 * those same words, and a query asks for objects having, for each word typed, a word that
 * starts with it.
 *
 * SQLite: an FTS5 table over `search_text` whose content is the register table itself (nothing
 * copied), with the `unicode61` tokenizer (`remove_diacritics 2`), without positions
 * (`detail=none`: no phrase queries are asked) or per-row token counts (`columnsize=0`: results
 * are not ranked), so it is smaller and faster to fill (1,000,000 rows: 0.8 µs each against 1.2
 * with the counts). Triggers keep it in step with single-row writes; a bulk write fills it once
 * at the end (store/sqlite/object-rows.ts).
 *
 * PostgreSQL: a GIN index on the words as a `tsvector` built verbatim from them
 * (`array_to_tsvector`, no text-search parser: the parser would keep `st.florian` as one host
 * name, where SQLite sees two words), queried with prefix `tsquery` terms.
 *
 * Rows written before have their `search_text` (already lower case and without accents) rewritten
 * to the word form on both databases, so that a backup restored into the other database finds
 * the same objects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, kind: StoreKind): Promise<void> {
  if (kind === 'postgres') {
    await sql`UPDATE protected_object SET search_text = btrim(regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))
      WHERE search_text ~ '[^[:alnum:] ]|^ | $|  '`.execute(db);
    await sql`CREATE INDEX protected_object_search_gin ON protected_object
      USING GIN (array_to_tsvector(string_to_array(search_text, ' ')))`.execute(db);
    return;
  }
  await wordsOfExistingRows(db);
  await sql`CREATE VIRTUAL TABLE protected_object_fts USING fts5(search_text,
    content = 'protected_object', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0)`.execute(db);
  await sql`CREATE TRIGGER protected_object_fts_insert AFTER INSERT ON protected_object BEGIN
    INSERT INTO protected_object_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(
    db,
  );
  await sql`CREATE TRIGGER protected_object_fts_update AFTER UPDATE OF search_text ON protected_object
    WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO protected_object_fts (protected_object_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO protected_object_fts (rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(
    db,
  );
  await sql`CREATE TRIGGER protected_object_fts_delete AFTER DELETE ON protected_object BEGIN
    INSERT INTO protected_object_fts (protected_object_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`.execute(
    db,
  );
  // Index the objects already in the register.
  await sql`INSERT INTO protected_object_fts (protected_object_fts) VALUES ('rebuild')`.execute(db);
}

/** SQLite has no regular expressions: the rows are rewritten here, a thousand at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
async function wordsOfExistingRows(db: Kysely<any>): Promise<void> {
  for (let after = 0; ;) {
    const rows = await sql<{
      id: number;
      search_text: string;
    }>`SELECT rowid AS id, search_text FROM protected_object WHERE rowid > ${after} ORDER BY rowid LIMIT 1000`.execute(
      db,
    );
    for (const row of rows.rows) {
      const words = row.search_text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      if (words !== row.search_text) {
        await sql`UPDATE protected_object SET search_text = ${words} WHERE rowid = ${row.id}`.execute(
          db,
        );
      }
    }
    if (rows.rows.length < 1000) return;
    after = rows.rows[rows.rows.length - 1]!.id;
  }
}
