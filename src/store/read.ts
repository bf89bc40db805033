// Reading facts back, as the records the spec defines.
import type { DB } from './schema.js';
import type { Fact } from '../facts/record.js';

export interface FactFilter {
  subject?: string;
  /** substring of the metric */
  metric?: string;
  year?: number;
  /** document path, exact */
  doc?: string;
  kind?: string;
  minConfidence?: number;
  maxConfidence?: number;
  limit?: number;
  offset?: number;
  order?: 'document' | 'confidence';
}

/** A facts row joined with its document: the record's fields, lists stored as JSON. */
type Row = Omit<Fact, 'id' | 'doc' | 'rules' | 'doubts'> & { fact_key: string; path: string; rules: string; doubts: string };

export function whereClause(f: FactFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.subject !== undefined) (where.push('f.subject = ?'), params.push(f.subject));
  if (f.metric !== undefined) (where.push("f.metric LIKE ? ESCAPE '\\'"), params.push(`%${f.metric.replace(/[\\%_]/g, (c) => '\\' + c)}%`));
  if (f.year !== undefined) (where.push('f.year = ?'), params.push(f.year));
  if (f.doc !== undefined) (where.push('d.path = ?'), params.push(f.doc));
  if (f.kind !== undefined) (where.push('f.kind = ?'), params.push(f.kind));
  if (f.minConfidence !== undefined) (where.push('f.confidence >= ?'), params.push(f.minConfidence));
  if (f.maxConfidence !== undefined) (where.push('f.confidence <= ?'), params.push(f.maxConfidence));
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function rowToFact(r: Row): Fact {
  return {
    id: r.fact_key,
    doc: r.path,
    start: r.start,
    end: r.end,
    quote: r.quote,
    value: r.value,
    min: r.min,
    max: r.max,
    unit: r.unit,
    kind: r.kind,
    qualifier: r.qualifier,
    modality: r.modality,
    year: r.year,
    time_text: r.time_text,
    subject: r.subject,
    metric: r.metric,
    scope: r.scope,
    direction: r.direction,
    confidence: r.confidence,
    sentence: r.sentence,
    sentence_start: r.sentence_start,
    sentence_end: r.sentence_end,
    rule: r.rule,
    rules: JSON.parse(r.rules) as string[],
    doubts: JSON.parse(r.doubts) as string[],
    sha256: r.sha256,
    extractor_version: r.extractor_version,
  };
}

export const FACT_SELECT = `SELECT f.*, d.path AS path, d.sha256 AS sha256 FROM facts f JOIN documents d ON d.id = f.document_id`;

/** Facts matching a filter, streamed in document order (or lowest confidence first). */
export function* iterateFacts(db: DB, filter: FactFilter = {}): Generator<Fact> {
  const { sql, params } = whereClause(filter);
  const order = filter.order === 'confidence' ? 'f.confidence ASC, d.path, f.start' : 'd.path, f.start';
  let q = `${FACT_SELECT} ${sql} ORDER BY ${order}`;
  if (filter.limit !== undefined) (q += ' LIMIT ?'), params.push(filter.limit);
  if (filter.offset !== undefined) {
    if (filter.limit === undefined) q += ' LIMIT -1';
    q += ' OFFSET ?';
    params.push(filter.offset);
  }
  for (const r of db.prepare(q).iterate(...params)) yield rowToFact(r as Row);
}

export function countFacts(db: DB, filter: FactFilter = {}): number {
  const { sql, params } = whereClause(filter);
  return (db.prepare(`SELECT count(*) AS n FROM facts f JOIN documents d ON d.id = f.document_id ${sql}`).get(...params) as { n: number }).n;
}
