// Facts for export with the reviewers' verdicts: filtered by verdict, with
// corrections applied, so what leaves the store is what the reviewers agreed.
import type { DB } from '../store/schema.js';
import { rowToFact, whereClause, type FactFilter } from '../store/read.js';
import type { Fact } from '../facts/record.js';
import { applyCorrections, parseCorrections, type Verdict } from './corrections.js';

export const EXPORT_VERDICTS = ['accepted', 'rejected', 'unreviewed', 'all'] as const;
export type ExportVerdict = (typeof EXPORT_VERDICTS)[number];

export interface ReviewedFact extends Fact {
  verdict: Verdict | null;
  /** the fields a reviewer corrected (their corrected values are in the record) */
  corrected: string[];
}

/** `accepted` takes facts accepted as they are and facts accepted with corrections. */
const VERDICT_CONDITION: Record<ExportVerdict, string> = {
  accepted: "v.verdict IN ('accepted', 'corrected')",
  rejected: "v.verdict = 'rejected'",
  unreviewed: 'l.fact_id IS NULL',
  all: '',
};

/** Facts matching a filter and a verdict, in document order, corrections applied. Call Review.sync() first. */
export function* iterateReviewedFacts(db: DB, filter: FactFilter, verdict: ExportVerdict): Generator<ReviewedFact> {
  const { sql, params } = whereClause(filter);
  const cond = VERDICT_CONDITION[verdict];
  const where = [sql.replace(/^WHERE /, ''), cond].filter(Boolean).join(' AND ');
  const q = `SELECT f.*, d.path AS path, d.sha256 AS sha256, v.verdict AS verdict, v.corrections AS corrections
             FROM facts f JOIN documents d ON d.id = f.document_id
             LEFT JOIN verdict_links l ON l.fact_id = f.id LEFT JOIN verdicts v ON v.id = l.verdict_id
             ${where ? 'WHERE ' + where : ''} ORDER BY d.path, f.start`;
  for (const r of db.prepare(q).iterate(...params)) {
    const row = r as Parameters<typeof rowToFact>[0] & { verdict: Verdict | null; corrections: string | null };
    const corrections = parseCorrections(row.corrections);
    yield { ...applyCorrections(rowToFact(row), corrections), verdict: row.verdict, corrected: corrections ? Object.keys(corrections) : [] };
  }
}
