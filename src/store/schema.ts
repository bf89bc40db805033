// The SQLite store. One file holds the documents (with their decoded text,
// so every fact can be shown in its source), the facts, the runs that wrote
// them, the files that could not be read, and reviewers' verdicts.
// Migrations are numbered and run in order; the schema version is in `meta`.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type DB = Database.Database;

const MIGRATIONS: string[] = [
  // 1: documents, facts, runs, errors
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- one row per article; path is its provenance (relative to the folder extracted, or a feed id)
  CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    path              TEXT NOT NULL UNIQUE,
    source            TEXT,              -- the file it was read from (absolute), or the feed file
    sha256            TEXT NOT NULL,     -- of the decoded text
    size              INTEGER NOT NULL,  -- bytes on disk
    encoding          TEXT NOT NULL,     -- utf-8, utf-8-bom, utf-16le, gb18030, …
    chars             INTEGER NOT NULL,  -- code points of the decoded text
    published         TEXT,              -- publication date, when known (resolves 今年/去年)
    title             TEXT,
    url               TEXT,
    text              TEXT NOT NULL,     -- the decoded original text; fact offsets point into it
    extractor_version TEXT NOT NULL,
    extracted_at      TEXT NOT NULL
    -- file_stamp (migration 6)
  );

  -- one row per fact, as ../shared/spec/facts.md defines it, with provenance
  CREATE TABLE facts (
    id                INTEGER PRIMARY KEY,
    document_id       INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    fact_key          TEXT NOT NULL,     -- stable id: sha256 prefix of the document, then the span
    start             INTEGER NOT NULL,  -- code points into documents.text, half-open
    end               INTEGER NOT NULL,
    quote             TEXT NOT NULL,
    value             REAL,
    min               REAL,
    max               REAL,
    unit              TEXT,
    kind              TEXT NOT NULL,
    qualifier         TEXT NOT NULL,
    modality          TEXT NOT NULL,
    year              INTEGER,
    time_text         TEXT,
    subject           TEXT,
    metric            TEXT,
    scope             TEXT,
    direction         TEXT,
    confidence        REAL NOT NULL,
    sentence          TEXT NOT NULL,
    sentence_start    INTEGER NOT NULL,
    sentence_end      INTEGER NOT NULL,
    rule              TEXT NOT NULL,     -- the rule that made it a fact
    rules             TEXT NOT NULL,     -- JSON list of every rule that contributed
    doubts            TEXT NOT NULL,     -- JSON list of what lowered the confidence
    extractor_version TEXT NOT NULL
  );
  CREATE INDEX facts_document ON facts(document_id, start);
  CREATE INDEX facts_subject ON facts(subject, metric, year);
  CREATE INDEX facts_metric ON facts(metric);
  CREATE INDEX facts_year ON facts(year);
  CREATE INDEX facts_confidence ON facts(confidence);
  CREATE INDEX facts_rule ON facts(rule);

  -- one row per extract run
  CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    started_at        TEXT NOT NULL,
    finished_at       TEXT,
    status            TEXT NOT NULL,     -- running, done, interrupted, failed
    inputs            TEXT NOT NULL,     -- JSON list of the paths and globs given
    extractor_version TEXT NOT NULL,
    files_seen        INTEGER NOT NULL DEFAULT 0,
    files_new         INTEGER NOT NULL DEFAULT 0,
    files_changed     INTEGER NOT NULL DEFAULT 0,
    files_skipped     INTEGER NOT NULL DEFAULT 0,
    files_failed      INTEGER NOT NULL DEFAULT 0,
    facts_added       INTEGER NOT NULL DEFAULT 0,
    facts_removed     INTEGER NOT NULL DEFAULT 0
  );

  -- inputs that could not be read or extracted, with the reason
  CREATE TABLE errors (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER REFERENCES runs(id),
    path     TEXT NOT NULL,
    reason   TEXT NOT NULL,             -- a short code: empty, binary, undecodable, unreadable, too-large, bad-json, no-text, extract-failed
    detail   TEXT,
    at       TEXT NOT NULL
  );
  CREATE INDEX errors_run ON errors(run_id);
  `,
  // 2: reviewers' verdicts. A verdict names its figure by content — the document path, the quote
  // and the sentence, with the span and the text around it to tell repeats apart — never by
  // facts.id: re-extraction replaces fact rows, and a verdict must outlive that, re-attach to the
  // same figure found again, or stay as an orphan. Hence no foreign key to facts, and no cascade.
  `
  CREATE TABLE verdicts (
    id          INTEGER PRIMARY KEY,
    doc         TEXT NOT NULL,     -- documents.path
    quote       TEXT NOT NULL,     -- the figure as printed
    sentence    TEXT NOT NULL,     -- facts.sentence when judged
    start       INTEGER NOT NULL,  -- code points into the document when judged (tie-breakers)
    end         INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL, -- so the place inside the sentence survives text added before it
    text_before TEXT NOT NULL,     -- up to 12 code points of the original text before the figure
    text_after  TEXT NOT NULL,     -- and after it: re-attaches when sentences are split differently
    fact_key    TEXT NOT NULL,     -- facts.fact_key when judged
    verdict     TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'corrected')),
    corrections TEXT,              -- JSON object of corrected fields, for 'corrected'
    note        TEXT,
    reviewer    TEXT,
    at          TEXT NOT NULL
  );
  CREATE INDEX verdicts_figure ON verdicts(doc, quote);

  -- every verdict given or withdrawn, for the record
  CREATE TABLE verdict_log (
    id          INTEGER PRIMARY KEY,
    verdict_id  INTEGER NOT NULL,
    action      TEXT NOT NULL,     -- set, clear
    doc         TEXT NOT NULL,
    fact_key    TEXT NOT NULL,
    verdict     TEXT,
    corrections TEXT,
    note        TEXT,
    reviewer    TEXT,
    at          TEXT NOT NULL
  );

  -- the review list filters on these and shows the lowest confidence first
  CREATE INDEX facts_subject_confidence ON facts(subject, confidence);
  CREATE INDEX facts_year_confidence ON facts(year, confidence);
  CREATE INDEX facts_kind ON facts(kind, confidence);
  CREATE INDEX facts_modality ON facts(modality, confidence);
  `,
  // 3: run bookkeeping. A run updates its counts as it goes (updated_at); pid and host
  // tell a run that was killed (status left at running, process gone) from one still going,
  // and the next run marks it killed. Statuses: running, done, interrupted, killed, failed.
  `
  ALTER TABLE runs ADD COLUMN updated_at TEXT;
  ALTER TABLE runs ADD COLUMN pid INTEGER;
  ALTER TABLE runs ADD COLUMN host TEXT;
  `,
  // 4: fewer indexes on facts. Each costs the writer on every fact (ten of them made
  // writing three times dearer than one); the review list stays fast on 100,000 facts
  // with the confidence order and the subject index alone (npm run bench:review).
  `
  DROP INDEX IF EXISTS facts_metric;
  DROP INDEX IF EXISTS facts_year;
  DROP INDEX IF EXISTS facts_rule;
  DROP INDEX IF EXISTS facts_subject_confidence;
  DROP INDEX IF EXISTS facts_year_confidence;
  DROP INDEX IF EXISTS facts_kind;
  DROP INDEX IF EXISTS facts_modality;
  `,
  // 5: what a run asks of every document it reads (is it stored, with this content, from this
  // extractor version?) answered from an index. extractor_version comes after the text in a
  // documents row, so reading it from the row walks the text's overflow pages: 16 µs a document,
  // 0.16 s of a re-run over the benchmark's 10,188 (its largest part after reading the files).
  `
  CREATE INDEX documents_stored ON documents(path, sha256, extractor_version, chars);
  `,
  // 6: the stamp of the file a document was read from (discover.ts, fileStamp): a run skips a file
  // whose stamp and extractor version match what is stored without reading or hashing it. In the
  // lookup index, like the rest of what a run asks.
  `
  ALTER TABLE documents ADD COLUMN file_stamp TEXT;
  DROP INDEX documents_stored;
  CREATE INDEX documents_stored ON documents(path, sha256, extractor_version, chars, file_stamp);
  `,
  // 7: the stamp of each feed read to its end without a failure, with what it gave (ingest/stamps.ts)
  `
  CREATE TABLE feed_stamps (
    path              TEXT PRIMARY KEY,  -- the feed's name (relative to the folder given)
    stamp             TEXT NOT NULL,     -- as in documents.file_stamp
    extractor_version TEXT NOT NULL,
    documents         TEXT NOT NULL      -- JSON list of [name, sha256, code points], one per document it gave, in order
  );
  `,
];

export function migrate(db: DB): void {
  const current = () => {
    const has = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    return has ? Number((db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)?.value ?? 0) : 0;
  };
  if (current() >= MIGRATIONS.length) return;
  // IMMEDIATE and read again inside: two runs opening a new store at once migrate it once
  db.transaction(() => {
    for (let version = current(); version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]);
      db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(version + 1));
    }
  }).immediate();
}

/**
 * Indexes on facts that a first load builds once its facts are in, instead of keeping them up
 * to date through every insert: into an empty store, an extract run drops them and builds them
 * again when it ends (keeping them took 13.3 CPU-s to write the 660,628 facts of the benchmark
 * corpus; dropping and building them after, 8.5). Only these two: documents' facts are looked
 * up by facts_document while the run replaces them. A run killed during such a load leaves
 * them missing, and the next writer to open the store builds them (openStore).
 */
const LOAD_INDEXES: Record<string, string> = {
  facts_subject: 'CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject, metric, year)',
  facts_confidence: 'CREATE INDEX IF NOT EXISTS facts_confidence ON facts(confidence)',
};

/** The names of LOAD_INDEXES the store lacks. */
function missingIndexes(db: DB): string[] {
  const have = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name));
  return Object.keys(LOAD_INDEXES).filter((name) => !have.has(name));
}

/** Build the indexes a first load dropped (or a killed one left dropped); nothing when none is missing. */
export function buildIndexes(db: DB): void {
  const missing = missingIndexes(db);
  if (missing.length) db.exec(missing.map((name) => LOAD_INDEXES[name]).join(';\n'));
}

/**
 * Drop LOAD_INDEXES if the store holds no facts yet, under the write lock (a second run that
 * got there first may have written some). Returns whether it dropped them: the caller must
 * then call buildIndexes when it is done, interrupted or not.
 */
export function dropIndexesForFirstLoad(db: DB): boolean {
  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM facts LIMIT 1').get()) return false;
    for (const name of Object.keys(LOAD_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
    return true;
  }).immediate();
}

/** Whether the (open) store holds a document; false when it has no documents table yet. */
export function hasDocuments(db: DB): boolean {
  try {
    return !!db.prepare('SELECT 1 FROM documents LIMIT 1').get();
  } catch {
    return false;
  }
}

/** What `read` finds in the store at `file`, opened read-only (never created or changed); null when there is no store to open. */
export function peekStore<T>(file: string, read: (db: DB) => T): T | null {
  let db: DB | null = null;
  try {
    db = openStore(file, { readonly: true });
  } catch {
    return null; // no such file, or not a database
  }
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export const PAGE_SIZE = 16384;

export interface OpenOptions {
  readonly?: boolean;
}

/** Open (creating if needed) a store: WAL so readers and a writer coexist, a busy timeout for a second run. */
export function openStore(file: string, opts: OpenOptions = {}): DB {
  if (!opts.readonly) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
  db.pragma('busy_timeout = 10000');
  if (!opts.readonly) {
    // 16 KB pages for a new store (an existing one keeps its own): a batch run wrote its facts
    // with 12-20% less CPU than with SQLite's 4 KB (fewer pages per row of text, fewer to log)
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    buildIndexes(db);
  }
  return db;
}
