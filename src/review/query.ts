// The queries behind the review app: the fact list with its filters, one fact
// with its source, a document with every figure marked, and facts that
// disagree. Every value from a request is a bound parameter; sort columns
// come from a fixed table, never from the request.
import { z } from 'zod';
import type { DB } from '../store/schema.js';
import { rowToFact } from '../store/read.js';
import type { ExpressionRecord, Fact } from '../facts/record.js';
import { CORRECTABLE_FIELDS, parseCorrections, type Corrections, type Verdict } from './corrections.js';
import { toStoredVerdict, type StoredVerdict } from './verdicts.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().max(200).optional());
const optionalNumber = (schema: z.ZodNumber) => z.preprocess(blankToUndefined, z.coerce.number().pipe(schema).optional());

export const VERDICT_FILTERS = ['all', 'unreviewed', 'reviewed', 'accepted', 'rejected', 'corrected'] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

/** Sorts, each ending on a unique column so pages never overlap, and each served by an index. */
const SORTS = {
  confidence: ['f.confidence', 'f.id'],
  doc: ['f.document_id', 'f.start', 'f.id'],
  subject: ['f.subject', 'f.metric', 'f.year', 'f.id'],
  metric: ['f.metric', 'f.id'],
  year: ['f.year', 'f.id'],
} as const;

export const listQuerySchema = z.strictObject({
  doc: optionalText,
  subject: optionalText,
  /** a substring of the metric */
  metric: optionalText,
  year: optionalNumber(z.number().int().min(1000).max(3000)),
  kind: z.preprocess(blankToUndefined, z.enum(['amount', 'change', 'share', 'rank']).optional()),
  modality: z.preprocess(blankToUndefined, z.enum(['actual', 'planned']).optional()),
  rule: optionalText,
  minConfidence: optionalNumber(z.number().min(0).max(1)),
  maxConfidence: optionalNumber(z.number().min(0).max(1)),
  verdict: z.preprocess(blankToUndefined, z.enum(VERDICT_FILTERS).default('all')),
  sort: z.preprocess(blankToUndefined, z.enum(Object.keys(SORTS) as [keyof typeof SORTS]).default('confidence')),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).default('asc')),
  limit: optionalNumber(z.number().int().min(1).max(500)).default(50),
  offset: optionalNumber(z.number().int().min(0).max(10_000_000)).default(0),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

/** A fact as the list and the card show it: the record, its row id, the verdict, and the sentence split around the figure. */
export interface ReviewFact extends Fact {
  row: number;
  verdict: Verdict | null;
  corrections: Corrections | null;
  note: string | null;
  /** the original text of the sentence before the figure, the figure, and after it */
  context: { before: string; quote: string; after: string };
}

const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * The joins that keep facts with a given verdict (`all`, `unreviewed`, `reviewed`, or one
 * verdict), adding any condition through `add`. Shared by the fact list and the audit sample.
 */
export function verdictFilter(verdict: string, add: (sql: string, ...params: unknown[]) => void): string {
  switch (verdict) {
    case 'all':
      return '';
    case 'unreviewed':
      add('l.fact_id IS NULL');
      return 'LEFT JOIN verdict_links l ON l.fact_id = f.id';
    case 'reviewed':
      return 'JOIN verdict_links l ON l.fact_id = f.id';
    default:
      add('v.verdict = ?', verdict);
      return 'JOIN verdict_links l ON l.fact_id = f.id JOIN verdicts v ON v.id = l.verdict_id';
  }
}

function listWhere(q: ListQuery, db: DB) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => (where.push(sql), params.push(...p));
  if (q.doc !== undefined) {
    const d = db.prepare('SELECT id FROM documents WHERE path = ?').get(q.doc) as { id: number } | undefined;
    add('f.document_id = ?', d?.id ?? -1);
  }
  if (q.subject !== undefined) add('f.subject = ?', q.subject);
  if (q.metric !== undefined) add("f.metric LIKE ? ESCAPE '\\'", likeContains(q.metric));
  if (q.year !== undefined) add('f.year = ?', q.year);
  if (q.kind !== undefined) add('f.kind = ?', q.kind);
  if (q.modality !== undefined) add('f.modality = ?', q.modality);
  // any rule that contributed (the JSON list holds each id in quotes), not only the one that made it a fact
  if (q.rule !== undefined) add('instr(f.rules, ?) > 0', JSON.stringify(q.rule));
  if (q.minConfidence !== undefined) add('f.confidence >= ?', q.minConfidence);
  if (q.maxConfidence !== undefined) add('f.confidence <= ?', q.maxConfidence);
  const joins = verdictFilter(q.verdict, add);
  return { joins, sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** One page of facts, and how many match. Ids first (index-only work), then the rows of that page. */
export function listFacts(db: DB, q: ListQuery): { total: number; facts: ReviewFact[] } {
  const { joins, sql, params } = listWhere(q, db);
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  const order = SORTS[q.sort].map((c) => `${c} ${dir}`).join(', ');
  const total = (db.prepare(`SELECT count(*) AS n FROM facts f ${joins} ${sql}`).get(...params) as { n: number }).n;
  const ids = (db.prepare(`SELECT f.id FROM facts f ${joins} ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as { id: number }[]).map((r) => r.id);
  return { total, facts: factsByIds(db, ids) };
}

/**
 * The offset of the page holding a fact, so a link to one fact opens the list at it; null when
 * the fact does not pass the filters. Only for sorts on columns that are never null (confidence,
 * doc): row-value comparison and NULL do not mix.
 */
export function pageOffsetOf(db: DB, q: ListQuery, id: number): number | null {
  if (q.sort !== 'confidence' && q.sort !== 'doc') return null;
  const f = db.prepare('SELECT id, document_id, start, confidence FROM facts WHERE id = ?').get(id) as { id: number; document_id: number; start: number; confidence: number } | undefined;
  if (!f) return null;
  const { joins, sql, params } = listWhere(q, db);
  const and = sql ? `${sql} AND` : 'WHERE';
  if (!db.prepare(`SELECT 1 FROM facts f ${joins} ${and} f.id = ?`).get(...params, id)) return null;
  const [cols, vals] = q.sort === 'confidence' ? ['(f.confidence, f.id)', [f.confidence, f.id]] : ['(f.document_id, f.start, f.id)', [f.document_id, f.start, f.id]];
  const cmp = q.dir === 'desc' ? '>' : '<';
  const before = (db.prepare(`SELECT count(*) AS n FROM facts f ${joins} ${and} ${cols} ${cmp} (${vals.map(() => '?').join(', ')})`).get(...params, ...vals) as { n: number }).n;
  return Math.floor(before / q.limit) * q.limit;
}

const DETAIL_SELECT = `
  SELECT f.*, d.path AS path, d.sha256 AS sha256, v.verdict AS verdict, v.corrections AS corrections, v.note AS note,
    substr(d.text, min(f.sentence_start, f.start) + 1, f.start - min(f.sentence_start, f.start)) AS ctx_before,
    substr(d.text, f.end + 1, max(f.sentence_end, f.end) - f.end) AS ctx_after
  FROM facts f JOIN documents d ON d.id = f.document_id
  LEFT JOIN verdict_links l ON l.fact_id = f.id LEFT JOIN verdicts v ON v.id = l.verdict_id`;

type DetailRow = Parameters<typeof rowToFact>[0] & { id: number; verdict: Verdict | null; corrections: string | null; note: string | null; ctx_before: string; ctx_after: string };

function toReviewFact(r: DetailRow): ReviewFact {
  return {
    ...rowToFact(r),
    row: r.id,
    verdict: r.verdict,
    corrections: parseCorrections(r.corrections),
    note: r.note,
    context: { before: r.ctx_before, quote: r.quote, after: r.ctx_after },
  };
}

/** Full rows for ids, in the order given. */
export function factsByIds(db: DB, ids: number[]): ReviewFact[] {
  if (!ids.length) return [];
  const rows = db.prepare(`${DETAIL_SELECT} WHERE f.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as DetailRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toReviewFact(byId.get(id)!)] : []));
}

export function getFact(db: DB, id: number): (ReviewFact & { review: StoredVerdict | null; document: { title: string | null; published: string | null; url: string | null } }) | null {
  const [f] = factsByIds(db, [id]);
  if (!f) return null;
  const v = db.prepare('SELECT v.* FROM verdict_links l JOIN verdicts v ON v.id = l.verdict_id WHERE l.fact_id = ?').get(id);
  const document = db.prepare('SELECT title, published, url FROM documents WHERE path = ?').get(f.doc) as { title: string | null; published: string | null; url: string | null };
  return { ...f, review: v ? toStoredVerdict(v as never) : null, document };
}

/**
 * The paragraph around a fact, split around the figure: the text between blank lines,
 * or between line breaks when that is too long, clipped to a readable length.
 */
export function paragraphOf(db: DB, id: number): { before: string; quote: string; after: string } | null {
  const r = db.prepare('SELECT f.start, f.end, d.text FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.id = ?').get(id) as { start: number; end: number; text: string } | undefined;
  if (!r) return null;
  const cps = Array.from(r.text);
  const MAX = 1500;
  const bounds = (blank: boolean) => {
    const isBreak = (i: number) => cps[i] === '\n' && (!blank || /^\n[ \t\u3000\r]*\n/.test(cps.slice(i, i + 8).join('')) || /\n[ \t\u3000\r]*$/.test(cps.slice(Math.max(0, i - 8), i).join('')));
    let s = r.start;
    while (s > 0 && !isBreak(s - 1) && r.start - s < MAX) s--;
    let e = r.end;
    while (e < cps.length && !isBreak(e) && e - r.end < MAX) e++;
    return [s, e];
  };
  let [s, e] = bounds(true);
  if (e - s > MAX) [s, e] = bounds(false);
  s = Math.max(s, r.start - 600);
  e = Math.min(e, r.end + 600);
  return { before: cps.slice(s, r.start).join(''), quote: cps.slice(r.start, r.end).join(''), after: cps.slice(r.end, e).join('') };
}

export interface DocumentSegment {
  text: string;
  /** plain text, an extracted fact, or a number the extractor did not make a fact */
  type: 'text' | 'fact' | 'number';
  row?: number;
  verdict?: Verdict | null;
  confidence?: number;
  /** for numbers: the rule that kept it from being a fact, or why it is not in the store */
  reason?: string | null;
}

export type ExpressionSource = (text: string, doc: string, published: string | null) => ExpressionRecord[];

/**
 * A whole document cut into segments: every stored fact, and every other numeric
 * expression the extractor recognised (dates, model numbers, figures it judged not
 * to be facts), so what it missed is visible.
 */
export function documentView(db: DB, docPath: string, expressions: ExpressionSource) {
  const d = db.prepare('SELECT id, path, title, url, published, chars, text, extracted_at, extractor_version FROM documents WHERE path = ?').get(docPath) as
    | { id: number; path: string; title: string | null; url: string | null; published: string | null; chars: number; text: string; extracted_at: string; extractor_version: string }
    | undefined;
  if (!d) return null;
  const facts = db
    .prepare(`SELECT f.id, f.start, f.end, f.confidence, v.verdict AS verdict FROM facts f
              LEFT JOIN verdict_links l ON l.fact_id = f.id LEFT JOIN verdicts v ON v.id = l.verdict_id
              WHERE f.document_id = ? ORDER BY f.start`)
    .all(d.id) as { id: number; start: number; end: number; confidence: number; verdict: Verdict | null }[];
  type Span = { start: number; end: number; seg: Omit<DocumentSegment, 'text'> };
  const spans: Span[] = facts.map((f) => ({ start: f.start, end: f.end, seg: { type: 'fact', row: f.id, verdict: f.verdict, confidence: f.confidence } }));
  const overlapsFact = (s: number, e: number) => facts.some((f) => f.start < e && s < f.end);
  for (const x of expressions(d.text, d.path, d.published)) {
    if (x.end <= x.start || overlapsFact(x.start, x.end)) continue;
    spans.push({ start: x.start, end: x.end, seg: { type: 'number', reason: x.fact ? 'a fact now, but not in the store (extract again)' : x.reason } });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const cps = Array.from(d.text);
  const segments: DocumentSegment[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // nested inside the span before
    if (s.start > at) segments.push({ type: 'text', text: cps.slice(at, s.start).join('') });
    segments.push({ ...s.seg, text: cps.slice(s.start, s.end).join('') } as DocumentSegment);
    at = s.end;
  }
  if (at < cps.length) segments.push({ type: 'text', text: cps.slice(at).join('') });
  const { text: _text, id: _id, ...meta } = d;
  return {
    ...meta,
    facts: facts.length,
    numbers: segments.filter((s) => s.type === 'number').length,
    reviewed: facts.filter((f) => f.verdict).length,
    segments,
  };
}

export function listDocuments(db: DB, limit: number, offset: number) {
  const total = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
  const documents = db
    .prepare(`SELECT d.path, d.title, d.published, d.chars,
                (SELECT count(*) FROM facts f WHERE f.document_id = d.id) AS facts,
                (SELECT count(*) FROM facts f JOIN verdict_links l ON l.fact_id = f.id WHERE f.document_id = d.id) AS reviewed
              FROM documents d ORDER BY d.path LIMIT ? OFFSET ?`)
    .all(limit, offset);
  return { total, documents };
}

/**
 * A field as the reviewer left it: the correction when there is one (JSON null included),
 * else what was extracted. Field names come from CORRECTABLE_FIELDS, never from a request.
 */
function effective(field: (typeof CORRECTABLE_FIELDS)[number]): string {
  const corrected = `json_extract(v.corrections, '$.${field}')`;
  // JSON keeps 2e11 as an integer; the facts table has REAL: cast, or equal values would count as two
  const typed = field === 'value' || field === 'min' || field === 'max' ? `CAST(${corrected} AS REAL)` : corrected;
  return `CASE WHEN json_type(v.corrections, '$.${field}') IS NULL THEN f.${field} ELSE ${typed} END`;
}

/**
 * Facts as the reviewers left them: rejected ones out, corrections applied. Two parts: the
 * uncorrected facts, narrowed by `where` on the stored columns (so the indexes serve it), and
 * the few corrected ones, all of them, since a correction can move a fact into any group.
 * Callers filter the result on the corrected columns.
 */
function effectiveFacts(opts: { where?: string; context?: boolean } = {}): string {
  const columns = (fields: string[]) => `f.id AS row, f.document_id, d.path AS doc, f.quote, f.confidence, v.verdict AS verdict, ${fields.join(', ')}${
    opts.context
      ? `, substr(d.text, min(f.sentence_start, f.start) + 1, f.start - min(f.sentence_start, f.start)) AS ctx_before,
         substr(d.text, f.end + 1, max(f.sentence_end, f.end) - f.end) AS ctx_after`
      : ''
  }`;
  return `
    SELECT ${columns(CORRECTABLE_FIELDS.map((k) => `f.${k} AS ${k}`))}
    FROM facts f JOIN documents d ON d.id = f.document_id
    LEFT JOIN verdict_links l ON l.fact_id = f.id LEFT JOIN verdicts v ON v.id = l.verdict_id
    WHERE (v.verdict IS NULL OR v.verdict = 'accepted') ${opts.where ? `AND (${opts.where})` : ''}
    UNION ALL
    SELECT ${columns(CORRECTABLE_FIELDS.map((k) => `${effective(k)} AS ${k}`))}
    FROM verdicts v JOIN verdict_links l ON l.verdict_id = v.id JOIN facts f ON f.id = l.fact_id JOIN documents d ON d.id = f.document_id
    WHERE v.verdict = 'corrected'`;
}

export const consistencyQuerySchema = z.strictObject({
  subject: optionalText,
  metric: optionalText,
  limit: optionalNumber(z.number().int().min(1).max(200)).default(30),
  offset: optionalNumber(z.number().int().min(0).max(1_000_000)).default(0),
});

/**
 * Facts with the same subject, metric, year, kind, unit and modality that disagree on
 * the value across documents, each group with its sources. Corrections are applied
 * and rejected facts left out: a disagreement already settled is not shown again.
 */
export function consistency(db: DB, q: z.infer<typeof consistencyQuerySchema>) {
  const raw: string[] = ['f.subject IS NOT NULL', 'f.metric IS NOT NULL', 'f.year IS NOT NULL'];
  const where: string[] = ['subject IS NOT NULL', 'metric IS NOT NULL', 'year IS NOT NULL'];
  const rawParams: unknown[] = [];
  const params: unknown[] = [];
  if (q.subject !== undefined) (raw.push('f.subject = ?'), rawParams.push(q.subject), where.push('subject = ?'), params.push(q.subject));
  if (q.metric !== undefined) {
    raw.push("f.metric LIKE ? ESCAPE '\\'"), rawParams.push(likeContains(q.metric));
    where.push("metric LIKE ? ESCAPE '\\'"), params.push(likeContains(q.metric));
  }
  const groupsSql = `
    SELECT subject, metric, year, kind, unit, modality, count(*) AS facts, count(DISTINCT document_id) AS documents,
      count(DISTINCT coalesce(value, min || '–' || max)) AS values_
    FROM (${effectiveFacts({ where: raw.join(' AND ') })}) WHERE ${where.join(' AND ')}
    GROUP BY subject, metric, year, kind, unit, modality
    HAVING documents > 1 AND values_ > 1`;
  // every group at once (they are few beside the facts), paged here: one pass over the facts, not two
  const all = db.prepare(`${groupsSql} ORDER BY documents DESC, facts DESC, subject, metric, year`).all(...rawParams, ...params) as {
    subject: string; metric: string; year: number; kind: string; unit: string | null; modality: string; facts: number; documents: number; values_: number;
  }[];
  const total = all.length;
  const groups = all.slice(q.offset, q.offset + q.limit);
  const members = db.prepare(`SELECT * FROM (${effectiveFacts({ where: 'f.subject = @subject AND f.metric = @metric AND f.year = @year', context: true })})
    WHERE subject = @subject AND metric = @metric AND year = @year AND kind = @kind AND unit IS @unit AND modality = @modality
    ORDER BY value, min, doc LIMIT 50`);
  return {
    total,
    groups: groups.map(({ values_, ...g }) => ({
      ...g,
      values: values_,
      facts: members.all(g).map((r) => withContext(r as EffectiveRow)),
    })),
  };
}

type EffectiveRow = Record<string, unknown> & { ctx_before: string; ctx_after: string; quote: string };
function withContext({ ctx_before, ctx_after, ...r }: EffectiveRow) {
  return { ...r, context: { before: ctx_before, quote: r.quote, after: ctx_after } };
}

export const seriesQuerySchema = z.strictObject({
  subject: z.string().min(1).max(200),
  metric: z.string().min(1).max(200),
});

/** Every value of one subject and metric with a year, corrections applied, rejected facts left out: what the chart draws. */
export function series(db: DB, q: z.infer<typeof seriesQuerySchema>) {
  const rows = db
    .prepare(`SELECT * FROM (${effectiveFacts({ where: 'f.subject = @subject AND f.metric = @metric', context: true })})
              WHERE subject = @subject AND metric = @metric AND year IS NOT NULL ORDER BY year, doc`)
    .all(q) as EffectiveRow[];
  return { subject: q.subject, metric: q.metric, points: rows.map(withContext) };
}

/**
 * Subject-and-metric pairs with figures in more than one year, most years first: what is worth
 * a chart. Of one subject when given, else across all subjects.
 */
export function chartableSeries(db: DB, subject?: string) {
  const one = subject !== undefined;
  return db
    .prepare(`SELECT subject, metric, count(DISTINCT year) AS years, count(*) AS facts
              FROM (${effectiveFacts({ where: `f.metric IS NOT NULL AND f.year IS NOT NULL ${one ? 'AND f.subject = @subject' : ''}` })})
              WHERE subject IS NOT NULL AND metric IS NOT NULL AND year IS NOT NULL ${one ? 'AND subject = @subject' : ''}
              GROUP BY subject, metric HAVING years > 1 ORDER BY years DESC, facts DESC, subject, metric LIMIT 200`)
    .all(one ? { subject } : {}) as { subject: string; metric: string; years: number; facts: number }[];
}

/** How many facts each rule contributed to (a rule listed twice in one fact counts once). */
export function ruleCounts(db: DB): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rules of db.prepare('SELECT rules FROM facts').pluck().iterate() as Iterable<string>) {
    for (const rule of new Set(JSON.parse(rules) as string[])) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return counts;
}

/** What the filters offer: subjects, rules, years and documents, most frequent first. */
export function filterOptions(db: DB) {
  return {
    subjects: db.prepare('SELECT subject AS name, count(*) AS n FROM facts WHERE subject IS NOT NULL GROUP BY subject ORDER BY n DESC, subject LIMIT 1000').all(),
    rules: [...ruleCounts(db)].map(([name, n]) => ({ name, n })).sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1)),
    years: (db.prepare('SELECT DISTINCT year FROM facts WHERE year IS NOT NULL ORDER BY year DESC').all() as { year: number }[]).map((r) => r.year),
    documents: (db.prepare('SELECT path FROM documents ORDER BY path LIMIT 5000').all() as { path: string }[]).map((r) => r.path),
  };
}
