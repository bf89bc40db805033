// Writing documents and their facts. Each document goes in one transaction:
// a reader never sees a document without its facts, and an interrupted run
// leaves either the old version or the new one, never half of either.
import type { DB } from './schema.js';
import type { Fact } from '../facts/record.js';

export interface DocumentRow {
  path: string;
  source: string | null;
  sha256: string;
  size: number;
  encoding: string;
  chars: number;
  published: string | null;
  title: string | null;
  url: string | null;
  text: string;
  extractor_version: string;
  /** the file as it stood when found (ingest/discover.ts), null for a feed's documents or a file that changed too recently */
  file_stamp: string | null;
}

export type WriteOutcome = 'new' | 'changed' | 'skipped';

export interface WriteResult {
  outcome: WriteOutcome;
  added: number;
  removed: number;
}

const FACT_COLUMNS = [
  'document_id', 'fact_key', 'start', 'end', 'quote', 'value', 'min', 'max', 'unit', 'kind', 'qualifier', 'modality', 'year',
  'time_text', 'subject', 'metric', 'scope', 'direction', 'confidence', 'sentence', 'sentence_start', 'sentence_end', 'rule',
  'rules', 'doubts', 'extractor_version',
];

/** A fact as the values of its row, in FACT_COLUMNS order after document_id. */
export type FactRow = (string | number | null)[];

/**
 * The values a fact is stored as. Extraction threads send facts to the writer in this
 * form: a list of values crosses between threads at about a third of the cost of an
 * object with named fields, and the lists of rules and doubts are made JSON where there
 * are threads to spare, not on the one writer.
 */
export function factRow(f: Fact): FactRow {
  return [
    f.id, f.start, f.end, f.quote, f.value, f.min, f.max, f.unit, f.kind, f.qualifier, f.modality, f.year,
    f.time_text, f.subject, f.metric, f.scope, f.direction, f.confidence, f.sentence, f.sentence_start, f.sentence_end, f.rule,
    jsonList(f.rules), jsonList(f.doubts), f.extractor_version,
  ];
}

// no character JSON escapes: a quote, a backslash, a control character, a surrogate
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify of a list of strings, by joining them when none needs escaping (rule ids and
 * doubts never do): the two lists were 2% of extraction time, and joining them costs about
 * 0.6 of JSON.stringify.
 */
export function jsonList(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  for (let i = 0; i < xs.length; i++) if (NEEDS_ESCAPE.test(xs[i])) return JSON.stringify(xs);
  return `["${xs.join('","')}"]`;
}

export class StoreWriter {
  private readonly insertFact;
  private readonly upsertDoc;
  private readonly deleteFacts;
  private readonly findDoc;
  private readonly writeMany;

  constructor(private readonly db: DB) {
    this.insertFact = db.prepare(`INSERT INTO facts (${FACT_COLUMNS.join(', ')}) VALUES (${FACT_COLUMNS.map(() => '?').join(', ')})`);
    this.findDoc = db.prepare('SELECT id, sha256, extractor_version FROM documents INDEXED BY documents_stored WHERE path = ?');
    this.deleteFacts = db.prepare('DELETE FROM facts WHERE document_id = ?');
    this.upsertDoc = db.prepare(`
      INSERT INTO documents (path, source, sha256, size, encoding, chars, published, title, url, text, extractor_version, extracted_at, file_stamp)
      VALUES (@path, @source, @sha256, @size, @encoding, @chars, @published, @title, @url, @text, @extractor_version, @extracted_at, @file_stamp)
      ON CONFLICT(path) DO UPDATE SET source = excluded.source, sha256 = excluded.sha256, size = excluded.size,
        encoding = excluded.encoding, chars = excluded.chars, published = excluded.published, title = excluded.title,
        url = excluded.url, text = excluded.text, extractor_version = excluded.extractor_version, extracted_at = excluded.extracted_at,
        file_stamp = excluded.file_stamp
      RETURNING id`);
    this.writeMany = db.transaction((batch: { doc: DocumentRow; facts: FactRow[] }[], force: boolean): WriteResult[] => batch.map((b) => this.writeOne(b.doc, b.facts, force)));
  }

  private writeOne(doc: DocumentRow, facts: FactRow[], force: boolean): WriteResult {
    const old = this.findDoc.get(doc.path) as { id: number; sha256: string; extractor_version: string } | undefined;
    if (old && !force && old.sha256 === doc.sha256 && old.extractor_version === doc.extractor_version) return { outcome: 'skipped', added: 0, removed: 0 };
    const removed = old ? this.deleteFacts.run(old.id).changes : 0;
    const { id } = this.upsertDoc.get({ ...doc, extracted_at: new Date().toISOString() }) as { id: number };
    for (const row of facts) this.insertFact.run(id, ...row);
    return { outcome: old ? 'changed' : 'new', added: facts.length, removed };
  }

  /**
   * Store documents and replace their facts, in one transaction: each is still whole or
   * absent, never half-written, and a batch costs one commit instead of one per document
   * (the index pages a document touches are mostly the ones its neighbours touch).
   * IMMEDIATE: it takes the write lock before reading, so a second run on the same store
   * waits (busy_timeout) instead of failing when both touch the database at once.
   */
  writeDocuments(batch: { doc: DocumentRow; facts: FactRow[] }[], force = false): WriteResult[] {
    return this.writeMany.immediate(batch, force);
  }
}
